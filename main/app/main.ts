import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { beginRun } from '../crashMarker';
import { createLogger } from '../log/logger';
import { secureDataFolder } from '../security/dataFolderModes';
import { bundledWorkerFile, startServicesInWorker, type ServicesHost } from '../host/servicesHost';
import { createShutdown, DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../shutdown';
import { registerAppScheme, serveRendererOverAppScheme } from './appProtocol';
import { confirmBeforeClose } from './closeGuard';
import { watchForCrashes } from './crashWatch';
import { registerIpc } from './ipc';
import { manageLifecycle } from './lifecycle';
import { applyAutostart } from './loginItem';
import { addTechnicianShortcut, removeApplicationMenu } from './menu';
import { createSafeStorageSecretStore } from './safeStorageSecrets';
import { shellOptions } from './shellOptions';
import { createMainWindow, lockDownSession } from './window';

/**
 * The Electron shell: one instance per terminal, a locked-down window (kiosk on a store terminal), IPC
 * generated from the contract, a shutdown that lets a receipt in progress finish before the process
 * exits, and a restart after a crash that the cashier is told about once.
 */
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let win: BrowserWindow | null = null;
  let services: ServicesHost | null = null;
  let unregister: (() => void) | null = null;
  const dataDir = app.getPath('userData');
  // Before the first file is written: folder 0700, files 0600, umask 077 (main/security/dataFolderModes.ts).
  secureDataFolder(dataDir);
  const log = createLogger({ dir: join(dataDir, 'logs'), console: app.isPackaged ? false : 'info' });
  const marker = beginRun(dataDir);

  const shutdown = createShutdown({
    log,
    timeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
    steps: [
      { name: 'ipc', run: () => unregister?.() },
      { name: 'services', run: () => services?.close() },
    ],
  });
  // Windows relaunches the app itself; Linux leaves it to the systemd unit (one mechanism per platform).
  let relaunchAfterCrash = false;
  const lifecycle = manageLifecycle({ shutdown, marker, log, relaunchAfterCrash: () => relaunchAfterCrash });
  watchForCrashes(lifecycle.crash, lifecycle.isQuitting);

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.whenReady().then(async () => {
    lockDownSession();
    removeApplicationMenu();
    serveRendererOverAppScheme(join(__dirname, '..', '..', 'renderer'));
    // safeStorage can only answer after 'ready'.
    const secrets = createSafeStorageSecretStore({ file: join(dataDir, 'secrets.json'), log });
    // The services run on a worker thread (main/host), so SQLite and the outbox never hold up the window.
    services = await startServicesInWorker({ dataDir, version: app.getVersion(), secrets, log, previousRun: marker.previous, workerFile: bundledWorkerFile(__filename) });
    services.onCrash((c) => lifecycle.crash(`services worker stopped (exit code ${c.exitCode})${c.error ? `: ${c.error.split('\n')[0] ?? ''}` : ''}`));
    const settings = services.settings.current();
    const shell = shellOptions(settings, app.isPackaged);
    relaunchAfterCrash = app.isPackaged && shell.autostart && process.platform === 'win32';
    if (app.isPackaged) void applyAutostart({ enabled: shell.autostart, log });
    win = createMainWindow({ preloadPath: join(__dirname, '..', '..', 'preload', 'index.cjs'), trainingMode: settings.trainingMode, kiosk: shell.kiosk, devTools: shell.devTools });
    if (shell.kiosk) confirmBeforeClose(win, lifecycle.isQuitting);
    addTechnicianShortcut(win, shell.devTools);
    unregister = registerIpc(services.handlers, services.bus, () => win, log);
    win.on('closed', () => {
      win = null;
    });
  }).catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    marker.crashed(`start failed: ${message}`);
    dialog.showErrorBox('Касса возвратов не запустилась', message);
    app.exit(1);
  });
}
