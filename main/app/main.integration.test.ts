import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CALL_PREFIX } from '../../preload/contract';
import { RESTART_NOTICE_MESSAGE, RUN_STATE_FILE } from '../crashMarker';

vi.mock('electron', () => import('./fakeElectron'));

/**
 * The whole shell (main.ts) under a mocked Electron, with the real services in training mode on a fresh
 * data folder: single instance, the window and its kiosk options, IPC from the window, the quit that
 * waits for the services, the crash path and the restart notice.
 */
type Fake = typeof import('./fakeElectron');
let userData: string;
let fake: Fake;
let listenersBefore: Map<string, ((...args: unknown[]) => void)[]>;
const PROCESS_EVENTS = ['uncaughtException', 'SIGTERM'] as const;

let ended: Promise<void>;
let hasEnded = false;

beforeEach(async () => {
  userData = mkdtempSync(join(tmpdir(), 'shell-'));
  listenersBefore = new Map(PROCESS_EVENTS.map((e) => [e, (process as NodeJS.EventEmitter).listeners(e) as ((...args: unknown[]) => void)[]]));
  vi.resetModules();
  fake = (await import('electron')) as unknown as Fake;
  fake.resetFakeElectron();
  fake.app.userData = userData;
  // The end of the app: its final quit (will-quit) or its exit after a crash or a failed start.
  hasEnded = false;
  ended = new Promise<void>((resolve) => {
    const end = () => {
      hasEnded = true;
      resolve();
    };
    fake.app.once('will-quit', end);
    fake.app.once('exit', end);
  });
});

afterEach(async () => {
  // Whatever a test left running (services, emulators) is shut down through the app's own path.
  if (!hasEnded && fake.app.listenerCount('before-quit') > 0) {
    fake.app.quit();
    await ended;
  }
  for (const e of PROCESS_EVENTS) {
    for (const l of (process as NodeJS.EventEmitter).listeners(e) as ((...args: unknown[]) => void)[]) if (!listenersBefore.get(e)?.includes(l)) process.removeListener(e, l);
  }
  rmSync(userData, { recursive: true, force: true });
});

const quitFinished = () => ended;

async function boot(): Promise<InstanceType<Fake['BrowserWindow']>> {
  await import('./main');
  const created = once(fake.app, 'browser-window-created');
  fake.app.fireReady();
  const [, win] = (await created) as [unknown, InstanceType<Fake['BrowserWindow']>];
  // IPC is registered right after the window, in the same turn.
  await new Promise((resolve) => setImmediate(resolve));
  return win;
}

