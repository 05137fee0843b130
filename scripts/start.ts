import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electronBinary';

/**
 * `npm start`: rebuild native modules for Electron's ABI, build, and run the app (training mode until a
 * fiscal device is configured). On a machine that cannot download Electron, say what to do instead.
 */
const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

let electron = findElectronBinary();
if (!electron) {
  // Electron 42+ fetches its binary on first run; give it one chance, then explain.
  spawnSync(process.execPath, ['node_modules/electron/install.js'], { stdio: 'inherit' });
  electron = findElectronBinary();
}
if (!electron) {
  console.error('Не удалось получить Electron (нет доступа в интернет). Запустите то же приложение в браузере: npm run serve');
  console.error('Electron binary unavailable (no internet). Run the same app in a browser instead: npm run serve');
  process.exit(1);
}
run('npx', ['electron-builder', 'install-app-deps']);
run('npm', ['run', 'build']);
const app = spawnSync(electron, ['.'], { stdio: 'inherit' });
// Native modules now target Electron; the Node test suite rebuilds them for Node when it starts.
process.exit(app.status ?? 0);
