import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_STATE_FILE } from '../../main/crashMarker';
import { spawnNodeTied } from '../../emulators/parentLifeline';
import { openApp, useChromium, WAIT } from './serveApp';

/**
 * `npm start` on a machine without Electron's binary (ELECTRON_OVERRIDE_DIST_PATH points at an empty
 * folder, so this holds on a machine that has Electron too): the script itself, as a child process.
 */
interface Started {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  waitForLine(re: RegExp): Promise<string>;
}

let dir: string;
let started: Started | null = null;
afterEach(() => {
  if (started?.child.exitCode === null && started.child.pid) process.kill(-started.child.pid, 'SIGKILL');
  started = null;
  rmSync(dir, { recursive: true, force: true });
});

function start(env: NodeJS.ProcessEnv, prepare: (dataDir: string) => void = () => undefined): Started {
  dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  mkdirSync(join(dir, 'data'), { recursive: true });
  prepare(join(dir, 'data'));
  const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ...rest } = process.env;
  // Tied to this test process: npm start, its server and window end with it even if it is killed outright.
  const child = spawnNodeTied(['--import', 'tsx', 'scripts/start.ts', '--port', '0', '--data-dir', join(dir, 'data'), '--training'], {
    env: { ...rest, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron'), ...env },
    stdout: 'pipe',
    stderr: 'pipe',
    detached: true,
  });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of waiters.filter((x) => x.re.test(line))) w.resolve(line);
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', onLine);
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (l) => onLine(`[stderr] ${l}`));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForLine = (re: RegExp) => {
    const seen = lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return Promise.race([
      new Promise<string>((resolve) => waiters.push({ re, resolve })),
      exited.then((code) => Promise.reject(new Error(`npm start exited (${code}) before ${re}:\n${lines.join('\n')}`))),
    ]);
  };
  started = { child, lines, exited, waitForLine };
  return started;
}

const urlOf = (line: string) => /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';