const call = (win: InstanceType<Fake['BrowserWindow']>, name: string, payload: unknown = {}) => {
  const handler = fake.ipcMain.handlers.get(IPC_CALL_PREFIX + name);
  if (!handler) throw new Error(`${name} is not registered`);
  return handler({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, payload) as Promise<{ ok: boolean; value?: Record<string, unknown> }>;
};
const marker = () => (existsSync(join(userData, RUN_STATE_FILE)) ? JSON.parse(readFileSync(join(userData, RUN_STATE_FILE), 'utf8')) as Record<string, unknown> : null);

describe('Electron shell (mocked electron, real services)', () => {
  it('a second instance quits at once and touches nothing', async () => {
    fake.app.gotLock = false;
    await import('./main');
    expect(fake.app.quits).toBe(1);
    expect(fake.app.listenerCount('before-quit')).toBe(0);
    expect(fake.protocol.privileged).toEqual([]);
    expect(marker()).toBeNull();
  });

  it('packaged: a kiosk window without DevTools or menu, IPC answers, closing asks, the quit waits for the services', async () => {
    const win = await boot();
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true, frame: false });
    expect(win.options.webPreferences).toMatchObject({ devTools: false, sandbox: true, contextIsolation: true });
    expect(fake.Menu.applicationMenu).toBeNull();
    expect(fake.session.defaultSession.beforeRequest).not.toBeNull();
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://x.example' })).toEqual({ action: 'deny' });
    expect(marker()).toMatchObject({ state: 'running' });

    const status = await call(win, 'app.status');
    expect(status.ok).toBe(true);
    expect(status.value).toMatchObject({ version: '0.1.0-test', trainingMode: true });
    expect(status.value).not.toHaveProperty('restartNotice');

    // Another start at login only brings this window forward.
    win.minimized = true;
    fake.app.emit('second-instance');
    expect(win.isMinimized()).toBe(false);
    expect(win.focused).toBe(true);

    fake.dialog.answers.push(1);
    const quitting = quitFinished();
    expect(win.close()).toBe(false);
    await quitting;
    expect(fake.dialog.boxes).toHaveLength(1);
    expect(win.isDestroyed()).toBe(true);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(marker()).toBeNull();
    expect(fake.app.exitCodes).toEqual([]);
    expect(readFileSync(join(userData, 'logs', 'main.log'), 'utf8')).toMatch(/services closed[\s\S]*shutdown finished.*"outcome":"clean"/);
    // A focus request after the window is gone is ignored.
    fake.app.emit('second-instance');
  });

  it('after a run that did not end cleanly: app.status carries the notice once; a renderer crash exits 1 with its reason', async () => {
    writeFileSync(join(userData, RUN_STATE_FILE), JSON.stringify({ state: 'crashed', pid: 1, startedAt: '2026-12-01T08:00:00.000Z', crashedAt: '2026-12-01T09:00:00.000Z', reason: 'renderer gone: crashed (exit code 139)' }));
    const win = await boot();
    const status = await call(win, 'app.status');
    expect(status.value?.restartNotice).toMatchObject({ message: RESTART_NOTICE_MESSAGE });
    expect(readFileSync(join(userData, 'logs', 'main.log'), 'utf8')).toMatch(/did not end cleanly.*renderer gone: crashed \(exit code 139\)/);

    const exited = quitFinished();
    fake.app.emit('render-process-gone', {}, win.webContents, { reason: 'crashed', exitCode: 11 });
    await exited;
    expect(fake.app.exitCodes).toEqual([1]);
    // Linux: systemd restarts the app; it does not relaunch itself.
    expect(fake.app.relaunches).toBe(0);
    expect(marker()).toMatchObject({ state: 'crashed', reason: 'renderer gone: crashed (exit code 11)' });
  });

  it('development build: an ordinary window with DevTools (F12), no login item', async () => {
    fake.app.isPackaged = false;
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const win = await boot();
    expect(win.options).toMatchObject({ width: 1280, height: 800 });
    expect(win.options).not.toHaveProperty('kiosk');
    expect(win.options.webPreferences).toMatchObject({ devTools: true });
    expect(fake.app.loginItems).toEqual([]);
    const f12 = fake.fakeEvent();
    win.webContents.emit('before-input-event', f12, { type: 'keyDown', key: 'F12', control: false, alt: false, shift: false, meta: false });
    expect(win.webContents.devToolsToggles).toBe(1);
    // Not kiosk: closing the window quits without a question.
    const quitting = quitFinished();
    win.close();
    await quitting;
    expect(fake.dialog.boxes).toEqual([]);
    vi.restoreAllMocks();
  });

  it('a start that fails says so in a box and exits 1', async () => {
    mkdirSync(join(userData, 'cashier.db'));
    await import('./main');
    const exited = quitFinished();
    fake.app.fireReady();
    await exited;
    expect(fake.dialog.errorBoxes).toHaveLength(1);
    expect(fake.dialog.errorBoxes[0]?.title).toBe('Касса возвратов не запустилась');
    expect(fake.app.exitCodes).toEqual([1]);
    // Exit 1 is a failure for systemd too; the next start tells why the last one ended.
    expect(marker()).toMatchObject({ state: 'crashed', reason: expect.stringMatching(/^start failed: /) });
  });
});
