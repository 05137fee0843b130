import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../main/log/logger';
import { createServices } from '../../main/services';
import { serveApp } from '../e2e/serveApp';

/**
 * Issue 16 point 4: under umask 022 the data folder was 0755 and the database (RRNs), logs and settings
 * 0644; the bridge token was 0600 only when first created. On Linux every start now tightens the folder
 * to 0700 and each file to 0600, and the umask it sets makes files born later 0600 as well.
 */
const linux = process.platform !== 'win32';
const dirs: string[] = [];
let umaskBefore: number | null = null;
afterEach(() => {
  // createServices sets this worker's umask to 077; the next test file starts from the usual one.
  if (umaskBefore !== null) process.umask(umaskBefore);
  umaskBefore = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data folder as a loose umask (or a restored backup) leaves it: 0755 folders, 0644 files. */
function looseDataFolder(): string {
  umaskBefore = process.umask(0o022);
  const dir = mkdtempSync(join(tmpdir(), 'data-modes-'));
  dirs.push(dir);
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'logs'), { mode: 0o755 });
  writeFileSync(join(dir, 'logs', 'main.3.log'), 'old log line\n', { mode: 0o644 });
  writeFileSync(join(dir, 'bridge-token'), 'old-token', { mode: 0o644 });
  return dir;
}

/** Every entry under `dir` whose permission bits are not owner-only: folders 0700, files 0600. */
function looseEntries(dir: string): string[] {
  const loose: string[] = [];
  const visit = (path: string) => {
    const mode = statSync(path).mode & 0o777;
    if (statSync(path).isDirectory()) {
      if (mode !== 0o700) loose.push(`${path} ${mode.toString(8)}`);
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (mode !== 0o600) {
      loose.push(`${path} ${mode.toString(8)}`);
    }
  };
  visit(dir);
  return loose;
}

describe.runIf(linux)('the data folder is the cashier account\'s alone', () => {
  it('tightens the folder and every file at start, including the database, its WAL and shared memory, and the logs', async () => {
    const dir = looseDataFolder();
    const services = await createServices({ dataDir: dir, version: 'test', forceTraining: true });
    try {
      for (const file of ['cashier.db', 'cashier.db-wal', 'cashier.db-shm', 'settings.json', 'settings.last-good.json', join('logs', 'main.log')]) {
        expect(existsSync(join(dir, file)), file).toBe(true);
      }
      expect(looseEntries(dir)).toEqual([]);
    } finally {
      await services.close();
    }
  });

  it('files born after the start are 0600 too: a rotated log', async () => {
    const dir = looseDataFolder();
    const services = await createServices({ dataDir: dir, version: 'test', forceTraining: true });
    try {
      // A second logger rotating every few lines stands for the services' logger a week later.
      const log = createLogger({ dir: join(dir, 'logs'), fileName: 'rotating.log', maxBytes: 600, keep: 2 });
      for (let i = 0; i < 40; i++) log.info('a line long enough to make the file rotate soon', { i });
      expect(existsSync(join(dir, 'logs', 'rotating.1.log'))).toBe(true);
      expect(looseEntries(dir)).toEqual([]);
    } finally {
      await services.close();
    }
  });

  it('the bridge CLI tightens an existing folder and bridge-token at start', async () => {
    const dir = looseDataFolder();
    // serveApp passes its own --data-dir first; the last one given wins.
    const served = await serveApp(['--data-dir', dir]);
    try {
      expect(statSync(join(dir, 'bridge-token')).mode & 0o777).toBe(0o600);
      expect(looseEntries(dir)).toEqual([]);
    } finally {
      await served.stop();
    }
  });
});
