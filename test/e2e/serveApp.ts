import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, type TestContext } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SERVER_BUNDLE_ENV } from './serverBundle';
import { spawnNodeTied } from '../../emulators/parentLifeline';

/**
 * Runs `npm run serve`'s CLI on a free port with a fresh data folder in training mode (its built-in
 * emulators), and opens Debian's Chromium on it. Nothing is built here: `npm run test:e2e` builds the
 * renderer first. Everything is torn down in stop(), whatever the test did.
 */
export interface ServedApp {
  url: string;
  dataDir: string;
  /** Just before the server was spawned: the training seed dates its sales from about then. */
  startedAt: Date;
  /** Every line the server printed, for a failing test's message. */
  output: string[];
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
const LISTENING = /Listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * The e2e project runs the CLI bundled once per run (serverBundle.ts); anything else (the security tests
 * of the integration project, bench/ui.bench.ts) runs it from source with tsx as node's loader, as `npm run
 * serve` does. Either way node itself, tied to this process: a test process killed outright leaves no server.
 */
function serverArgs(): string[] {
  const bundle = process.env[SERVER_BUNDLE_ENV];
  return bundle ? ['--enable-source-maps', bundle] : ['--import', 'tsx', 'main/server/cli.ts'];
}

export async function serveApp(extraArgs: readonly string[] = []): Promise<ServedApp> {
  const startedAt = new Date();
  const dataDir = mkdtempSync(join(tmpdir(), 'cashier-e2e-'));
  const child = spawnNodeTied([...serverArgs(), '--port', '0', '--data-dir', dataDir, '--training', ...extraArgs], {
    cwd: process.cwd(),
    stdout: 'pipe',
    stderr: 'pipe',
    detached: true,
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(`[stderr] ${line}`));

  const stop = async () => {
    await killGroup(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in ${STARTUP_TIMEOUT_MS} ms:\n${output.join('\n')}`)), STARTUP_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        output.push(line);
        const m = LISTENING.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${output.join('\n')}`));
      });
    });
    return { url, dataDir, startedAt, output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The whole process group goes, so nothing the server started outlives its test. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  await groupGone(child.pid);
}

/** The data folder is removed only once no process of the group is left (none may still be writing it). */
async function groupGone(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(-pid, 'SIGKILL');
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page that fails the test on any console error or CSP violation, not just on what the test asserts. */
export async function openApp(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems };
}

export const screenshotPath = (name: string) => join('test-results', `${name}.png`);

/** How long a flow step may take against the training server on a loaded 2-core machine. */
export const WAIT = { timeout: 30_000 };

/** Text as a cashier reads it: Intl's no-break and narrow no-break spaces as plain spaces. */
export const plain = (s: string | null): string => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** One Chromium for a whole test file, launched before its first test and closed after its last. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: useChromium() must be called inside describe()');
    return browser;
  };
}

/** Whether a test of the same describe() runs after this one (a `-t` filter skips some). */
function testsFollow(task: TestContext['task']): boolean {
  const siblings = task.suite?.tasks ?? [];
  return siblings.slice(siblings.indexOf(task) + 1).some((t) => t.mode === 'run' || t.mode === 'only');
}

/**
 * A fresh training server and data folder for every test of a describe(), as serveApp() gives, without a
 * test waiting for one to start or stop: the next test's server starts while this test runs, and a
 * finished test's server stops in the background (all awaited after the describe's last test). No two
 * tests ever share a server.
 */
export function useServerPerTest(): () => ServedApp {
  let current: ServedApp | undefined;
  let next: Promise<ServedApp> | undefined;
  const stopping: Promise<void>[] = [];
  beforeEach(async ({ task }) => {
    const starting = next ?? serveApp();
    next = undefined;
    current = await starting;
    if (testsFollow(task)) {
      next = serveApp();
      // A server that fails to start fails the test that takes it, not this one.
      next.catch(() => undefined);
    }
  });
  afterEach(() => {
    if (current) stopping.push(current.stop());
    current = undefined;
  });
  afterAll(async () => {
    const spare = next?.then((app) => app.stop(), () => undefined);
    next = undefined;
    await Promise.all([...stopping, spare]);
  });
  return () => {
    if (!current) throw new Error('no training server: useServerPerTest() serves tests, not hooks registered before it');
    return current;
  };
}

/** What a test drives: the served app, its page in Chromium, and the page's console errors so far. */
export interface ServedPage {
  app: ServedApp;
  page: Page;
  problems: string[];
}

/** 'test': a fresh one for every test; 'file': one for the whole describe (faster, shared state). */
type Lifetime = 'test' | 'file';

/**
 * The e2e set-up of a describe(): Chromium for the file, the training server and a page opened on it
 * (waited until app.status answered), closed page first, then server. `bind` hands each new page to
 * the test file's own variables, so test bodies keep reading `page`, `app` and `problems`. Returns the
 * file's Chromium, for a test that opens a second page.
 */
export function useServedPage(
  bind: (served: ServedPage) => void,
  lifetime: { server?: Lifetime; page?: Lifetime } = {},
): () => Browser {
  const browser = useChromium();
  const server = lifetime.server ?? 'test';
  const pageLifetime = lifetime.page ?? server;
  if (server === 'test' && pageLifetime === 'file') throw new Error('a page cannot outlive its server');
  let app: ServedApp | undefined;
  let page: Page | undefined;
  const served = server === 'test' ? useServerPerTest() : undefined;

  const start = async () => {
    app = served ? served() : await serveApp();
  };
  const open = async () => {
    if (!app) throw new Error('the server did not start');
    const opened = await openApp(browser(), app.url);
    page = opened.page;
    bind({ app, ...opened });
    await opened.page.getByTestId('app-version').waitFor(WAIT);
  };
  const close = async () => {
    await page?.close();
  };
  const stop = async () => {
    // useServerPerTest() stops its own.
    if (!served) await app?.stop();
  };

  const [before, after] = server === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  if (server === pageLifetime) {
    before(async () => {
      await start();
      await open();
    });
    after(async () => {
      await close();
      await stop();
    });
  } else {
    beforeAll(start);
    afterAll(stop);
    beforeEach(open);
    afterEach(close);
  }
  return browser;
}
