import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { createLogger } from '../log/logger';
import { secureDataFolder } from '../security/dataFolderModes';
import { createServices, type Services } from '../services';
import { createShutdown, DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../shutdown';
import { registerAppScheme, serveRendererOverAppScheme } from './appProtocol';
import { registerIpc } from './ipc';
import { createSafeStorageSecretStore } from './safeStorageSecrets';
import { createMainWindow, lockDownSession } from './window';

/**
 * The Electron shell: one instance per terminal, a locked-down window, IPC generated from the contract,
 * and a shutdown that lets a receipt in progress finish before the process exits.
 */
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let win: BrowserWindow | null = null;
  let services: Services | null = null;
  let unregister: (() => void) | null = null;
  const dataDir = app.getPath('userData');
  // Before the first file is written: folder 0700, files 0600, umask 077 (main/security/dataFolderModes.ts).
  secureDataFolder(dataDir);
  const log = createLogger({ dir: join(dataDir, 'logs'), console: app.isPackaged ? false : 'info' });

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
    serveRendererOverAppScheme(join(__dirname, '..', '..', 'renderer'));
    // safeStorage can only answer after 'ready'.
    const secrets = createSafeStorageSecretStore({ file: join(dataDir, 'secrets.json'), log });
    services = await createServices({ dataDir, version: app.getVersion(), secrets, log });
    win = createMainWindow(join(__dirname, '..', '..', 'preload', 'index.cjs'), services.settings.current().trainingMode);
    unregister = registerIpc(services.handlers, services.bus, () => win, log);
    win.on('closed', () => {
      win = null;
    });
  }).catch((e: unknown) => {
    dialog.showErrorBox('Касса возвратов не запустилась', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });

  // Hold every quit (not only the first) until the receipt in progress is finished and the database closed.
  let finished = false;
  const shutdown = createShutdown({
    log,
    timeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
    steps: [
      { name: 'ipc', run: () => unregister?.() },
      { name: 'services', run: () => services?.close() },
    ],
  });
  app.on('before-quit', (event) => {
    if (finished || !services) return;
    event.preventDefault();
    void shutdown('quit').then(() => {
      finished = true;
      app.quit();
    });
  });
  // A system shutdown on Linux sends SIGTERM: take the same path as a quit from the window.
  process.on('SIGTERM', () => app.quit());

  app.on('window-all-closed', () => app.quit());
}
