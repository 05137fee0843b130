import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { callFromPage } from './pageBridge';
import { openApp, useChromium, screenshotPath, useServerPerTest, type ServedApp, plain, WAIT } from './serveApp';

/**
 * A wholesale refund printed as several receipts (issue 20 point 4), keyboard only, in Chromium against the
 * training server: the training deal А-1300 (300 lines, emulators/lifepos/seed.ts) refunded whole takes three
 * receipts of at most 100 positions (main/fiscal/shtrih/PROTOCOL.md §Receipt limits). While it prints the cashier
 * reads which receipt is printing; the done screen lists every receipt's fiscal data.
 */
const WHOLESALE = 'А-1300';
/** Printing 300 positions at the training printer's real pace takes a while. */
const PRINTING = { timeout: 90_000 };
/** 2 000 000,00 ₽: more than А-1300 holds (300 lines of at most 949,89 ₽ × 5). */
const WHOLESALE_CASH_IN_MINOR = 200_000_000;

describe('a wholesale refund of three receipts, keyboard only', () => {
  const browser = useChromium();
  const server = useServerPerTest();
  let app: ServedApp;
  let page: Page;
  let problems: string[];

  beforeEach(async () => {
    app = server();
    ({ page, problems } = await openApp(browser(), app.url));
    await page.getByTestId('app-version').waitFor(WAIT);
  });
  afterEach(async () => {
    await page?.close();
  });

  it('А-1300 whole: "чек 2 из 3" while printing, every receipt\'s ФД and ФП on the done screen', async () => {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    // A wholesale cash refund is far above the training drawer's float: the money goes in first, as at a
    // till (внесение; issue 14 refuses a cash refund the drawer cannot cover).
    expect(await callFromPage(page, 'shift.open', {})).toMatchObject({ ok: true });
    expect(await callFromPage(page, 'cash.operation', { kind: 'in', amountMinor: WHOLESALE_CASH_IN_MINOR })).toMatchObject({ ok: true });
    await page.keyboard.type(WHOLESALE);
    await page.keyboard.press('Enter');
    await page.locator('#sale-title', { hasText: WHOLESALE }).waitFor(WAIT);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Возврат: итог' }).waitFor(WAIT);
    // The preview says beforehand that it prints as several receipts.
    await page.getByRole('note').filter({ hasText: 'напечатается 3 чеками' }).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('wholesale-summary') });
    await page.keyboard.press('Enter');

    const progress = page.getByTestId('refund-progress');
    await progress.filter({ hasText: 'Печать чека 1 из 3' }).waitFor(PRINTING);
    await progress.filter({ hasText: 'Печать чека 2 из 3' }).waitFor(PRINTING);
    await page.screenshot({ path: screenshotPath('wholesale-printing-2-of-3') });
    await progress.filter({ hasText: 'Печать чека 3 из 3' }).waitFor(PRINTING);

    await page.getByTestId('refund-done').waitFor(PRINTING);
    const receipts = page.getByTestId('fiscal-receipt');
    expect(await receipts.count()).toBe(3);
    const texts = (await receipts.allTextContents()).map(plain);
    texts.forEach((text, i) => expect(text).toMatch(new RegExp(`^Чек ${i + 1} из 3.*ФД.*\\d+.*ФП.*\\d+`)));
    // Three different fiscal documents, in print order.
    const numbers = texts.map((text) => Number(/ФД\D*(\d+)/.exec(text)?.[1]));
    expect(numbers[1]).toBe((numbers[0] ?? 0) + 1);
    expect(numbers[2]).toBe((numbers[1] ?? 0) + 1);
    await page.screenshot({ path: screenshotPath('wholesale-done'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
