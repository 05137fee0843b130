import { isAppError } from './appError';
import type { Logger } from './log/logger';
import { pruneLogFiles } from './log/logRetention';
import type { Database } from './queue/database';
import { pruneDatabase } from './queue/retention';
import type { RetentionSettings } from './settings/retentionSettings';

export interface RetentionScheduleOptions {
  db: Database;
  logsDir: string;
  /** Read at every run, so a changed settings file applies from the next clean-up on. */
  policy: () => RetentionSettings;
  log: Logger;
  /** The first clean-up waits this long, so the till's start never waits for it. */
  firstAfterMs?: number;
  now?: () => number;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Cleans up the database and the log folder on the schedule the settings name (retentionSettings.ts):
 * a minute after start, then every `everyHours`. Returns the stop function; a run in progress stops
 * before its next batch, so the database can be closed right after.
 */
export function startRetention(opts: RetentionScheduleOptions): () => void {
  const now = opts.now ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<void> => {
    const policy = opts.policy();
    const started = performance.now();
    try {
      const rows = await pruneDatabase(opts.db, policy, now(), { stopped: () => stopped });
      const logFiles = stopped ? [] : pruneLogFiles(opts.logsDir, policy, now());
      opts.log.info('retention run', { ...rows, logFiles: logFiles.length, ms: Math.round(performance.now() - started) });
    } catch (e) {
      // Nothing is lost when a clean-up fails (a full disk, a locked file): it is logged and the next run tries again.
      opts.log.error('retention run failed', isAppError(e) ? { code: e.code, detail: e.detail } : { error: e instanceof Error ? e.message : String(e) });
    }
    if (!stopped) schedule(policy.everyHours * HOUR_MS);
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => void run(), ms);
    timer.unref();
  };

  schedule(opts.firstAfterMs ?? 60_000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
