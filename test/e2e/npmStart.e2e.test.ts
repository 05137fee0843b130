import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_STATE_FILE } from '../../main/crashMarker';
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

function start(env: NodeJS.ProcessEnv): Started {
  dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--port', '0', '--data-dir', join(dir, 'data'), '--training'], {
    env: { ...rest, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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
    const app = start({});
    const first = await app.waitForLine(/Electron/);
    expect(first).toMatch(/^Electron не установлен \(.*no-electron has no electron\): касса запускается через сервер моста/);
    const open = await app.waitForLine(/^Откройте http/);
    expect(open).toMatch(/нет экрана/);
    const url = urlOf(open);

    const { page, problems } = await openApp(browser(), url);
    await page.getByTestId('app-version').waitFor(WAIT);
    expect(await page.getByText('УЧЕБНЫЙ РЕЖИМ').count()).toBe(1);
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
});
