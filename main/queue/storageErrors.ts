import Database from 'better-sqlite3';
import { AppError } from '../appError';

/**
 * SQLite failures reach the cashier as AppErrors with a Russian message that says what to do.
 * Codes are SQLite's extended result codes as better-sqlite3 reports them (SqliteError.code,
 * https://www.sqlite.org/rescode.html); anything unrecognised keeps its code in `detail`.
 */
export function isSqliteError(e: unknown): e is InstanceType<typeof Database.SqliteError> {
  return e instanceof Database.SqliteError;
}

export function storageError(e: unknown, file: string): AppError {
  if (e instanceof AppError) return e;
  const code = isSqliteError(e) ? e.code : 'UNKNOWN';
  const detail = `${code}: ${e instanceof Error ? e.message : String(e)} (${file})`;
  // unix VFS maps ENOSPC on write to SQLITE_FULL, as does hitting PRAGMA max_page_count.
  if (code === 'SQLITE_FULL') {
    return new AppError({
      code: 'QUEUE_DISK_FULL',
      message:
        'Нет места на диске для очереди отправки. Новая операция не сохранена; всё, что было сохранено раньше, на месте. ' +
        'Освободите место на диске компьютера кассы и повторите операцию.',
      retry: 'transient',
      detail,
      cause: e,
    });
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return corruptDatabase(file, detail, e);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError({
      code: 'QUEUE_DB_BUSY',
      message: 'База данных очереди занята другой программой. Закройте второй экземпляр программы кассы и повторите.',
      retry: 'transient',
      detail,
      cause: e,
    });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return cantOpen(file, detail, e);
  }
  return new AppError({
    code: 'QUEUE_STORAGE_FAILED',
    message: 'Ошибка записи в базу данных очереди. Перезапустите программу; если ошибка повторяется, обратитесь в поддержку.',
    retry: 'transient',
    detail,
    cause: e,
  });
}

/** better-sqlite3's constructor throws a plain TypeError for a missing folder, hence a separate door. */
export function cantOpen(file: string, detail: string, cause?: unknown): AppError {
  return new AppError({
      code: 'QUEUE_DB_CANT_OPEN',
    message: `Не удаётся открыть или записать файл базы данных очереди (${file}). Проверьте, что папка данных программы доступна для записи, и перезапустите программу.`,
    retry: 'permanent',
    detail,
    cause,
  });
}

export function corruptDatabase(file: string, detail: string, cause?: unknown): AppError {
  return new AppError({
    code: 'QUEUE_DB_CORRUPT',
    message:
      `Файл базы данных очереди повреждён (${file}). Закройте программу, переименуйте этот файл (не удаляйте — он нужен поддержке ` +
      'для восстановления неотправленных операций) и запустите программу снова: будет создана новая база.',
    retry: 'permanent',
    detail,
    cause,
  });
}
