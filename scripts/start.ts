import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { findElectronBinary } from './electronBinary';
import { exitWithParent, spawnForeignTied, spawnNodeTied } from '../emulators/parentLifeline';

/**
 * `npm start` always starts the cashier app (training mode until a fiscal device is configured):
 * - with Electron where its binary is installed: native modules rebuilt for Electron, the app built and run;
 * - otherwise, after one line that says so (nothing is downloaded): the same services through the bridge
 *   server under its supervisor (`npm run serve`, same arguments: --port, --data-dir, --training) and the
 *   UI in this machine's Chromium as an app window (`--kiosk` for full screen) when there is a display,
 *   or the address to open when there is none. Closing the window or Ctrl+C stops the server cleanly;
 *   server and window end too when this script is killed outright (emulators/parentLifeline.ts).
 */
const args = process.argv.slice(2);
const run = (cmd: string, cmdArgs: string[]) => {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const electron = findElectronBinary();
if (electron.path !== null) {
  run('npx', ['electron-builder', 'install-app-deps']);
  run('npm', ['run', 'build']);
  const app = spawnSync(electron.path, ['.', ...args], { stdio: 'inherit' });
  // Native modules now target Electron; the Node test suite rebuilds them for Node when it starts.
  process.exit(app.status ?? 0);
}

console.log(`Electron не установлен (${electron.why}): касса запускается через сервер моста, интерфейс — в браузере. / Electron is not installed: starting the same app through the bridge server and a browser.`);
const kiosk = args.includes('--kiosk');
const serverArgs = args.filter((a) => a !== '--kiosk');
// A previous `npm start` with Electron may have left better-sqlite3 built for Electron's ABI.
run(process.execPath, [...process.execArgv, 'scripts/ensureNodeAbi.ts']);
run('npm', ['run', '--silent', 'build:renderer', '--', '--logLevel', 'warn']);

const server = spawnNodeTied([...process.execArgv, 'main/server/serve.ts', ...serverArgs], { stdout: 'pipe' });
let browser: ChildProcess | null = null;
let profile: string | null = null;
let stopping = false;
let reopenWith: string | null = null;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  browser?.kill('SIGTERM');
  server.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// Started by a test through spawnNodeTied: the test process's death stops it like SIGTERM.
exitWithParent();
server.on('exit', (code, signal) => {
  browser?.kill('SIGTERM');
  if (profile) rmSync(profile, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});

if (!server.stdout) throw new Error('the server’s output is not piped');
createInterface({ input: server.stdout }).on('line', (line) => {
  console.log(line);
  const url = /^Listening on (\S+)/.exec(line)?.[1];
  if (!url || stopping) return;
  if (!browser) return openUi(url);
  // The supervisor restarted the server: the window must load the page again, since the bridge token is new.
  reopenWith = url;
  browser.kill('SIGTERM');
});

function openUi(url: string): void {
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const chromium = findChromium();
  if (!hasDisplay || !chromium) {
    const why = hasDisplay ? 'Chromium не найден' : 'нет экрана: DISPLAY и WAYLAND_DISPLAY не заданы';
    console.log(`Откройте ${url} в браузере (${why}). Остановить кассу: Ctrl+C.`);
    return;
  }
  // A profile of its own, so this is a new window process whose end we see, not a tab in a running browser.
  profile = mkdtempSync(join(tmpdir(), 'cashier-chromium-'));
  const flags = [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', ...(kiosk ? ['--kiosk'] : [])];
  // Chromium refuses to run as root with its sandbox (a container or a live image).
  if (process.getuid?.() === 0) flags.push('--no-sandbox');
  browser = spawnForeignTied(chromium, flags, { stdout: 'ignore', stderr: 'ignore' });
  console.log(`Касса открыта в окне Chromium (${chromium}). Закройте окно или нажмите Ctrl+C, чтобы остановить кассу.`);
  browser.on('exit', () => {
    browser = null;
    if (profile) rmSync(profile, { recursive: true, force: true });
    const next = reopenWith;
    reopenWith = null;
    if (next && !stopping) openUi(next);
    else stop('SIGTERM');
  });
}

/** CASHIER_BROWSER, else the first Chromium-family browser on the PATH. */
function findChromium(): string | null {
  if (process.env.CASHIER_BROWSER) return process.env.CASHIER_BROWSER;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}
