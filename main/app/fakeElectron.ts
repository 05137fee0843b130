import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The part of Electron's main-process API that main/app uses, for unit tests under plain Node (Electron's
 * binary cannot be installed everywhere CI runs). Each test file mocks 'electron' with this module
 * (`vi.mock('electron', () => import('./fakeElectron'))`); after `vi.resetModules()` a fresh copy comes
 * with fresh state. It records what the shell asked for and lets a test fire the events Electron would.
 * Behaviour follows Electron's documentation (electronjs.org/docs/latest/api): preventable events, a
 * window's 'close' then 'closed', before-quit before the windows close.
 */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export const fakeEvent = (): FakeEvent => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

let nextContentsId = 1;

class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = { url: 'app://cashier/index.html' };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  loaded: string[] = [];
  sent: unknown[][] = [];
  devToolsToggles = 0;
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  loadURL(url: string) {
    this.loaded.push(url);
    return Promise.resolve();
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  toggleDevTools() {
    this.devToolsToggles += 1;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  shown = false;
  minimized = false;
  focused = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
    app.emit('browser-window-created', fakeEvent(), this);
  }
  show() {
    this.shown = true;
  }
  loadURL(url: string) {
    return this.webContents.loadURL(url);
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  focus() {
    this.focused = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** What the window manager does on Alt+F4 or the close button: 'close' may be prevented; then 'closed'. */
  close(): boolean {
    const event = fakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    if (!app.quitting && BrowserWindow.all.every((w) => w.isDestroyed())) app.emit('window-all-closed');
    return true;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  userData = '';
  gotLock = true;
  quits = 0;
  exitCodes: number[] = [];
  relaunches = 0;
  loginItems: Record<string, unknown>[] = [];
  /** Between before-quit and the last window closing: Electron does not emit window-all-closed then. */
  quitting = false;
  private readyResolve: () => void = () => undefined;
  private ready = this.newReady();
  private newReady() {
    return new Promise<void>((resolve) => {
      this.readyResolve = resolve;
    });
  }
  /** A fresh app, as a new process would have. */
  reset() {
    this.removeAllListeners();
    Object.assign(this, { isPackaged: true, userData: '', gotLock: true, quits: 0, exitCodes: [], relaunches: 0, loginItems: [], quitting: false });
    this.ready = this.newReady();
  }
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`fake app.getPath(${name}) not supported`);
    return this.userData;
  }
  getVersion() {
    return '0.1.0-test';
  }
  whenReady() {
    return this.ready;
  }
  /** The test says when Electron is ready. */
  fireReady() {
    this.readyResolve();
  }
  /** Electron's order: before-quit (preventable), then every window closes, then the app quits. */
  quit() {
    this.quits += 1;
    const event = fakeEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.quitting = true;
    for (const win of BrowserWindow.all.filter((w) => !w.isDestroyed())) {
      if (!win.close()) {
        this.quitting = false;
        return;
      }
    }
    this.emit('will-quit', fakeEvent());
  }
  /** Records the code; 'exit' lets a test wait for it (a real process would be gone). */
  exit(code = 0) {
    this.exitCodes.push(code);
    this.emit('exit', code);
  }
  relaunch() {
    this.relaunches += 1;
  }
  setLoginItemSettings(settings: Record<string, unknown>) {
    this.loginItems.push(settings);
  }
}
export const app = new FakeApp();

type Handler = (...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    this.handlers.set(scheme, handler);
  },
};

/** net.fetch for file:// URLs, which is all the app protocol asks of it. */
export const net = {
  async fetch(url: string): Promise<Response> {
    try {
      return new Response(await readFile(fileURLToPath(url)), { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Response('', { status: 404 });
      throw e;
    }
  },
};

export const session = {
  defaultSession: {
    permissionRequest: null as Handler | null,
    permissionCheck: null as Handler | null,
    devicePermission: null as Handler | null,
    beforeRequest: null as Handler | null,
    setPermissionRequestHandler(h: Handler) {
      this.permissionRequest = h;
    },
    setPermissionCheckHandler(h: Handler) {
      this.permissionCheck = h;
    },
    setDevicePermissionHandler(h: Handler) {
      this.devicePermission = h;
    },
    webRequest: {
      onBeforeRequest(h: Handler) {
        session.defaultSession.beforeRequest = h;
      },
    },
  },
};

export const dialog = {
  /** Answers showMessageBox gives, in order (button index). */
  answers: [] as number[],
  boxes: [] as Record<string, unknown>[],
  errorBoxes: [] as { title: string; content: string }[],
  showMessageBox(_win: unknown, options: Record<string, unknown>) {
    this.boxes.push(options);
    const response = this.answers.shift();
    if (response === undefined) throw new Error('fake dialog: no answer queued for showMessageBox');
    return Promise.resolve({ response, checkboxChecked: false });
  },
  showErrorBox(title: string, content: string) {
    this.errorBoxes.push({ title, content });
  },
};

export const Menu = {
  applicationMenu: undefined as unknown,
  setApplicationMenu(menu: unknown) {
    this.applicationMenu = menu;
  },
};

/** Reversible, visibly not clear text; the backend and availability are what a test sets. */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable() {
    return this.available;
  },
  getSelectedStorageBackend() {
    return this.backend;
  },
  encryptString(value: string) {
    return Buffer.from(`enc:${value}`).reverse();
  },
  decryptString(data: Buffer) {
    const text = Buffer.from(data).reverse().toString();
    if (!text.startsWith('enc:')) throw new Error('fake safeStorage: not ours');
    return text.slice(4);
  },
};

/**
 * Vitest keeps one instance of a mocked module across vi.resetModules(): a test that starts the shell
 * again (main.test.ts) resets the fake to a new process's state first.
 */
export function resetFakeElectron(): void {
  app.reset();
  BrowserWindow.all.length = 0;
  ipcMain.handlers.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  Object.assign(session.defaultSession, { permissionRequest: null, permissionCheck: null, devicePermission: null, beforeRequest: null });
  Object.assign(dialog, { answers: [], boxes: [], errorBoxes: [] });
  Menu.applicationMenu = undefined;
  Object.assign(safeStorage, { available: true, backend: 'gnome_libsecret' });
}
