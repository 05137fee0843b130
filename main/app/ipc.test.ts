import { afterEach, describe, expect, it, vi } from 'vitest';
import { callNames, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, type Handlers } from '../../preload/contract';
import { EventBus } from '../eventBus';
import { BrowserWindow as FakeWindow, ipcMain } from './fakeElectron';
import { registerIpc } from './ipc';
import type { BrowserWindow } from 'electron';

vi.mock('electron', () => import('./fakeElectron'));

const status = {
  version: '1', trainingMode: true, currency: 'RUB', backends: { lifepos: 'online', lifepay: 'offline', regos: 'unknown' },
  printer: { state: 'ready', message: 'Принтер готов' }, shift: { state: 'open' },
};
const handlers = { 'app.status': async () => status } as unknown as Handlers;
const errors: { message: string; fields?: Record<string, unknown> }[] = [];
const log = { error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, ...(fields ? { fields } : {}) }), warn: () => undefined, info: () => undefined, debug: () => undefined };

function setUp() {
  const win = new FakeWindow({});
  let current: FakeWindow | null = win;
  const bus = new EventBus();
  const unregister = registerIpc(handlers, bus, () => current as unknown as BrowserWindow | null, log);
  const invoke = (name: string, sender: { id: number }, frame: { url: string } | null, payload: unknown = {}) => {
    const handler = ipcMain.handlers.get(IPC_CALL_PREFIX + name);
    if (!handler) throw new Error(`no handler for ${name}`);
    return handler({ sender, senderFrame: frame }, payload);
  };
  return { win, bus, unregister, invoke, setWindow: (w: FakeWindow | null) => (current = w) };
}

describe('IPC from the contract', () => {
  afterEach(() => ipcMain.handlers.clear());

  it('registers one handler per call and answers our own window’s main frame', async () => {
    const { win, invoke, unregister } = setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(callNames.map((n) => IPC_CALL_PREFIX + n).sort());
    expect(await invoke('app.status', win.webContents, win.webContents.mainFrame)).toEqual({ ok: true, value: status });
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('refuses another window, a subframe, a foreign URL, a closed window, and logs each', async () => {
    const { win, invoke, unregister, setWindow } = setUp();
    errors.length = 0;
    const other = new FakeWindow({});
    const refused = { ok: false, error: { code: 'ipc.untrusted_sender', message: 'Запрос отклонён: неизвестный источник' } };
    expect(await invoke('app.status', other.webContents, other.webContents.mainFrame)).toEqual(refused);
    expect(await invoke('app.status', win.webContents, { url: 'app://cashier/index.html' })).toEqual(refused);
    win.webContents.mainFrame.url = 'https://evil.example/';
    expect(await invoke('app.status', win.webContents, win.webContents.mainFrame)).toEqual(refused);
    win.webContents.mainFrame.url = 'app://cashier/index.html';
    expect(await invoke('app.status', win.webContents, null)).toEqual(refused);
    win.destroyed = true;
    expect(await invoke('app.status', win.webContents, win.webContents.mainFrame)).toEqual(refused);
    setWindow(null);
    expect(await invoke('app.status', win.webContents, win.webContents.mainFrame)).toEqual(refused);
    expect(errors.map((e) => e.fields?.url)).toEqual(['app://cashier/index.html', 'app://cashier/index.html', 'https://evil.example/', null, 'app://cashier/index.html', 'app://cashier/index.html']);
    unregister();
  });

  it('a payload the contract refuses is an error answer, not a throw', async () => {
    const { win, invoke, unregister } = setUp();
    const answer = await invoke('app.status', win.webContents, win.webContents.mainFrame, { extra: 1 }) as { ok: boolean; error: { code: string } };
    expect(answer.ok).toBe(false);
    unregister();
  });

  it('forwards bus events to the window while it lives, and stops after unregister', () => {
    const { win, bus, unregister, setWindow } = setUp();
    bus.emit('sync.status', { counts: { pending: 0, running: 0, done: 0, dead: 0 }, oldestPendingAgeMs: null, dead: [] });
    expect(win.webContents.sent).toEqual([[IPC_EVENT_CHANNEL, 'sync.status', { counts: { pending: 0, running: 0, done: 0, dead: 0 }, oldestPendingAgeMs: null, dead: [] }]]);
    win.destroyed = true;
    bus.emit('sync.status', { counts: { pending: 1, running: 0, done: 0, dead: 0 }, oldestPendingAgeMs: 5, dead: [] });
    setWindow(null);
    bus.emit('sync.status', { counts: { pending: 2, running: 0, done: 0, dead: 0 }, oldestPendingAgeMs: 5, dead: [] });
    expect(win.webContents.sent).toHaveLength(1);
    unregister();
    win.destroyed = false;
    setWindow(win);
    bus.emit('sync.status', { counts: { pending: 3, running: 0, done: 0, dead: 0 }, oldestPendingAgeMs: 5, dead: [] });
    expect(win.webContents.sent).toHaveLength(1);
  });
});
