import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../appError';
import { allMigrations } from './migrations';
import { cantOpen, corruptDatabase, isSqliteError, storageError } from './storageErrors';

export type Database = BetterSqlite3.Database;

/**
 * One schema step. Migrations are append-only numbered files in ./migrations; `version` is what
 * PRAGMA user_version holds after the step, so the list must be 1, 2, 3 ... with no gaps.
 */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}

export interface OpenDatabaseOptions {
  migrations?: readonly Migration[];
  /** How long a statement waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens (or creates) the app's SQLite file for the outbox and the refunds.
 *
 * - WAL so the worker's reads never wait on the cashier's writes.
 * - synchronous=FULL: better-sqlite3's SQLite defaults WAL to NORMAL, where the last commits can vanish
 *   on power loss; an acknowledged refund or job must not (https://www.sqlite.org/pragma.html#pragma_synchronous).
 * - quick_check at open: a damaged page is reported now with instructions, not as a crash mid-refund.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Database {
  const migrations = opts.migrations ?? allMigrations;
  checkMigrationList(migrations);
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (e) {
    throw isSqliteError(e) ? storageError(e, file) : cantOpen(file, e instanceof Error ? e.message : String(e), e);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw corruptDatabase(file, `quick_check: ${String(check)}`);
    migrate(db, file, migrations);
    return db;
  } catch (e) {
    db.close();
    throw storageError(e, file);
  }
}

/**
 * Runs fn in BEGIN IMMEDIATE ... COMMIT and turns SQLite failures into AppErrors. Use it for a business
 * change plus its outbox jobs: on a real disk the refusal usually comes at COMMIT (when the WAL frames
 * are written), outside anything enqueue could catch, so the caller's transaction is where it must be
 * translated. Inside an open transaction it nests as a savepoint (better-sqlite3's rule).
 */
export function immediateTransaction<T>(db: Database, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (e) {
    throw storageError(e, db.name);
  }
}

function migrate(db: Database, file: string, migrations: readonly Migration[]): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  const latest = migrations.length;
  if (current > latest) {
    throw new AppError({
      code: 'QUEUE_DB_TOO_NEW',
      message:
        `База данных (${file}) создана более новой версией программы кассы (схема ${current}, эта версия знает до ${latest}). ` +
        'Установите последнюю версию программы. Не удаляйте файл: в нём могут быть неотправленные операции.',
      retry: 'permanent',
      detail: `user_version ${current} > ${latest}`,
    });
  }
  for (const m of migrations.slice(current)) {
    // Each step and its user_version bump commit together: a crash mid-upgrade resumes from the last step.
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new AppError({
        code: 'QUEUE_MIGRATIONS_INVALID',
        message: 'Внутренняя ошибка программы: нарушен порядок обновлений базы данных. Обратитесь в поддержку.',
        retry: 'permanent',
        detail: `migration #${i} "${m.name}" has version ${m.version}, expected ${i + 1}`,
      });
    }
  });
}
