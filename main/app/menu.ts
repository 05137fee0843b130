import { Menu, type BrowserWindow } from 'electron';

/**
 * No application menu. Electron's default one carries Reload (Ctrl+R, F5), Force Reload and Toggle
 * DevTools (Ctrl+Shift+I) accelerators: a reload in the middle of a refund loses the screen, DevTools
 * hand the page to whoever stands at the till. Copy, paste and select-all in text fields work without a
 * menu on Windows and Linux (Chromium's own editing keys).
 */
export function removeApplicationMenu(): void {
  Menu.setApplicationMenu(null);
}

/**
 * Our one accelerator: F12 opens DevTools for a technician, and only in a window made with DevTools
 * allowed (the settings' debug switch, or a development build). The cashier's keymap leaves F12 alone.
 */
export function addTechnicianShortcut(win: BrowserWindow, devTools: boolean): void {
  if (!devTools) return;
  win.webContents.on('before-input-event', (event, input) => {
    if (input.type !== 'keyDown' || input.key !== 'F12' || input.control || input.alt || input.shift || input.meta) return;
    event.preventDefault();
    win.webContents.toggleDevTools();
  });
}
