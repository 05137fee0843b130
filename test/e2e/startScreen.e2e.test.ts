import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openApp, screenshotPath, serveApp, type ServedApp } from './serveApp';

describe('start screen in Chromium against npm run serve', () => {
  let app: ServedApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await serveApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('opens with the receipt field focused, shows app.status, and answers a typed receipt number', async () => {
    const { page, problems } = await openApp(browser, app.url);

    // The answer of app.status, end to end: version and the training banner.
    await page.getByTestId('app-version').waitFor();
    expect(await page.getByTestId('app-version').textContent()).toMatch(/версия \d+\.\d+\.\d+/);
    expect(await page.getByText('УЧЕБНЫЙ РЕЖИМ').count()).toBe(1);
    expect(await page.locator('.backends li').count()).toBe(3);

    // Focus is where the cashier types, without a click; the function keys are on screen.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    expect(await page.locator('.key-bar').textContent()).toContain('F1');

    // Type like a scanner would (digits, then Enter) — a receipt that does not exist.
    await page.keyboard.type('999000111', { delay: 5 });
    await page.keyboard.press('Enter');
    const answer = page.locator('[data-testid="search-error"], #sale-title').first();
    await answer.waitFor();
    expect(await answer.textContent()).toMatch(/999000111|не найден|Продажа/);

    // F1 opens help without the mouse; Esc brings focus back to the receipt field.
    await page.keyboard.press('F1');
    await page.getByRole('heading', { name: 'Помощь' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Помощь' }).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');

    await page.screenshot({ path: screenshotPath('start-screen') });
    expect(problems).toEqual([]);
  });
});
