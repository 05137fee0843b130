import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueJob } from '../../test/queue/queueFixture';
import { AppError } from '../appError';
import { tempDir } from '../../test/queue/tempDir';
import { caughtAppError } from '../../test/support/caughtAppError';
import { immediateTransaction, openDatabase, type Database } from './database';
import { Outbox } from './outbox';
import { storageError } from './storageErrors';

/**
 * Each way the database refuses a write reaches the cashier as its own Russian message, from real
 * SQLite failures (issue 11 point 7: storage errors never lose a job, and the cashier knows what to do).
 */
let tmp: ReturnType<typeof tempDir>;
const open: Database[] = [];
beforeEach(() => {
  tmp = tempDir('queue-errors-');
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  tmp.remove();
});
const track = (db: Database) => {
  open.push(db);
  return db;
};

describe('storageError from real SQLite refusals', () => {
  it('a second program holding the write lock: busy, transient, nothing of ours half-written', () => {
    const file = tmp.file('q.db');
    const db = track(openDatabase(file, { busyTimeoutMs: 0 }));
    const outbox = new Outbox(db);
    outbox.enqueue(queueJob('kept'));
    const other = track(new BetterSqlite3(file));
    other.exec('BEGIN IMMEDIATE');
    const error = caughtAppError(() => immediateTransaction(db, () => outbox.enqueue(queueJob('refused'))));
    expect(error).toMatchObject({ code: 'QUEUE_DB_BUSY', retry: 'transient' });
    expect(error.message).toContain('занята другой программой');
    expect(error.detail).toMatch(/^SQLITE_BUSY/);
    other.exec('ROLLBACK');
    expect(outbox.list().map((j) => j.idempotencyKey)).toEqual(['kept']);
  });

  it('a read-only file: the folder or file cannot be written, permanent', () => {
    const file = tmp.file('q.db');
    openDatabase(file).close();
    const ro = track(new BetterSqlite3(file, { readonly: true }));
    const error = caughtAppError(() => immediateTransaction(ro, () => ro.exec('DELETE FROM outbox_jobs')));
    expect(error).toMatchObject({ code: 'QUEUE_DB_CANT_OPEN', retry: 'permanent' });
    expect(error.detail).toMatch(/^SQLITE_READONLY/);
  });

  it('a full file: disk full, transient; earlier jobs stay', () => {
    const db = track(openDatabase(tmp.file('q.db')));
    const outbox = new Outbox(db);
    outbox.enqueue(queueJob('kept'));
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const error = caughtAppError(() =>
      immediateTransaction(db, () => outbox.enqueue({ ...queueJob('big'), payload: { n: 1, note: 'x'.repeat(20_000) } })),
    );
    expect(error).toMatchObject({ code: 'QUEUE_DISK_FULL', retry: 'transient' });
    expect(error.detail).toMatch(/^SQLITE_FULL/);
    expect(outbox.list().map((j) => j.idempotencyKey)).toEqual(['kept']);
  });

  it('any other SQLite refusal: a storage failure with its code kept for support; rolled back whole', () => {
    const db = track(openDatabase(tmp.file('q.db')));
    const outbox = new Outbox(db);
    const error = caughtAppError(() =>
      immediateTransaction(db, () => {
        outbox.enqueue(queueJob('a'));
        db.exec(`INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, run_at, created_at, updated_at) VALUES ('k', 'b', 'a', '{}', 0, 0, 0)`);
      }),
    );
    expect(error).toMatchObject({ code: 'QUEUE_STORAGE_FAILED', retry: 'transient' });
    expect(error.detail).toMatch(/^SQLITE_CONSTRAINT/);
    expect(error.detail).toContain('q.db');
    expect(outbox.list()).toEqual([]);
  });

  it('keeps an AppError as it is and names a non-SQLite failure UNKNOWN', () => {
    const own = new AppError({ code: 'REFUND_X', message: 'своя ошибка', retry: 'permanent' });
    expect(storageError(own, 'q.db')).toBe(own);
    expect(storageError(new Error('odd'), 'q.db')).toMatchObject({ code: 'QUEUE_STORAGE_FAILED', detail: 'UNKNOWN: odd (q.db)' });
    expect(storageError('odd', 'q.db')).toMatchObject({ code: 'QUEUE_STORAGE_FAILED', detail: 'UNKNOWN: odd (q.db)' });
  });
});
