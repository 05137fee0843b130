import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { RefundStore } from '../refunds/refundStore';
import { openDatabase, type Database } from './database';
import { Outbox } from './outbox';
import { pruneDatabase } from './retention';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 1, 12);
const POLICY = { doneJobsDays: 90, seenSalesDays: 180 };

let tmp: ReturnType<typeof tempDir>;
let db: Database;
let outbox: Outbox;
let clock = NOW;
beforeEach(() => {
  tmp = tempDir('retention-');
  db = openDatabase(tmp.file('cashier.db'));
  outbox = new Outbox(db, { clock: () => clock });
});
afterEach(() => {
  db.close();
  tmp.remove();
});

/** A job made and taken through the real outbox to `state` `ageDays` before NOW. */
function job(key: string, state: 'pending' | 'running' | 'done' | 'dead', ageDays: number, dependsOn?: string): number {
  const at = NOW - ageDays * DAY;
  clock = at;
  const { id } = outbox.enqueue({ kind: 'k', backend: `b-${key}`, payload: { key }, idempotencyKey: key, ...(dependsOn ? { dependsOn } : {}) });
  if (state === 'pending') return id;
  if (state === 'dead') {
    outbox.bury(id, 'причина', 'detail', at);
    return id;
  }
  // A dependent job is claimable once its dependency is done.
  expect(outbox.claimNext(`b-${key}`, at, 'w')?.row.id).toBe(id);
  if (state === 'done') outbox.complete(id, '{"ok":true}', at);
  return id;
}

const keys = () => db.prepare('SELECT idempotency_key FROM outbox_jobs ORDER BY id').pluck().all();
const sales = () => db.prepare('SELECT id FROM sales_seen ORDER BY id').pluck().all();

function sale(id: string, ageDays: number): void {
  db.prepare(`INSERT INTO sales_seen (source, id, number, sale, known_refunds, seen_at) VALUES ('lifepos', ?, ?, '{}', '[]', ?)`).run(id, `N-${id}`, NOW - ageDays * DAY);
}

function refund(id: string, saleId: string, state: string, ageDays: number): void {
  const at = NOW - ageDays * DAY;
  db.prepare(`INSERT INTO refunds (id, sale_source, sale_id, sale_number, currency, state, total_minor, created_at, updated_at)
              VALUES (?, 'lifepos', ?, ?, 'RUB', ?, 100, ?, ?)`).run(id, saleId, `N-${saleId}`, state, at, at);
}

describe('pruneDatabase: outbox jobs', () => {
  it('removes done jobs older than the period; keeps recent done, pending, running and dead ones of any age', async () => {
    job('old-done', 'done', 91);
    job('recent-done', 'done', 89);
    job('old-pending', 'pending', 400);
    job('old-running', 'running', 400);
    job('old-dead', 'dead', 400);
    expect(await pruneDatabase(db, POLICY, NOW)).toEqual({ doneJobs: 1, seenSales: 0 });
    expect(keys()).toEqual(['recent-done', 'old-pending', 'old-running', 'old-dead']);
  });

  it('a chain goes whole when all of it is old; a job something still depends on stays', async () => {
    job('a1', 'done', 120); job('a2', 'done', 110, 'a1'); job('a3', 'done', 100, 'a2');
    job('b1', 'done', 120); job('b2', 'done', 10, 'b1');
    job('c1', 'done', 120); job('c2', 'pending', 120, 'c1');
    job('d1', 'done', 120); job('d2', 'dead', 120, 'd1');
    expect((await pruneDatabase(db, POLICY, NOW)).doneJobs).toBe(3);
    expect(keys()).toEqual(['b1', 'b2', 'c1', 'c2', 'd1', 'd2']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('more than one step: 1,200 old chained jobs go; a chain cut by a window edge loses its first jobs at the next clean-up', async () => {
    db.transaction(() => {
      for (let i = 0; i < 400; i++) {
        job(`r${i}:create`, 'done', 200);
        job(`r${i}:receipt`, 'done', 200, `r${i}:create`);
        job(`r${i}:status`, 'done', 200, `r${i}:receipt`);
      }
    })();
    job('kept', 'done', 1);
    // Windows of 500 ids: chains r166 (ids 499-501) and r333 (1000-1002) cross the edges at 501 and 1001.
    expect((await pruneDatabase(db, POLICY, NOW, { stepRows: 500 })).doneJobs).toBe(1197);
    expect(keys()).toEqual(['r166:create', 'r166:receipt', 'r333:create', 'kept']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect((await pruneDatabase(db, POLICY, NOW, { stepRows: 500 })).doneJobs).toBe(3);
    expect(keys()).toEqual(['kept']);
    expect(outbox.stats().counts).toEqual({ pending: 0, running: 0, done: 1, dead: 0 });
  });

  it('stops before the next batch once asked to', async () => {
    db.transaction(() => {
      for (let i = 0; i < 1200; i++) job(`j${i}`, 'done', 200);
    })();
    let steps = 0;
    const pruned = await pruneDatabase(db, POLICY, NOW, { stopped: () => steps++ >= 1, stepRows: 500 });
    expect(pruned).toEqual({ doneJobs: 500, seenSales: 0 });
    expect(keys()).toHaveLength(700);
  });

  it('jobs made after the cut-off end the scan: a recent window is never read', async () => {
    job('old', 'done', 200);
    for (let i = 0; i < 5; i++) job(`recent-${i}`, 'done', 10);
    const scanned: number[] = [];
    const pruned = await pruneDatabase(db, POLICY, NOW, { stepRows: 1, stopped: () => (scanned.push(1), false) });
    expect(pruned.doneJobs).toBe(1);
    // One window of jobs, then one batch of sales (none) — not one step per recent job.
    expect(scanned.length).toBeLessThanOrEqual(3);
  });
});

describe('pruneDatabase: cached sales and refunds', () => {
  it('sales in batches: 1,100 old ones go in steps of 500, recent ones stay', async () => {
    db.transaction(() => {
      for (let i = 0; i < 1100; i++) sale(`s${String(i).padStart(4, '0')}`, 200);
    })();
    sale('recent', 10);
    let steps = 0;
    expect((await pruneDatabase(db, POLICY, NOW, { stepRows: 500, stopped: () => (steps++, false) })).seenSales).toBe(1100);
    expect(sales()).toEqual(['recent']);
    expect(steps).toBeGreaterThanOrEqual(3);
  });

  it('removes sales nobody looked at for the period unless a refund of them is under way; never a refund', async () => {
    sale('old', 181); refund('r-old', 'old', 'synced', 181);
    sale('old-failed', 181); refund('r-failed', 'old-failed', 'failed', 181);
    sale('old-review', 181); refund('r-review', 'old-review', 'review', 181);
    sale('old-confirmed', 400); refund('r-confirmed', 'old-confirmed', 'confirmed', 400);
    sale('recent', 179);
    const before = db.prepare('SELECT * FROM refunds ORDER BY id').all();
    expect((await pruneDatabase(db, POLICY, NOW)).seenSales).toBe(2);
    expect(sales()).toEqual(['old-confirmed', 'old-review', 'recent']);
    expect(db.prepare('SELECT * FROM refunds ORDER BY id').all()).toEqual(before);
    expect(new RefundStore(db).require('r-old').state).toBe('synced');
  });
});
