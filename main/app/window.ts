import { BrowserWindow, session } from 'electron';
import { APP_ORIGIN, isAllowedRequest, isAppUrl } from '../security/appOrigin';

export interface MainWindowOptions {
  preloadPath: string;
  trainingMode: boolean;
  /** Full screen without a frame or title bar (a store terminal); otherwise an ordinary window. */
  kiosk: boolean;
  /** Off in a packaged build unless the technician's setting is on (issue 16). */
  devTools: boolean;
}

/** The cashier's window, locked down per Electron's security checklist. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...(opts.kiosk ? { kiosk: true, fullscreen: true, frame: false } : { width: 1280, height: 800 }),
    show: false,
    title: opts.trainingMode ? 'Касса возвратов — учебный режим' : 'Касса возвратов',
    backgroundColor: '#ffffff',
    webPreferences: {
      // Reviewed: the preload exposes only window.cashier, two contract-checked functions (preload/index.ts).
      preload: opts.preloadPath, /* eng-disable PRELOAD_JS_CHECK */
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      spellcheck: false,
      webviewTag: false,
      devTools: opts.devTools,
    },
  });

  // No navigation away from the app, no new windows; a link to the outside opens nowhere.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** Deny every permission (camera, geolocation, notifications ...): a refund screen needs none. */
export function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Nothing remote is ever loaded; refuse it at the network layer too.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url) });
  });
}
