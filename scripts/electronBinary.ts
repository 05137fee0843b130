import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary is, without require('electron'): that module downloads the binary when it
 * is missing, which on a machine without internet hangs and then fails. ELECTRON_OVERRIDE_DIST_PATH
 * first, then the normal npm install location. `why` says, for one line of output, why there is none.
 */
export type ElectronBinary = { path: string } | { path: null; why: string };

export function findElectronBinary(root = process.cwd(), env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const name = relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron');
    const candidate = join(override, name);
    return existsSync(candidate) ? { path: candidate } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH=${override} has no ${name}` };
  }
  if (!relative) return { path: null, why: 'node_modules/electron/path.txt is missing: the Electron binary was never downloaded' };
  const candidate = join(pkg, 'dist', relative);
  return existsSync(candidate) ? { path: candidate } : { path: null, why: `${candidate} does not exist` };
}
