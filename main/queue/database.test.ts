import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { openDatabase, type Database, type Migration } from './database';
import { allMigrations } from './migrations';
import { Outbox } from './outbox';
import { caughtAppError } from '../../test/support/caughtAppError';

let tmp: ReturnType<typeof tempDir>;
const open: Database[] = [];
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  tmp.remove();
});

function track(db: Database): Database {
  open.push(db);
  return db;
}


const notes: Migration = { version: allMigrations.length + 1, name: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)' };
const notesFromFn: Migration = {
  version: allMigrations.length + 2,
  name: 'notes-seed',
  up: (db) => {
    db.prepare('INSERT INTO notes (text) VALUES (?)').run('seeded by a function migration');
  },
};

describe('openDatabase', () => {
  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const db = track(openDatabase(tmp.file('a.db')));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(allMigrations.length);
  });

  it('runs migrations forward from an older version and keeps the data', () => {
    const file = tmp.file('a.db');
    const v1 = openDatabase(file);
    v1.prepare(`INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, run_at, created_at, updated_at)
                VALUES ('k', 'b', 'key-1', '{}', 0, 0, 0)`).run();
    v1.close();
    const db = track(openDatabase(file, { migrations: [...allMigrations, notes, notesFromFn] }));
    expect(db.pragma('user_version', { simple: true })).toBe(allMigrations.length + 2);
    expect(db.prepare('SELECT text FROM notes').pluck().all()).toEqual(['seeded by a function migration']);
    expect(db.prepare('SELECT idempotency_key FROM outbox_jobs').pluck().all()).toEqual(['key-1']);
  });

  it('moves a version 2 outbox onto the version 3 indexes without losing a job or a count', () => {
    const file = tmp.file('v2.db');
    const v2 = openDatabase(file, { migrations: allMigrations.slice(0, 2) });
    // Rows as version 2's code wrote them (today's Outbox needs today's columns).
    const insert = v2.prepare(`INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, state, attempts, locked_by, run_at, created_at, updated_at)
                               VALUES ('k', 'lifepos', ?, '{}', ?, ?, ?, 0, 0, 0)`);
    insert.run('a', 'pending', 0, null);
    insert.run('b', 'running', 1, 'w1');
    insert.run('c', 'dead', 1, null);
    insert.run('d', 'done', 1, null);
    v2.close();
    const db = track(openDatabase(file));
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox_jobs' AND sql IS NOT NULL ORDER BY name`).pluck().all();
    expect(indexes).toEqual(['outbox_jobs_dead', 'outbox_jobs_depends_on', 'outbox_jobs_open']);
    expect(new Outbox(db).stats().counts).toEqual({ pending: 1, running: 1, done: 1, dead: 1 });
  });

  it('rolls a failing migration back whole and leaves user_version at the last good step', () => {
    const file = tmp.file('a.db');
    const broken: Migration = { version: allMigrations.length + 1, name: 'broken', up: 'CREATE TABLE t1 (x); CREATE TABLE t1 (x);' };
    const error = caughtAppError(() => openDatabase(file, { migrations: [...allMigrations, broken] }));
    expect(error.message).toMatch(/[а-я]/);
    const db = track(openDatabase(file));
    expect(db.pragma('user_version', { simple: true })).toBe(allMigrations.length);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 't1'`).pluck().get()).toBe(0);
  });

  it('refuses a file from a newer version with a Russian message and leaves it untouched', () => {
    const file = tmp.file('a.db');
    openDatabase(file, { migrations: [...allMigrations, notes] }).close();
    const before = readFileSync(file);
    const error = caughtAppError(() => openDatabase(file));
    expect(error.code).toBe('QUEUE_DB_TOO_NEW');
    expect(error.retry).toBe('permanent');
    expect(error.message).toContain('более новой версией');
    expect(error.message).toContain('Не удаляйте файл');
    expect(error.detail).toBe(`user_version ${allMigrations.length + 1} > ${allMigrations.length}`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database', () => {
    const file = tmp.file('a.db');
    writeFileSync(file, Buffer.from('this is a text file, not SQLite, '.repeat(200)));
    const error = caughtAppError(() => openDatabase(file));
    expect(error.code).toBe('QUEUE_DB_CORRUPT');
    expect(error.message).toContain('повреждён');
  });

  it('refuses a database whose pages were overwritten with garbage', () => {
    const file = tmp.file('a.db');
    const db = openDatabase(file);
    const insert = db.prepare(`INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, run_at, created_at, updated_at)
                               VALUES ('k', 'b', ?, ?, 0, 0, 0)`);
    db.transaction(() => {
      for (let i = 0; i < 300; i++) insert.run(`key-${i}`, JSON.stringify({ filler: 'x'.repeat(200), i }));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const pageSize = 4096;
    expect(statSync(file).size).toBeGreaterThan(pageSize * 6);
    const fd = openSync(file, 'r+');
    // Pages 3..5 hold the table's b-tree: garbage there must be caught at open, not mid-refund.
    writeSync(fd, Buffer.alloc(pageSize * 3, 0xa5), 0, pageSize * 3, pageSize * 2);
    closeSync(fd);
    const error = caughtAppError(() => openDatabase(file));
    expect(error.code).toBe('QUEUE_DB_CORRUPT');
  });

  it('refuses a migration list with a gap', () => {
    const gap: Migration = { version: allMigrations.length + 2, name: 'gap', up: 'SELECT 1' };
    const error = caughtAppError(() => openDatabase(tmp.file('a.db'), { migrations: [...allMigrations, gap] }));
    expect(error).toMatchObject({
      code: 'QUEUE_MIGRATIONS_INVALID',
      retry: 'permanent',
      detail: `migration #${allMigrations.length} "gap" has version ${allMigrations.length + 2}, expected ${allMigrations.length + 1}`,
    });
    expect(error.message).toContain('нарушен порядок обновлений');
  });

  it('says the folder is not writable instead of crashing', () => {
    const error = caughtAppError(() => openDatabase(tmp.file('missing-folder/a.db')));
    expect(error.code).toBe('QUEUE_DB_CANT_OPEN');
    expect(error.message).toContain('Не удаётся открыть');
  });

  it('takes a busy timeout in whole milliseconds, never below zero', () => {
    expect(track(openDatabase(tmp.file('a.db'), { busyTimeoutMs: 2500.9 })).pragma('busy_timeout', { simple: true })).toBe(2500);
    expect(track(openDatabase(tmp.file('b.db'), { busyTimeoutMs: -5 })).pragma('busy_timeout', { simple: true })).toBe(0);
  });

  it('keeps the steps that succeeded when a later one fails, and resumes from there with every row', () => {
    const file = tmp.file('a.db');
    const v2 = openDatabase(file, { migrations: allMigrations.slice(0, 2) });
    v2.prepare(`INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, state, attempts, run_at, created_at, updated_at)
                VALUES ('k', 'lifepos', 'tried', '{}', 'dead', 2, 0, 0, 0)`).run();
    v2.close();
    const broken: Migration = { version: allMigrations.length + 1, name: 'broken', up: 'SELECT no_such_function()' };
    expect(caughtAppError(() => openDatabase(file, { migrations: [...allMigrations, broken] })).code).toBe('QUEUE_STORAGE_FAILED');
    const db = track(openDatabase(file));
    expect(db.pragma('user_version', { simple: true })).toBe(allMigrations.length);
    expect(new Outbox(db).get('tried')).toMatchObject({ state: 'dead', attempts: 2, maybeSent: true });
  });
});
