import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/**
 * The data folder holds the refund database (card RRNs), the settings, the logs, the bridge token and,
 * when the person allowed it, keys in clear text: nobody but the cashier's own account may read any of
 * it. On Linux the folder and every folder under it become 0700 and every file 0600 at each start (a
 * copy restored from a backup or a file a person edited comes back tightened), and the process umask
 * becomes 077 so that files made later (a rotated log, SQLite's -wal and -shm, a new settings copy) are
 * born 0600 too. Windows gives %APPDATA% a per-user ACL already (README, data folder); modes mean
 * nothing there. A worker thread cannot change the process's umask (Node refuses): there the folder is
 * tightened and the umask is left to the shell's main thread, which calls this first (main/app, main/server).
 */
export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;
const UMASK = 0o077;

/** Call first thing in a shell, before anything writes to the folder. Returns the umask it replaced. */
export function secureDataFolder(dir: string): number | null {
  if (process.platform === 'win32') {
    mkdirSync(dir, { recursive: true });
    return null;
  }
  const previous = isMainThread ? process.umask(UMASK) : null;
  mkdirSync(dir, { recursive: true, mode: FOLDER_MODE });
  tighten(dir);
  return previous;
}

function tighten(dir: string): void {
  chmodSync(dir, FOLDER_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // A symlink is not followed: chmod would change whatever it points to, inside the folder or not.
    if (entry.isDirectory()) tighten(path);
    else if (entry.isFile()) chmodIfPresent(path);
  }
}

function chmodIfPresent(path: string): void {
  try {
    chmodSync(path, FILE_MODE);
  } catch (e) {
    // A log rotated away between listing and chmod is gone, not exposed.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
