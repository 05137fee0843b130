import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleServicesWorker } from '../../scripts/mainBundles';
import { bundledWorkerFile, startServicesInWorker } from './servicesHost';

/**
 * The services worker as the packaged app starts it: bundled to CommonJS by the build's own settings,
 * with better-sqlite3 and serialport left external and required from node_modules inside the worker.
 * The bundle is placed beside the project's node_modules (a temp folder under dist/ would be shared).
 */
let dir: string;
let dist: string;
let workerFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bundled-worker-'));
  dist = join(process.cwd(), 'node_modules', '.cache', `dist-${process.pid}`);
  // Where main.ts looks for it from its own bundle, laid out as scripts/buildMain.ts lays them out.
  workerFile = bundledWorkerFile(join(dist, 'main', 'app', 'main.cjs')) ?? '';
  await bundleServicesWorker(join(dist, 'main', 'host', 'servicesWorker.cjs'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
});

describe('bundled services worker', () => {
  it('loads the native modules from node_modules and serves calls backed by SQLite', async () => {
    expect(bundledWorkerFile(join(process.cwd(), 'main', 'app', 'main.ts'))).toBeUndefined();
    const bundle = readFileSync(workerFile, 'utf8');
    for (const external of ['better-sqlite3', 'serialport']) expect(bundle).toContain(`require("${external}")`);
    const host = await startServicesInWorker({ dataDir: dir, version: 'bundle', forceTraining: true, workerFile });
    try {
      const sync = await host.handlers['sync.status']({});
      expect(sync.counts).toMatchObject({ dead: 0 });
      expect(await host.handlers['refunds.list']({})).toEqual([]);
      expect((await host.handlers['app.status']({})).version).toBe('bundle');
    } finally {
      await host.close();
    }
  });
});
