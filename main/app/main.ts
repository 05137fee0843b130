import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { createServices, type Services } from '../services';
import { registerAppScheme, serveRendererOverAppScheme } from './appProtocol';
import { registerIpc } from './ipc';
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
  const log = { error: (message: string, fields: Record<string, unknown>) => console.error(message, JSON.stringify(fields)) };

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
    services = await createServices({ dataDir: app.getPath('userData'), version: app.getVersion(), trainingMode: true });
    win = createMainWindow(join(__dirname, '..', '..', 'preload', 'index.cjs'), true);
    unregister = registerIpc(services.handlers, services.bus, () => win, log);
    win.on('closed', () => {
      win = null;
    });
  }).catch((e: unknown) => {
    dialog.showErrorBox('Касса возвратов не запустилась', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !services) return;
    // Hold the quit until the services have finished the receipt in progress and closed the database.
    event.preventDefault();
    closing = true;
    unregister?.();
    services.close().finally(() => app.quit());
  });

  app.on('window-all-closed', () => app.quit());
}
