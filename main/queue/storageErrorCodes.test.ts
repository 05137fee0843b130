import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storageError } from './storageErrors';

/**
 * SQLite reports extended result codes (https://www.sqlite.org/rescode.html#extrc): SQLITE_BUSY_SNAPSHOT,
 * SQLITE_CORRUPT_VTAB, SQLITE_CANTOPEN_ISDIR, SQLITE_READONLY_DBMOVED … each must reach the cashier as its
 * primary code's message (issue 11 point 7: StrykerJS storageErrors.ts 23–70). The real failures behind the
 * common codes are in storageErrors.test.ts; these are the ones a test cannot easily provoke.
 */
const cases: [string, string, 'transient' | 'permanent'][] = [
  ['SQLITE_CORRUPT_VTAB', 'QUEUE_DB_CORRUPT', 'permanent'],
  ['SQLITE_CORRUPT_INDEX', 'QUEUE_DB_CORRUPT', 'permanent'],
  ['SQLITE_NOTADB', 'QUEUE_DB_CORRUPT', 'permanent'],
  ['SQLITE_BUSY_SNAPSHOT', 'QUEUE_DB_BUSY', 'transient'],
  ['SQLITE_LOCKED_SHAREDCACHE', 'QUEUE_DB_BUSY', 'transient'],
  ['SQLITE_CANTOPEN_ISDIR', 'QUEUE_DB_CANT_OPEN', 'permanent'],
  ['SQLITE_READONLY_DBMOVED', 'QUEUE_DB_CANT_OPEN', 'permanent'],
  ['SQLITE_PERM', 'QUEUE_DB_CANT_OPEN', 'permanent'],
  ['SQLITE_IOERR_WRITE', 'QUEUE_STORAGE_FAILED', 'transient'],
];

describe('storageError by SQLite extended result code', () => {
  it.each(cases)('%s → %s (%s)', (sqlite, code, retry) => {
    const error = storageError(new Database.SqliteError('refused', sqlite), '/data/q.db');
    expect(error).toMatchObject({ code, retry });
    expect(error.detail).toBe(`${sqlite}: refused (/data/q.db)`);
  });

  it('a code that only ends like a known one is not taken for it', () => {
    expect(storageError(new Database.SqliteError('x', 'XSQLITE_BUSY'), 'q.db').code).toBe('QUEUE_STORAGE_FAILED');
  });

  it('disk full says what is kept and what the cashier does now', () => {
    const error = storageError(new Database.SqliteError('database or disk is full', 'SQLITE_FULL'), 'q.db');
    expect(error.message).toBe(
      'Нет места на диске для очереди отправки. Новая операция не сохранена; всё, что было сохранено раньше, на месте. ' +
        'Освободите место на диске компьютера кассы и повторите операцию.',
    );
  });

  it('a damaged file: keep it for support, start again with a new one', () => {
    const error = storageError(new Database.SqliteError('file is not a database', 'SQLITE_NOTADB'), '/data/q.db');
    expect(error.message).toBe(
      'Файл базы данных очереди повреждён (/data/q.db). Закройте программу, переименуйте этот файл (не удаляйте — он нужен поддержке ' +
        'для восстановления неотправленных операций) и запустите программу снова: будет создана новая база.',
    );
  });
});
