import { app, dialog, type BrowserWindow } from 'electron';

/**
 * Kiosk mode: closing the window (Alt+F4, the window manager) asks before the till closes, so a cashier
 * does not end the app by a slip of the hand. Manager approval does not exist in the app yet; when it
 * does, it belongs here, before `app.quit()`. A quit already under way (system shutdown, SIGTERM, the
 * confirmed close itself) is not asked about again; the shutdown still waits for a receipt in progress.
 */
const STAY = 0;
const CLOSE = 1;

export function confirmBeforeClose(win: BrowserWindow, isQuitting: () => boolean): void {
  let asking = false;
  win.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    void dialog.showMessageBox(win, {
      type: 'question',
      title: 'Касса возвратов',
      message: 'Закрыть программу «Касса возвратов»?',
      detail: 'Возврат, который сейчас печатается, будет завершён перед закрытием.',
      buttons: ['Не закрывать', 'Закрыть'],
      defaultId: STAY,
      cancelId: STAY,
      noLink: true,
    }).then(({ response }) => {
      asking = false;
      if (response === CLOSE) app.quit();
    });
  });
}
