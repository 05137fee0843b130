import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow as FakeWindow, fakeEvent, session } from './fakeElectron';
import { createMainWindow, lockDownSession } from './window';

vi.mock('electron', () => import('./fakeElectron'));

const base = { preloadPath: '/app/preload/index.cjs', trainingMode: false, kiosk: false, devTools: false };
const made = (over: Partial<typeof base> = {}) => createMainWindow({ ...base, ...over }) as unknown as FakeWindow;

describe('main window', () => {
  beforeEach(() => {
    FakeWindow.all.length = 0;
  });

  it('kiosk: full screen, no frame, no size of its own; DevTools off', () => {
    const win = made({ kiosk: true });
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true, frame: false, show: false, title: 'Касса возвратов' });
    expect(win.options).not.toHaveProperty('width');
    expect(win.options.webPreferences).toMatchObject({ devTools: false });
  });

  it('windowed (development, or kiosk switched off): 1280×800 with a frame; DevTools as asked', () => {
    const win = made({ trainingMode: true, devTools: true });
    expect(win.options).toMatchObject({ width: 1280, height: 800, title: 'Касса возвратов — учебный режим' });
    expect(win.options).not.toHaveProperty('kiosk');
    expect(win.options).not.toHaveProperty('frame');
    expect(win.options.webPreferences).toMatchObject({ devTools: true });
  });

  it('keeps the security checklist preferences and loads the app origin, shown when ready', () => {
    const win = made();
    expect(win.options.webPreferences).toEqual({
      preload: '/app/preload/index.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick', navigateOnDragDrop: false, spellcheck: false, webviewTag: false, devTools: false,
    });
    expect(win.webContents.loaded).toEqual(['app://cashier/index.html']);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('refuses navigation, redirects, new windows and webviews that leave the app', () => {
    const win = made();
    const outcome = (event: string, url: string) => {
      const e = fakeEvent();
      win.webContents.emit(event, e, url);
      return e.defaultPrevented ? 'refused' : 'allowed';
    };
    expect(outcome('will-navigate', 'https://evil.example/')).toBe('refused');
    expect(outcome('will-navigate', 'app://cashier/index.html')).toBe('allowed');
    expect(outcome('will-redirect', 'http://127.0.0.1:5178/')).toBe('refused');
    expect(outcome('will-redirect', 'app://cashier/settings')).toBe('allowed');
    expect(win.webContents.windowOpenHandler?.({ url: 'app://cashier/x' })).toEqual({ action: 'deny' });
    const attach = fakeEvent();
    win.webContents.emit('will-attach-webview', attach);
    expect(attach.defaultPrevented).toBe(true);
  });
});

describe('session lock-down', () => {
  it('denies every permission and every request that is not the app itself', () => {
    lockDownSession();
    const s = session.defaultSession;
    const answers: boolean[] = [];
    s.permissionRequest?.(null, 'media', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false]);
    expect(s.permissionCheck?.()).toBe(false);
    expect(s.devicePermission?.()).toBe(false);
    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      s.beforeRequest?.({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    expect(cancelled('https://example.com/x.js')).toBe(true);
    expect(cancelled('app://cashier/assets/index.js')).toBe(false);
  });
});
