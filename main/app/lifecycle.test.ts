import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { beginRun, RUN_STATE_FILE } from '../crashMarker';
import { createLogger } from '../log/logger';
import { createShutdown, type ShutdownOutcome } from '../shutdown';
import { watchForCrashes } from './crashWatch';
import { app, BrowserWindow as FakeWindow } from './fakeElectron';
import { manageLifecycle } from './lifecycle';

vi.mock('electron', () => import('./fakeElectron'));

/**
 * The quit and crash paths against a real crash marker, a real logger and the shared shutdown, whose one
 * step is a receipt the test finishes when it wants: nothing may exit before it is done.
 */
let dir: string;
let receiptDone: () => void;
let steps: string[];
let proc: EventEmitter;

function setUp(relaunch = false) {
  const log = createLogger({ dir: join(dir, 'logs'), console: false });
  const marker = beginRun(dir);
  const receipt = new Promise<void>((resolve) => {
    receiptDone = resolve;
  });
  const shutdown = createShutdown({
    log, timeoutMs: 10_000,
    steps: [{ name: 'receipt', run: async () => {
      steps.push('receipt started');
      await receipt;
      steps.push('receipt finished');
    } }],
  });
  const outcomes: ShutdownOutcome[] = [];
  const lifecycle = manageLifecycle({ shutdown: (r) => shutdown(r).then((o) => (outcomes.push(o), o)), marker, log, relaunchAfterCrash: () => relaunch, proc });
  watchForCrashes(lifecycle.crash, lifecycle.isQuitting, proc);
  return { lifecycle, outcomes, log };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));
const marker = () => (existsSync(join(dir, RUN_STATE_FILE)) ? JSON.parse(readFileSync(join(dir, RUN_STATE_FILE), 'utf8')) as Record<string, unknown> : null);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifecycle-'));
  steps = [];
  proc = new EventEmitter();
  app.removeAllListeners();
  app.quits = 0;
  app.exitCodes.length = 0;
  app.relaunches = 0;
  app.quitting = false;
  FakeWindow.all.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('quitting', () => {
  it('a quit waits for the receipt in progress, then removes the crash marker and quits for real', async () => {
    const { lifecycle } = setUp();
    const win = new FakeWindow({});
    expect(lifecycle.isQuitting()).toBe(false);
    app.quit();
    await settle();
    expect(lifecycle.isQuitting()).toBe(true);
    expect(steps).toEqual(['receipt started']);
    expect(win.isDestroyed()).toBe(false);
    expect(marker()).toMatchObject({ state: 'running' });
    receiptDone();
    await settle();
    await settle();
    expect(steps).toEqual(['receipt started', 'receipt finished']);
    expect(win.isDestroyed()).toBe(true);
    expect(marker()).toBeNull();
    expect(app.exitCodes).toEqual([]);
    expect(app.quits).toBe(2);
  });

  it('closing the last window and SIGTERM (system shutdown, systemctl stop) take the same path', async () => {
    const { lifecycle } = setUp();
    const win = new FakeWindow({});
    win.close();
    expect(lifecycle.isQuitting()).toBe(true);
    proc.emit('SIGTERM');
    receiptDone();
    await settle();
    await settle();
    expect(steps).toEqual(['receipt started', 'receipt finished']);
    expect(marker()).toBeNull();
  });
});

describe('after a crash', () => {
  it('an uncaught exception records why, waits for the receipt, and exits 1 for systemd to restart (Linux)', async () => {
    setUp(false);
    proc.emit('uncaughtException', new Error('boom in the main process'));
    await settle();
    expect(marker()).toMatchObject({ state: 'crashed', reason: expect.stringMatching(/^uncaught exception: Error: boom in the main process/) });
    expect(app.exitCodes).toEqual([]);
    receiptDone();
    await settle();
    await settle();
    expect(app.exitCodes).toEqual([1]);
    expect(app.relaunches).toBe(0);
    expect(marker()).toMatchObject({ state: 'crashed' });
    expect(readFileSync(join(dir, 'logs', 'main.log'), 'utf8')).toMatch(/exiting after a crash.*"relaunch":false/);
  });

  it('on Windows the app relaunches itself before exiting', async () => {
    setUp(true);
    proc.emit('uncaughtException', 'a thrown string');
    receiptDone();
    await settle();
    await settle();
    expect(marker()).toMatchObject({ reason: 'uncaught exception: a thrown string' });
    expect(app.relaunches).toBe(1);
    expect(app.exitCodes).toEqual([1]);
  });

  it('the renderer gone or a utility process gone is a crash; a clean exit or the GPU process is not', async () => {
    setUp();
    app.emit('render-process-gone', {}, {}, { reason: 'clean-exit', exitCode: 0 });
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 11 });
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'clean-exit', exitCode: 0 });
    expect(app.quits).toBe(0);
    app.emit('render-process-gone', {}, {}, { reason: 'oom', exitCode: -536870904 });
    expect(marker()).toMatchObject({ state: 'crashed', reason: 'renderer gone: oom (exit code -536870904)' });
    // The first crash is the one recorded; what follows is part of it.
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'crashed', exitCode: 1 });
    expect(marker()).toMatchObject({ reason: 'renderer gone: oom (exit code -536870904)' });
    expect(app.quits).toBe(1);
  });

  it('a utility process gone is recorded as such', () => {
    setUp();
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'killed', exitCode: 9 });
    expect(marker()).toMatchObject({ reason: 'Utility process gone: killed (exit code 9)' });
  });

  it('processes that end while the app quits are not crashes', async () => {
    const { lifecycle } = setUp();
    app.quit();
    expect(lifecycle.isQuitting()).toBe(true);
    app.emit('render-process-gone', {}, {}, { reason: 'killed', exitCode: 9 });
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'killed', exitCode: 9 });
    receiptDone();
    await settle();
    await settle();
    expect(marker()).toBeNull();
    expect(app.exitCodes).toEqual([]);
  });
});
