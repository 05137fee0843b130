import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication } from 'playwright-core';
import { findElectronBinary } from '../../scripts/electronBinary';
import { spawnForeignTied } from '../../emulators/parentLifeline';
import { screenshotPath } from './serveApp';

const electron = findElectronBinary();
const skipReason = electron.path === null ? `Electron binary not installed here (${electron.why}); the Electron e2e test is skipped` : '';
if (skipReason) console.log(skipReason);

/** The same start-screen flow as in Chromium, in the real Electron shell over its IPC bridge. */
describe.skipIf(electron.path === null)(`Electron app start screen${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  let app: ElectronApplication;
  let xvfb: ChildProcess | null = null;
  const userData = mkdtempSync(join(tmpdir(), 'cashier-electron-'));

  beforeAll(async () => {
    if (!existsSync('dist/main/app/main.cjs') || !existsSync('dist/preload/index.cjs')) {
      const built = spawnSync('npx', ['tsx', 'scripts/buildMain.ts'], { stdio: 'inherit' });
      if (built.status !== 0) throw new Error('npm run build:main failed');
    }
    const env: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    if (!env.DISPLAY) {
      const display = `:${90 + (process.pid % 9)}`;
      xvfb = spawnForeignTied('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdout: 'ignore', stderr: 'ignore' });
      await waitFor(() => existsSync(`/tmp/.X11-unix/X${display.slice(1)}`), 10_000, 'Xvfb did not start');
      env.DISPLAY = display;
    }
    app = await _electron.launch({
      executablePath: electron.path ?? '',
      args: ['.', `--user-data-dir=${userData}`, '--no-sandbox', '--disable-gpu'],
      env,
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await app?.close();
    xvfb?.kill('SIGTERM');
    rmSync(userData, { recursive: true, force: true });
  });

  it('opens focused on the receipt field, shows app.status and answers a typed number', async () => {
    const page = await app.firstWindow();
    await page.getByTestId('app-version').waitFor();
    expect(await page.getByText('УЧЕБНЫЙ РЕЖИМ').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    expect(await page.evaluate(() => typeof window.cashier)).toBe('object');
    await page.keyboard.type('999000111', { delay: 5 });
    await page.keyboard.press('Enter');
    const answer = page.locator('[data-testid="search-error"], #sale-title').first();
    await answer.waitFor();
    expect(await answer.textContent()).toMatch(/999000111|не найден|Продажа/);
    await page.screenshot({ path: screenshotPath('electron-start-screen') });
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}
