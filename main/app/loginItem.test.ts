import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log/logger';
import { app } from './fakeElectron';
import { LOGIN_ITEM_NAME, SYSTEMD_UNIT } from './autostartNames';
import { applyAutostart, SYSTEMD_UNIT_DIRS } from './loginItem';

vi.mock('electron', () => import('./fakeElectron'));

/**
 * Linux: a stand-in `systemctl` (a shell script that records its arguments and can fail), because the
 * real one would change this machine's user session. Windows: the login item Electron is asked for.
 */
let dir: string;
let unitDir: string;
let systemctl: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'login-item-'));
  unitDir = join(dir, 'systemd-user');
  systemctl = join(dir, 'systemctl');
  writeFileSync(systemctl, `#!/bin/sh\necho "$@" >> "${join(dir, 'calls')}"\n[ -z "$FAIL_SYSTEMCTL" ] || { echo "Failed to connect to bus" >&2; exit 1; }\n`);
  chmodSync(systemctl, 0o755);
  app.loginItems.length = 0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.FAIL_SYSTEMCTL;
});

const log = () => createLogger({ dir: join(dir, 'logs'), console: false });
const logText = () => readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
const calls = () => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
const installUnit = () => {
  mkdirSync(unitDir, { recursive: true });
  writeFileSync(join(unitDir, SYSTEMD_UNIT), '[Service]\n');
};

describe.runIf(process.platform !== 'win32')('start on login: Linux (systemd user unit)', () => {
  it('enables and disables the unit for this user, following the setting', async () => {
    installUnit();
    await applyAutostart({ enabled: true, log: log(), platform: 'linux', unitDirs: [unitDir], systemctl });
    await applyAutostart({ enabled: false, log: log(), platform: 'linux', unitDirs: [unitDir], systemctl });
    expect(calls()).toEqual([`--user enable ${SYSTEMD_UNIT}`, `--user disable ${SYSTEMD_UNIT}`]);
    expect(logText()).toMatch(/systemd user unit set.*"verb":"enable"/);
  });

  it('without the unit installed (an AppImage nobody set up) says so in the log and runs nothing', async () => {
    await applyAutostart({ enabled: true, log: log(), platform: 'linux', unitDirs: [unitDir], systemctl });
    expect(logText()).toMatch(/systemd user unit not installed/);
    expect(() => calls()).toThrow(/ENOENT/);
  });

  it('a systemctl that fails (no user session bus) is logged, never thrown', async () => {
    installUnit();
    process.env.FAIL_SYSTEMCTL = '1';
    await applyAutostart({ enabled: true, log: log(), platform: 'linux', unitDirs: [unitDir], systemctl });
    expect(logText()).toMatch(/systemctl could not change start on login.*Failed to connect to bus/);
  });

  it('looks where the deb puts the unit, then in the user’s own systemd folder', () => {
    expect(SYSTEMD_UNIT_DIRS[0]).toBe('/usr/lib/systemd/user');
    expect(SYSTEMD_UNIT_DIRS[1]).toMatch(/\.config\/systemd\/user$/);
  });
});

describe('start on login: Windows (login item) and elsewhere', () => {
  it('sets the login item under our name, on and off', async () => {
    await applyAutostart({ enabled: true, log: log(), platform: 'win32' });
    await applyAutostart({ enabled: false, log: log(), platform: 'win32' });
    expect(app.loginItems).toEqual([
      { openAtLogin: true, name: LOGIN_ITEM_NAME, path: process.execPath },
      { openAtLogin: false, name: LOGIN_ITEM_NAME, path: process.execPath },
    ]);
  });

  it('another platform is left alone, with a line in the log', async () => {
    await applyAutostart({ enabled: true, log: log(), platform: 'darwin' });
    expect(app.loginItems).toEqual([]);
    expect(logText()).toMatch(/not handled on this platform.*darwin/);
  });
});
