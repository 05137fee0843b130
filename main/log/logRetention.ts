import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RetentionSettings } from '../settings/retentionSettings';

/**
 * Removes rotated log files (main.1.log, main.2.log … as rotateLogFiles.ts names them) that are older
 * than the retention period, then the oldest of the rest while together they exceed the size cap.
 * Rotation by size alone keeps a quiet till's logs for months and a busy one's for days; this keeps a
 * month either way within a bounded folder. A file being written (main.log itself) is never touched.
 */
export type LogRetention = Pick<RetentionSettings, 'logDays' | 'logMaxMegabytes'>;

const ROTATED = /^.+\.(\d+)\.log$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export function pruneLogFiles(dir: string, policy: LogRetention, now: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const rotated = names
    .filter((name) => ROTATED.test(name))
    .map((name) => ({ name, ...statOf(join(dir, name)) }))
    .filter((f): f is { name: string; mtimeMs: number; size: number } => f.size !== undefined)
    // Newest first: a higher rotation number is older; the modification time breaks ties between loggers.
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  const removed: string[] = [];
  const cutoff = now - policy.logDays * DAY_MS;
  const capBytes = policy.logMaxMegabytes * 1024 * 1024;
  let kept = 0;
  let full = false;
  for (const f of rotated) {
    // Once one file does not fit under the cap, every older one goes too, however small.
    full ||= kept + f.size > capBytes;
    if (full || f.mtimeMs < cutoff) {
      rmSync(join(dir, f.name), { force: true });
      removed.push(f.name);
    } else {
      kept += f.size;
    }
  }
  return removed;
}

function statOf(file: string): { mtimeMs: number; size?: number } {
  try {
    const s = statSync(file);
    return { mtimeMs: s.mtimeMs, size: s.size };
  } catch (e) {
    // Rotation may rename it away between the listing and here.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { mtimeMs: 0 };
    throw e;
  }
}
