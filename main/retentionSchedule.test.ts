import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../test/queue/tempDir';
import { createLogger, type FileLogger } from './log/logger';
import { openDatabase, type Database } from './queue/database';
import { Outbox } from './queue/outbox';
import { startRetention } from './retentionSchedule';
import { DEFAULT_RETENTION } from './settings/retentionSettings';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let tmp: ReturnType<typeof tempDir>;
let db: Database;
let log: FileLogger;
let logsDir: string;
const stops: (() => void)[] = [];
beforeEach(() => {
  tmp = tempDir('retention-schedule-');
  db = openDatabase(tmp.file('cashier.db'));
  logsDir = tmp.file('logs');
  log = createLogger({ dir: logsDir });
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  if (db.open) db.close();
  tmp.remove();
});

function oldDoneJob(key: string): void {
  const at = Date.now() - 200 * DAY;
  const outbox = new Outbox(db, { clock: () => at });
  const { id } = outbox.enqueue({ kind: 'k', backend: 'b', payload: {}, idempotencyKey: key });
  outbox.claimNext('b', at, 'w');
  outbox.complete(id, '{}', at);
}

const jobCount = () => db.prepare('SELECT count(*) FROM outbox_jobs').pluck().get();
const logText = () => readFileSync(log.file, 'utf8');

describe('startRetention', () => {
  it('cleans the database and the logs folder with the settings\' periods, and says so in the log', async () => {
    oldDoneJob('old');
    mkdirSync(logsDir, { recursive: true });
    const rotated = join(logsDir, 'main.1.log');
    writeFileSync(rotated, 'old lines');
    const longAgo = new Date(Date.now() - 60 * DAY);
    utimesSync(rotated, longAgo, longAgo);
    stops.push(startRetention({ db, logsDir, policy: () => DEFAULT_RETENTION, log, firstAfterMs: 0 }));
    await vi.waitFor(() => expect(logText()).toMatch(/retention run \{"doneJobs":1,"seenSales":0,"logFiles":1,"ms":\d+\}/));
    expect(jobCount()).toBe(0);
    expect(existsSync(rotated)).toBe(false);
  });

  it('a run that meets a locked database is logged and the next one, an hour later, does the work; after stop nothing runs', async () => {
    oldDoneJob('old');
    const busy = openDatabase(tmp.file('cashier.db'), { busyTimeoutMs: 0 });
    const other = new BetterSqlite3(tmp.file('cashier.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    let runs = 0;
    const policy = () => {
      runs += 1;
      return { ...DEFAULT_RETENTION, everyHours: 1 };
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stop = startRetention({ db: busy, logsDir, policy, log, firstAfterMs: 0 });
      await vi.advanceTimersByTimeAsync(0);
      await vi.waitFor(() => expect(logText()).toMatch(/retention run failed \{"code":"QUEUE_DB_BUSY"/));
      expect(jobCount()).toBe(1);
      other.prepare('ROLLBACK').run();
      await vi.advanceTimersByTimeAsync(HOUR);
      await vi.waitFor(() => expect(jobCount()).toBe(0));
      expect(runs).toBe(2);
      stop();
      await vi.advanceTimersByTimeAsync(10 * HOUR);
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
      other.close();
      busy.close();
    }
  });
});
