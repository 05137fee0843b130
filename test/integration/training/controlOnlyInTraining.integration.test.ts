import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SettingsInput, type SettingsView } from '../../../preload/contract';
import { dispatch } from '../../../main/dispatch';
import { startServicesInWorker, type ServicesHost } from '../../../main/host/servicesHost';
import { createLogger } from '../../../main/log/logger';
import { createFileSecretStore } from '../../../main/secrets/fileSecretStore';
import { createSettingsStore } from '../../../main/settings/settingsStore';

/**
 * Issue 12 point 5, on the built bundle: `npm run build:main` makes dist/main/host/servicesWorker.cjs,
 * the services layer exactly as the packaged app runs it. With training off it starts no emulator, so
 * no fault-injection endpoint (/__control/…) listens anywhere, and training.simulate is refused; with
 * training on the same bundle serves them. Listening sockets are read from /proc (Linux), so the test
 * finds every port the bundle opened without being told.
 */
const WORKER = resolve('dist/main/host/servicesWorker.cjs');
const dirs: string[] = [];
const hosts: ServicesHost[] = [];

beforeAll(() => {
  const built = spawnSync('npx', ['tsx', 'scripts/buildMain.ts'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:main failed');
}, 120_000);
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** TCP ports this process listens on (worker threads included): /proc/net/tcp rows in state 0A whose inode is one of our fds. */
function listeningPorts(): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // The fd closed between listing and reading: it is not listening.
      continue;
    }
  }
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[9] !== undefined && inodes.has(cols[9])) ports.add(Number.parseInt(cols[1]?.split(':')[1] ?? '0', 16));
    }
  }
  return ports;
}

/** A data folder whose settings say training is off, every back end disabled. */
function dataDirWithTraining(on: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'control-'));
  dirs.push(dir);
  const log = createLogger({ dir: join(dir, 'logs'), console: false });
  const store = createSettingsStore({ dir, secrets: createFileSecretStore({ file: join(dir, 'secrets.json'), log }), log });
  const view: SettingsView = store.toView();
  // The view's secrets are { stored } markers: leaving them out keeps what is stored (nothing here).
  const withoutSecrets = JSON.parse(JSON.stringify(view, (_k, v: unknown) => (v !== null && typeof v === 'object' && 'stored' in v ? undefined : v))) as Record<string, unknown>;
  delete withoutSecrets.secretStorage;
  store.save(SettingsInput.parse({ ...withoutSecrets, trainingMode: on }));
  return dir;
}

const quiet = { error: () => undefined };

async function controlAnswers(ports: Iterable<number>): Promise<number[]> {
  const answered: number[] = [];
  for (const port of ports) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/__control/state`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200 && 'state' in (await res.json() as object)) answered.push(port);
    } catch {
      // Not an HTTP listener, or not one of ours.
      continue;
    }
  }
  return answered;
}

describe('fault injection only in training mode (built bundle)', () => {
  it('training off: no emulator listens, no /__control answers, training.simulate is refused', async () => {
    const dataDir = dataDirWithTraining(false);
    const before = listeningPorts();
    const host = await startServicesInWorker({ dataDir, version: 'test', workerFile: WORKER });
    hosts.push(host);
    expect(host.trainingMode).toBe(false);
    const opened = [...listeningPorts()].filter((p) => !before.has(p));
    expect(opened).toEqual([]);
    expect(await controlAnswers(opened)).toEqual([]);
    const r = await dispatch(host.handlers, 'training.simulate', { target: 'lifepos', fault: 'offline' }, quiet);
    expect(r).toMatchObject({ kind: 'result', result: { ok: false, error: { code: 'training.off' } } });
    expect(existsSync(join(dataDir, 'training'))).toBe(false);
  });

  it('training on: the same bundle serves the emulators and their /__control endpoints', async () => {
    const dataDir = dataDirWithTraining(true);
    const before = listeningPorts();
    const host = await startServicesInWorker({ dataDir, version: 'test', workerFile: WORKER });
    hosts.push(host);
    expect(host.trainingMode).toBe(true);
    const opened = [...listeningPorts()].filter((p) => !before.has(p));
    // Three back ends, each with its service and its control listener.
    expect((await controlAnswers(opened)).length).toBeGreaterThanOrEqual(3);
    const r = await dispatch(host.handlers, 'training.simulate', { target: 'lifepos', fault: 'offline' }, quiet);
    expect(r).toMatchObject({ kind: 'result', result: { ok: true } });
  });
});
