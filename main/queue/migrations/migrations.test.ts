import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/queue/tempDir';
import { caughtAppError } from '../../../test/support/caughtAppError';
import { RefundStore } from '../../refunds/refundStore';
import { openDatabase, type Database } from '../database';
import { Outbox } from '../outbox';
import { allMigrations } from '.';

/**
 * A till's database of every earlier schema version, frozen as SQL in test/fixtures/db/v<N>.sql (made by
 * that version's migrations, with rows a till really holds), opened by today's program: it must migrate
 * forward without losing or changing a row, and today's code must read and extend what it finds.
 */
const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'db');
const latest = allMigrations.length;
const earlier = Array.from({ length: latest - 1 }, (_, i) => i + 1);

let tmp: ReturnType<typeof tempDir>;
const open: Database[] = [];
beforeEach(() => {
  tmp = tempDir('migrations-');
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  tmp.remove();
});

/** A database file as version `v` of the program left it. */
function fixtureDatabase(v: number): string {
  const file = tmp.file(`v${v}.db`);
  const db = new BetterSqlite3(file);
  db.exec(readFileSync(join(FIXTURES, `v${v}.sql`), 'utf8'));
  db.close();
  return file;
}

type Row = Record<string, unknown>;
function snapshot(file: string): Map<string, Row[]> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
    return new Map(tables.map((t) => [t, db.prepare(`SELECT rowid AS _rowid, * FROM "${t}" ORDER BY rowid`).all() as Row[]]));
  } finally {
    db.close();
  }
}

describe('database fixtures', () => {
  it('every earlier schema version has a fixture, and it says which version it is', () => {
    const files = readdirSync(FIXTURES);
    for (const v of earlier) {
      expect(files, `test/fixtures/db/v${v}.sql`).toContain(`v${v}.sql`);
      const db = new BetterSqlite3(fixtureDatabase(v), { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(v);
      db.close();
    }
  });
});

describe.each(earlier)('a version %i database', (v) => {
  it(`migrates to version ${latest} keeping every row and column it had`, () => {
    const file = fixtureDatabase(v);
    const before = snapshot(file);
    const db = openDatabase(file);
    open.push(db);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    for (const [table, rows] of before) {
      expect(rows.length, `${table} has rows in the fixture`).toBeGreaterThan(0);
      for (const old of rows) {
        const columns = Object.keys(old).filter((c) => c !== '_rowid');
        const now = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE rowid = ?`).get(old._rowid);
        const { _rowid, ...expected } = old;
        expect(now, `${table} rowid ${String(_rowid)}`).toEqual(expected);
      }
    }
  });

  it('today\'s outbox and refund store read it and carry on', () => {
    const db = openDatabase(fixtureDatabase(v));
    open.push(db);
    const outbox = new Outbox(db);
    expect(outbox.stats().counts).toEqual({ pending: 1, running: 1, done: 3, dead: 1 });
    // Attempts started before the maybe-sent mark existed count as maybe sent (migration 005).
    expect(db.prepare('SELECT id, attempts, sent_attempts FROM outbox_jobs WHERE sent_attempts != attempts').all()).toEqual([]);
    const added = outbox.enqueue({ kind: 'k', backend: 'lifepay', payload: { n: 1 }, idempotencyKey: 'after-upgrade' });
    expect(outbox.claimNext('lifepay', Date.now(), 'w')?.row.id).toBe(added.id);

    if (v < 2) return;
    const refunds = new RefundStore(db);
    const synced = refunds.require('r-synced');
    expect(synced).toMatchObject({ state: 'synced', totalMinor: 150050, fiscal: { number: 41, fiscalSign: '3522249431' } });
    expect(synced.lines.map((l) => l.amountMinor)).toEqual([25050, 125000]);
    // Migration 007: a refund recorded before receipts had rows is its own single receipt.
    expect(refunds.receipts('r-synced')).toEqual([{ seq: 1, lineIds: synced.lines.map((l) => l.lineId), tenders: synced.tenders.map((t) => ({ paymentPartId: t.paymentPartId, amountMinor: t.amountMinor })), totalMinor: 150050, docNumberBefore: expect.any(Number), fiscal: synced.fiscal }]);
    expect(synced.receipts).toEqual([synced.fiscal]);
    expect(refunds.require('r-review')).toMatchObject({ state: 'review', currency: 'UZS', recovered: v >= 4 ? 'background' : null, recoveredSeen: v >= 4 });
    expect(refunds.require('r-open').recovered).toBe(v >= 4 ? 'restart' : null);
  });
});

it('a database from a newer program is refused in Russian, whatever its contents', () => {
  const file = fixtureDatabase(latest - 1);
  const db = new BetterSqlite3(file);
  db.pragma(`user_version = ${latest + 1}`);
  db.close();
  const error = caughtAppError(() => openDatabase(file));
  expect(error.code).toBe('QUEUE_DB_TOO_NEW');
  expect(error.message).toMatch(/более новой версией программы кассы.*Не удаляйте файл/);
});
