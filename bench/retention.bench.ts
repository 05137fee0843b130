/**
 * npm run bench:retention — figures, not pass/fail. A busy till's year (500 refunds a day, every one a
 * LIFE POS sale: three outbox jobs each, the sale cached) written day by day into two databases made by
 * the real migrations: one never cleaned, one cleaned after every day with the default retention
 * (main/queue/retention.ts: done jobs 90 days, cached sales 180 days; refunds are always kept). Printed:
 * 1. file size (database + WAL after a checkpoint) and row counts;
 * 2. start-up: opening the database as the app does (quick_check over every page, migrations check)
 *    plus the first reads the services make (outbox counts, recent refunds, recent sales); median of
 *    five opens in this process, so the file is in the page cache — a cold disk adds to both sides;
 *    and how much of it is quick_check alone;
 * 3. the daily clean-up's duration and its longest synchronous step (one window of jobs or batch of
 *    sales and its commit: what the till's other work on that thread waits at most), and the first
 *    clean-up of the never-cleaned year (what the first start of a version with retention does a minute
 *    after start).
 * Rows are written with plain INSERTs shaped like the app's own (outbox.ts, refundStore.ts, seenSales.ts)
 * so a year takes seconds to write; `--days` and `--per-day` change the load.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import type { Sale } from '../preload/contract';
import { openDatabase, type Database } from '../main/queue/database';
import { Outbox } from '../main/queue/outbox';
import { pruneDatabase } from '../main/queue/retention';
import { RefundStore } from '../main/refunds/refundStore';
import { SeenSales } from '../main/refunds/seenSales';
import { DEFAULT_RETENTION } from '../main/settings/retentionSettings';

const { values } = parseArgs({ options: { days: { type: 'string', default: '365' }, 'per-day': { type: 'string', default: '500' } } });
const DAYS = Number(values.days);
const PER_DAY = Number(values['per-day']);
const DAY_MS = 24 * 60 * 60 * 1000;
const START = Date.UTC(2025, 11, 1, 7);

const dir = mkdtempSync(join(tmpdir(), 'retention-bench-'));
const files = { kept: join(dir, 'kept.db'), pruned: join(dir, 'pruned.db') };

function sale(id: string, number: string, at: number): Sale {
  const line = (n: number) => ({
    lineId: `${id}-l${n}`, name: `Товар ${n}: молоко «Простоквашино» 3,2 % 930 мл`, barcode: `46000${n}1234567`,
    priceMinor: 8990, quantityMilli: 2000, amountMinor: 17980, vat: 'vat10' as const, paymentMethod: 'fullPayment' as const,
    itemSign: 'goods' as const, refundedMilli: 0, refundedMinor: 0, refundableMilli: 2000,
  });
  return {
    ref: { source: 'lifepos', id }, number, createdAt: new Date(at).toISOString(), currency: 'RUB', totalMinor: 53940,
    lines: [line(1), line(2), line(3)],
    payments: [{ paymentPartId: `${id}-p1`, saleSessionId: `${id}-s1`, kind: 'card', typeOf: 'Card', amountMinor: 53940, refundedMinor: 0, rrn: '532811004455' }],
    fiscal: { documentNumber: '41234', fiscalSign: '3522249431', dateTime: new Date(at).toISOString().slice(0, 19) },
    remainderFromLocalOnly: false,
  };
}

function writer(db: Database) {
  const st = {
    sale: db.prepare(`INSERT INTO sales_seen (source, id, number, sale, known_refunds, seen_at) VALUES ('lifepos', ?, ?, ?, ?, ?)`),
    refund: db.prepare(`INSERT INTO refunds (id, sale_source, sale_id, sale_number, currency, state, total_minor, doc_number_before, fiscal, print_attempts, created_at, updated_at)
                        VALUES (?, 'lifepos', ?, ?, 'RUB', 'synced', 17980, ?, ?, 1, ?, ?)`),
    line: db.prepare(`INSERT INTO refund_lines (refund_id, line_id, name, quantity_milli, amount_minor, vat, payment_method, item_sign) VALUES (?, ?, ?, 1000, 8990, 'vat10', 'fullPayment', 'goods')`),
    tender: db.prepare(`INSERT INTO refund_tenders (refund_id, payment_part_id, kind, amount_minor, rrn) VALUES (?, ?, 'card', 17980, '532811004455')`),
    job: db.prepare(`INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, depends_on, state, attempts, sent_attempts, run_at, created_at, updated_at, result)
                     VALUES (?, 'lifepos', ?, ?, ?, 'done', 1, 1, ?, ?, ?, ?)`),
  };
  return (day: number) => {
    db.transaction(() => {
      for (let i = 0; i < PER_DAY; i++) {
        const at = START + day * DAY_MS + i * 60_000;
        const n = day * PER_DAY + i;
        const saleId = `0b6f${String(n).padStart(8, '0')}-4c1e-9a55-0d3e7b2f1a01`;
        const refundId = `r-${String(n).padStart(9, '0')}`;
        st.sale.run(saleId, String(100_000 + n), JSON.stringify(sale(saleId, String(100_000 + n), at - 3_600_000)), JSON.stringify([refundId]), at);
        st.refund.run(refundId, saleId, String(100_000 + n), n, JSON.stringify({ number: n + 1, fiscalSign: '1187302265', dateTime: new Date(at).toISOString().slice(0, 19) }), at, at + 3000);
        st.line.run(refundId, `${saleId}-l1`, 'Товар 1: молоко «Простоквашино» 3,2 % 930 мл');
        st.line.run(refundId, `${saleId}-l2`, 'Товар 2: молоко «Простоквашино» 3,2 % 930 мл');
        st.tender.run(refundId, `${saleId}-p1`);
        const key = (step: string) => `refund:${refundId}:${step}`;
        const body = JSON.stringify({ dealGuid: saleId, body: { external_id: refundId, items: [1, 2].map((l) => ({ id: `${saleId}-l${l}`, quantity: 1, price: 89.9, vat: 'vat10' })), payments: [{ type_of: 'Card', amount: 179.8 }] } });
        st.job.run('lifepos.createReversal', key('create'), body, null, at, at, at + 1000, JSON.stringify({ sessionGuid: `${saleId}-rev` }));
        st.job.run('lifepos.attachReceipt', key('receipt'), JSON.stringify({ dealGuid: saleId, receipt: { fd: n + 1, fp: '1187302265', total: 17980 } }), key('create'), at, at, at + 2000, '{}');
        st.job.run('lifepos.setStatus', key('status'), JSON.stringify({ dealGuid: saleId, refundId, paymentStatus: 'PartiallyRefunded' }), key('receipt'), at, at, at + 3000, '{}');
      }
    })();
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function sizeMb(file: string): number {
  const db = openDatabase(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const wal = (() => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  })();
  return (statSync(file).size + wal) / 1024 / 1024;
}

function startupMs(file: string): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const db = openDatabase(file);
    new Outbox(db).stats();
    new RefundStore(db).recent(50);
    new SeenSales(db).recent(50);
    samples.push(performance.now() - t0);
    db.close();
  }
  return median(samples);
}

function quickCheckMs(file: string): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const db = new BetterSqlite3(file, { readonly: true });
    const t0 = performance.now();
    db.pragma('quick_check', { simple: true });
    samples.push(performance.now() - t0);
    db.close();
  }
  return median(samples);
}

function rows(file: string) {
  const db = openDatabase(file);
  const count = (table: string) => Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
  const r = { refunds: count('refunds'), jobs: count('outbox_jobs'), sales: count('sales_seen') };
  db.close();
  return r;
}

const kept = openDatabase(files.kept);
const pruned = openDatabase(files.pruned);
const writeKept = writer(kept);
const writePruned = writer(pruned);
const dailyPruneMs: number[] = [];
let longestWaitMs = 0;
const t0 = performance.now();
for (let day = 0; day < DAYS; day++) {
  writeKept(day);
  writePruned(day);
  const t = performance.now();
  // The clean-up asks `stopped` before each step and yields to the event loop after it: the time between
  // two asks is one step's synchronous work, what other work on the thread waits at most.
  let last = t;
  const stopped = () => {
    const now = performance.now();
    longestWaitMs = Math.max(longestWaitMs, now - last);
    last = now;
    return false;
  };
  await pruneDatabase(pruned, DEFAULT_RETENTION, START + (day + 1) * DAY_MS, { stopped });
  longestWaitMs = Math.max(longestWaitMs, performance.now() - last);
  dailyPruneMs.push(performance.now() - t);
}
const writeS = (performance.now() - t0) / 1000;
kept.close();
pruned.close();

const measure = (file: string) => ({ size: sizeMb(file), start: startupMs(file), check: quickCheckMs(file), rows: rows(file) });
const after = { kept: measure(files.kept), pruned: measure(files.pruned) };

// The first clean-up of a year that was never cleaned: the first start of a version with retention.
const first = openDatabase(files.kept);
const tFirst = performance.now();
const firstPruned = await pruneDatabase(first, DEFAULT_RETENTION, START + DAYS * DAY_MS);
const firstS = (performance.now() - tFirst) / 1000;
first.close();

const col = (a: string | number, b: string | number) => `${String(a).padStart(18)}  ${String(b).padStart(18)}`;
const f1 = (x: number) => x.toFixed(1);
console.log(`retention bench: ${DAYS} days × ${PER_DAY} refunds a day (${(DAYS * PER_DAY).toLocaleString('en')} refunds), Node ${process.version}; written in ${f1(writeS)} s`);
console.log(`${''.padEnd(34)}${col('without retention', 'with retention')}`);
console.log(`${'database size, MB'.padEnd(34)}${col(f1(after.kept.size), f1(after.pruned.size))}`);
console.log(`${'start-up, ms (median of 5, warm)'.padEnd(34)}${col(f1(after.kept.start), f1(after.pruned.start))}`);
console.log(`${'  of which quick_check, ms'.padEnd(34)}${col(f1(after.kept.check), f1(after.pruned.check))}`);
console.log(`${'refunds'.padEnd(34)}${col(after.kept.rows.refunds, after.pruned.rows.refunds)}`);
console.log(`${'outbox jobs'.padEnd(34)}${col(after.kept.rows.jobs, after.pruned.rows.jobs)}`);
console.log(`${'cached sales'.padEnd(34)}${col(after.kept.rows.sales, after.pruned.rows.sales)}`);
console.log(`${'daily clean-up, ms p50 / max'.padEnd(34)}${col('—', `${f1(median(dailyPruneMs))} / ${f1(Math.max(...dailyPruneMs))}`)}`);
console.log(`${'  longest single step, ms'.padEnd(34)}${col('—', f1(longestWaitMs))}`);
console.log(`first clean-up of the never-cleaned year: ${f1(firstS)} s (${firstPruned.doneJobs} jobs, ${firstPruned.seenSales} sales)`);
rmSync(dir, { recursive: true, force: true });