describe('npm start without Electron', () => {
  const browser = useChromium();

  it('no display: one line about Electron, no stack trace, the URL to open; the UI answers; Ctrl+C stops it cleanly', async () => {
    // The last run was killed: the cashier is told once.
    const app = start({}, (data) => writeFileSync(join(data, RUN_STATE_FILE), JSON.stringify({ state: 'running', pid: 1, startedAt: '2026-12-01T08:00:00.000Z' })));
    const first = await app.waitForLine(/Electron/);
    expect(first).toMatch(/^Electron не установлен \(.*no-electron has no electron\): касса запускается через сервер моста/);
    const open = await app.waitForLine(/^Откройте http/);
    expect(open).toMatch(/нет экрана/);
    const url = urlOf(open);

    const { page, problems } = await openApp(browser(), url);
    await page.getByTestId('app-version').waitFor(WAIT);
    expect(await page.getByText('УЧЕБНЫЙ РЕЖИМ').count()).toBe(1);
    const notice = page.getByTestId('restart-notice');
    expect(await notice.textContent()).toMatch(/перезапущена после сбоя/);
    await notice.getByRole('button', { name: 'Понятно' }).click();
    expect(await notice.count()).toBe(0);
    await page.reload();
    await page.getByTestId('app-version').waitFor(WAIT);
    expect(await page.getByTestId('restart-notice').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();

    process.kill(app.child.pid ?? 0, 'SIGINT');
    expect(await app.exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
    // A clean stop: the next start is not reported as a crash.
    expect(existsSync(join(dir, 'data', RUN_STATE_FILE))).toBe(false);
    const text = app.lines.join('\n');
    expect(text).not.toMatch(/TypeError|^\s+at /m);
    expect(app.lines.filter((l) => /Electron/.test(l))).toHaveLength(1);
  });

  it('with a display: the UI opens as an app window in Chromium, and closing that window stops the server', async () => {
    // A stand-in for Chromium that records its arguments, loads the page the way a browser would, and
    // closes its window; the real Chromium needs a display this CI machine does not have.
    const fakeDir = mkdtempSync(join(tmpdir(), 'fake-browser-'));
    const report = join(fakeDir, 'report.json');
    const fakeBrowser = join(fakeDir, 'chromium');
    writeFileSync(fakeBrowser, `#!${process.execPath}
const app = process.argv.find((a) => a.startsWith('--app='));
fetch(app.slice(6)).then(async (r) => {
  require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ args: process.argv.slice(2), status: r.status, html: await r.text() }));
});
`);
    chmodSync(fakeBrowser, 0o755);
    try {
      const app = start({ DISPLAY: ':99', CASHIER_BROWSER: fakeBrowser });
      const opened = await app.waitForLine(/^Касса открыта в окне Chromium/);
      expect(opened).toContain(fakeBrowser);
      expect(await app.exited).toBe(0);
      const seen = JSON.parse(readFileSync(report, 'utf8')) as { args: string[]; status: number; html: string };
      expect(seen.status).toBe(200);
      expect(seen.html).toContain('<div id="root">');
      expect(seen.args).toEqual(expect.arrayContaining([expect.stringMatching(/^--app=http:\/\/127\.0\.0\.1:\d+$/), '--no-first-run']));
      expect(seen.args.some((a) => a.startsWith('--user-data-dir='))).toBe(true);
      expect(seen.args).not.toContain('--kiosk');
      expect(existsSync(join(dir, 'data', RUN_STATE_FILE))).toBe(false);
    } finally {
      rmSync(fakeDir, { recursive: true, force: true });
    }
  });

  it('a server killed with -9 is restarted by its supervisor, the window loads the new page, and the restart is logged', async () => {
    // This stand-in keeps its window open (until SIGTERM) and notes each page it loaded.
    const fakeDir = mkdtempSync(join(tmpdir(), 'fake-browser-'));
    const loads = join(fakeDir, 'loads');
    const fakeBrowser = join(fakeDir, 'chromium');
    writeFileSync(fakeBrowser, `#!${process.execPath}
const url = process.argv.find((a) => a.startsWith('--app=')).slice(6);
fetch(url).then((r) => require('node:fs').appendFileSync(${JSON.stringify(loads)}, url + ' ' + r.status + '\\n'));
setInterval(() => undefined, 1000);
`);
    chmodSync(fakeBrowser, 0o755);
    const loaded = async (n: number) => {
      while (!existsSync(loads) || readFileSync(loads, 'utf8').trim().split('\n').length < n) await new Promise((r) => setTimeout(r, 100));
      return readFileSync(loads, 'utf8').trim().split('\n');
    };
    try {
      const app = start({ DISPLAY: ':99', CASHIER_BROWSER: fakeBrowser });
      const [first] = await loaded(1);
      expect(first).toMatch(/ 200$/);
      const dataDir = join(dir, 'data');
      const server = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n')
        .find((l) => l.includes('main/server/cli.ts') && l.includes(dataDir));
      const pid = Number(server?.trim().split(/\s+/)[0]);
      expect(pid).toBeGreaterThan(0);
      process.kill(pid, 'SIGKILL');
      const after = await loaded(2);
      expect(after[1]).toMatch(/ 200$/);
      expect(app.lines.filter((l) => l.startsWith('Listening on'))).toHaveLength(2);
      expect(readFileSync(join(dataDir, 'logs', 'supervisor.log'), 'utf8')).toMatch(/supervised process crashed; restarting.*signal SIGKILL/);
      expect(readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8')).toMatch(/the last run did not end cleanly/);
      process.kill(app.child.pid ?? 0, 'SIGTERM');
      expect(await app.exited).toBe(0);
      expect(existsSync(join(dataDir, RUN_STATE_FILE))).toBe(false);
    } finally {
      rmSync(fakeDir, { recursive: true, force: true });
    }
  });
});
