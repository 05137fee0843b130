import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, type ServedApp, plain, WAIT, useServedPage } from './serveApp';
import { callFromPage } from './pageBridge';
import { scan } from './scanner';

/**
 * Marked goods (issue 21), keyboard only, in Chromium against `npm run serve` in training mode. Training
 * deal А-1008 sells two marked bottles of milk (emulators/lifepos/seed.ts TRAINING_MILK_CODES) and bread;
 * the scanner is a keyboard wedge (./scanner.ts) that spells the GS1 separator as "<GS>" or drops it.
 */
const MARKED_SALE = 'А-1008';
const GS = '\u001d';
const MILK_A = `0104607053470016215aB7kQ${GS}93dGVz`;
const MILK_B = `0104607053470016215Xq3Zr${GS}93Zjqw`;
/** Yandex Market's public example of a code: another product (GTIN 03041094787443). */
const OTHER_PRODUCT = '01030410947874432155Qbag!<GS>93Zjqw';

describe('refunds of marked goods, keyboard only, against the training server', () => {
  let app: ServedApp;
  let page: Page;
  let problems: string[];
  useServedPage((served) => ({ app, page, problems } = served));
  // Registered after the fixture, so it runs before the page closes (vitest runs after-hooks as a stack).
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await page.screenshot({ path: screenshotPath(`marking-${ctx.task.name.slice(0, 30)}`) }).catch(() => undefined);
      console.log('screen when the test failed:', plain(await page.locator('main').textContent()), app.output.slice(-15).join('\n'));
    }
    expect(problems).toEqual([]);
  });

  const openSale = async () => {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    await page.keyboard.type(MARKED_SALE);
    await page.keyboard.press('Enter');
    await page.locator('#sale-title', { hasText: MARKED_SALE }).waitFor(WAIT);
  };
  const status = async () => plain(await page.locator('.selection-status').textContent());
  const milkQuantity = async () => (await page.locator('.line [data-testid="line-qty"]').allTextContents())[0];
  const statusShows = (text: RegExp) => page.locator('.selection-status', { hasText: text }).waitFor(WAIT);
  /** This till's refunds, newest first, as the server keeps them. */
  const refunds = async () => {
    const r = await callFromPage(page, 'refunds.list', { limit: 5 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const refundAll = async () => {
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Возврат: итог' }).waitFor(WAIT);
    const total = plain(await page.getByTestId('refund-total').textContent());
    await page.keyboard.press('Enter');
    await page.getByTestId('refund-done').waitFor(WAIT);
    return total;
  };

  it('two bottles of one line go back by scanning both codes; another product\'s code and a refunded bottle are refused in Russian', async () => {
    await openSale();
    // The milk line says it is marked goods; the bread does not.
    expect(await page.getByTestId('marked').count()).toBe(1);
    expect(plain(await page.locator('.line', { has: page.getByTestId('marked') }).locator('.line-name').textContent())).toBe('Молоко 3,2 % 1 л · маркировка');
    await scan(page, OTHER_PRODUCT);
    await statusShows(/Код маркировки другого товара \(GTIN 03041094787443\): такого товара нет в этой продаже/);
    expect(await milkQuantity()).toBe('0');
    await scan(page, MILK_A.replace(GS, '<GS>'));
    await statusShows(/«Молоко 3,2 % 1 л» добавлен к возврату \(1 шт\.\)/);
    await scan(page, MILK_B.replace(GS, ''));
    await statusShows(/добавлен к возврату \(2 шт\.\)/);
    expect(await milkQuantity()).toBe('2');
    expect(await refundAll()).toContain('179,80 ₽');
    const [refund] = await refunds();
    expect(refund?.lines.map((l) => [l.name, l.quantityMilli, l.markingCodes])).toEqual([['Молоко 3,2 % 1 л', 2000, [MILK_A, MILK_B]]]);
    // Printed; LIFE POS hears of it through the outbox (fiscalized until then).
    expect(['fiscalized', 'synced']).toContain(refund?.state);

    await openSale();
    await scan(page, MILK_A.replace(GS, '<GS>'));
    await statusShows(/Этот экземпляр «Молоко 3,2 % 1 л» уже в возврате или возвращён/);
    expect(await milkQuantity()).toBe('0');
  });

  it('a bottle already refunded is refused by the till even while its line has a bottle left; the other bottle still goes back', async () => {
    await openSale();
    await scan(page, MILK_A.replace(GS, '<GS>'));
    await statusShows(/добавлен к возврату \(1 шт\.\)/);
    await refundAll();

    await openSale();
    await scan(page, MILK_A.replace(GS, ''));
    await statusShows(/добавлен к возврату/);
    await page.keyboard.press('Enter');
    await page.getByText(/«Молоко 3,2 % 1 л»: этот экземпляр уже возвращён \(код маркировки/).waitFor(WAIT);
    await page.keyboard.press('-');
    expect(await milkQuantity()).toBe('0');
    expect(await status()).not.toMatch(/добавлен/);
    await scan(page, MILK_B.replace(GS, '<GS>'));
    await statusShows(/добавлен к возврату \(1 шт\.\)/);
    expect(await refundAll()).toContain('89,90 ₽');
    expect((await refunds()).map((r) => r.lines[0]?.markingCodes)).toEqual([[MILK_B], [MILK_A]]);
  });
});
