import { app } from 'electron';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log/logger';
import { LOGIN_ITEM_NAME, SYSTEMD_UNIT } from './autostartNames';

/**
 * Start with the session, one mechanism per platform, kept in step with the `autostart` setting at
 * every start of a packaged build:
 * - Windows: the login item (HKCU\…\Run, value LOGIN_ITEM_NAME; build/installer.nsh removes it on
 *   uninstall). Restart after a crash is the app's own relaunch (./lifecycle.ts).
 * - Linux: the systemd user unit the deb installs (build/linux/refund-cashier.service, Restart=on-failure),
 *   enabled or disabled for this user; with the AppImage a person installs the unit (README).
 * The single-instance lock settles the rest: a second start at login only focuses the running window.
 */
/** Where the deb puts the unit, and where the README tells an AppImage user to put it. */
export const SYSTEMD_UNIT_DIRS = ['/usr/lib/systemd/user', join(homedir(), '.config', 'systemd', 'user')];

export interface AutostartOptions {
  enabled: boolean;
  log: Logger;
  platform?: NodeJS.Platform;
  unitDirs?: readonly string[];
  systemctl?: string;
}

/** Resolves once the OS has been told (Linux: when systemctl has answered); never rejects. */
export function applyAutostart(opts: AutostartOptions): Promise<void> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: opts.enabled, name: LOGIN_ITEM_NAME, path: process.execPath });
    opts.log.info('login item set', { openAtLogin: opts.enabled });
    return Promise.resolve();
  }
  if (platform === 'linux') return applySystemdUnit(opts);
  opts.log.info('start on login is not handled on this platform', { platform });
  return Promise.resolve();
}

function applySystemdUnit(opts: AutostartOptions): Promise<void> {
  const dirs = opts.unitDirs ?? SYSTEMD_UNIT_DIRS;
  if (!dirs.some((dir) => existsSync(join(dir, SYSTEMD_UNIT)))) {
    opts.log.warn('systemd user unit not installed: no start on login, no restart after a crash (README: AppImage)', { unit: SYSTEMD_UNIT });
    return Promise.resolve();
  }
  const verb = opts.enabled ? 'enable' : 'disable';
  return new Promise((resolve) => {
    execFile(opts.systemctl ?? 'systemctl', ['--user', verb, SYSTEMD_UNIT], { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error) opts.log.warn('systemctl could not change start on login', { verb, error: error.message, stderr: stderr.trim() });
      else opts.log.info('systemd user unit set', { verb, unit: SYSTEMD_UNIT });
      resolve();
    });
  });
}
