import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { BrowserWindow as FakeWindow, fakeEvent, Menu } from './fakeElectron';
import { addTechnicianShortcut, removeApplicationMenu } from './menu';

vi.mock('electron', () => import('./fakeElectron'));

const key = (win: FakeWindow, input: Partial<{ type: string; key: string; control: boolean; alt: boolean; shift: boolean; meta: boolean }>) => {
  const event = fakeEvent();
  win.webContents.emit('before-input-event', event, { type: 'keyDown', key: 'F12', control: false, alt: false, shift: false, meta: false, ...input });
  return event.defaultPrevented;
};

describe('application menu and accelerators', () => {
  it('replaces Electron’s default menu (Reload, Toggle DevTools) with none', () => {
    expect(Menu.applicationMenu).toBeUndefined();
    removeApplicationMenu();
    expect(Menu.applicationMenu).toBeNull();
  });

  it('F12 opens DevTools only in a window made with DevTools allowed', () => {
    const allowed = new FakeWindow({});
    addTechnicianShortcut(allowed as unknown as BrowserWindow, true);
    expect(key(allowed, {})).toBe(true);
    expect(allowed.webContents.devToolsToggles).toBe(1);

    const packaged = new FakeWindow({});
    addTechnicianShortcut(packaged as unknown as BrowserWindow, false);
    expect(key(packaged, {})).toBe(false);
    expect(packaged.listenerCount('before-input-event') + packaged.webContents.listenerCount('before-input-event')).toBe(0);
  });

  it('leaves every other key to the page (Ctrl+Shift+I, Ctrl+F12, key-up, F9)', () => {
    const win = new FakeWindow({});
    addTechnicianShortcut(win as unknown as BrowserWindow, true);
    expect(key(win, { key: 'I', control: true, shift: true })).toBe(false);
    expect(key(win, { control: true })).toBe(false);
    expect(key(win, { alt: true })).toBe(false);
    expect(key(win, { shift: true })).toBe(false);
    expect(key(win, { meta: true })).toBe(false);
    expect(key(win, { type: 'keyUp' })).toBe(false);
    expect(key(win, { key: 'F9' })).toBe(false);
    expect(win.webContents.devToolsToggles).toBe(0);
  });
});
