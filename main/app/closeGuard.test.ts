import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { confirmBeforeClose } from './closeGuard';
import { app, BrowserWindow as FakeWindow, dialog } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron'));

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('kiosk close confirmation', () => {
  let quitting = false;
  let win: FakeWindow;
  beforeEach(() => {
    quitting = false;
    app.quits = 0;
    dialog.boxes.length = 0;
    win = new FakeWindow({ kiosk: true });
    confirmBeforeClose(win as unknown as BrowserWindow, () => quitting);
    // What main/app/lifecycle.ts does: a quit marks the app as quitting before the windows close.
    app.removeAllListeners('before-quit');
    app.on('before-quit', () => (quitting = true));
  });

  it('Alt+F4 asks first; "Не закрывать" keeps the till open', async () => {
    dialog.answers.push(0);
    expect(win.close()).toBe(false);
    await settle();
    expect(dialog.boxes).toHaveLength(1);
    expect(dialog.boxes[0]).toMatchObject({ message: 'Закрыть программу «Касса возвратов»?', buttons: ['Не закрывать', 'Закрыть'], defaultId: 0, cancelId: 0 });
    expect(app.quits).toBe(0);
    expect(win.isDestroyed()).toBe(false);
  });

  it('"Закрыть" quits through the app (so the shutdown waits for a receipt in progress)', async () => {
    dialog.answers.push(1);
    win.close();
    await settle();
    expect(app.quits).toBe(1);
    expect(dialog.boxes).toHaveLength(1);
    expect(win.isDestroyed()).toBe(true);
  });

  it('a second Alt+F4 while the question is open does not stack another dialog', async () => {
    dialog.answers.push(0);
    win.close();
    win.close();
    await settle();
    expect(dialog.boxes).toHaveLength(1);
  });

  it('a quit already under way (system shutdown, SIGTERM) closes without asking', () => {
    quitting = true;
    expect(win.close()).toBe(true);
    expect(dialog.boxes).toHaveLength(0);
  });
});
