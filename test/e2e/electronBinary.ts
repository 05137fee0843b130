import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where Electron's binary is, without require('electron'): that module downloads the binary when it is
 * missing, which on a machine without internet hangs and then fails. Null when there is none.
 */
export function findElectronBinary(root = process.cwd()): { path: string } | { path: null; why: string } {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, relative ?? 'electron');
    return existsSync(candidate) ? { path: candidate } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH=${override} has no ${relative ?? 'electron'}` };
  }
  if (!relative) return { path: null, why: 'node_modules/electron/path.txt is missing (Electron binary download was skipped)' };
  const candidate = join(pkg, 'dist', relative);
  return existsSync(candidate) ? { path: candidate } : { path: null, why: `${candidate} does not exist` };
}
