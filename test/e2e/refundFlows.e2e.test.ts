import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallInput } from '../../preload/contract';
import { openApp, useChromium, screenshotPath, useServerPerTest, type ServedApp, plain, WAIT } from './serveApp';

/**
 * The cashier's refund flows of issue 7, keyboard only, in Chromium against `npm run serve` in training
 * mode (its built-in printer and back-end emulators). Each test gets a fresh server and data folder.
 * Faults are switched with the contract's `training.simulate` call, the way a trainer would.
 */
const CASH_SALE = 'А-1001'; // LIFE POS demo seed: milk ×2, bread, shampoo; 583,80 ₽ cash
const CARD_SALE = 'А-1002'; // LIFE POS demo seed: coffee machine by card, 12 990,00 ₽
const REGOS_SALE = process.env.E2E_REGOS_SALE ?? 'demo-sale-0001'; // REGOS demo seed: Coca-Cola ×2, нон

describe('refund flows, keyboard only, against the training server', () => {
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

  /** The page's own bridge (same origin, token from the page): the trainer's switch for the emulators. */
  const simulate = async (input: CallInput<'training.simulate'>) => {
    const r = await page.evaluate(async (body) => {
      const token = document.querySelector<HTMLMetaElement>('meta[name="cashier-token"]')?.content ?? '';
      const res = await fetch('/api/call/training.simulate', { method: 'POST', headers: { 'content-type': 'application/json', 'x-cashier-token': token }, body: JSON.stringify(body) });
      return res.json() as Promise<{ ok: boolean }>;
    }, input);
    expect(r.ok).toBe(true);
  };

  const find = async (query: string) => {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    await page.keyboard.type(query);
    await page.keyboard.press('Enter');
  };
  const saleOpened = (number: string) => page.locator('#sale-title', { hasText: number }).waitFor(WAIT);
  const summary = () => page.getByRole('heading', { name: 'Возврат: итог' }).waitFor(WAIT);
  const done = () => page.getByTestId('refund-done').waitFor(WAIT);

  it('a full refund by keyboard only: scan, *, Enter, Enter — printed, focus back in the search field', async () => {
    await find(CASH_SALE);
    await saleOpened(CASH_SALE);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await summary();
    expect(plain(await page.getByTestId('refund-total').textContent())).toContain('583,80 ₽');
    await page.keyboard.press('Enter');
    await done();
    expect(await page.getByTestId('fiscal-number').textContent()).toMatch(/^\d+$/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    await page.screenshot({ path: screenshotPath('flow-full-refund') });

    // The same receipt again: nothing left to refund, and the screen says so.
    await find(CASH_SALE);
    await saleOpened(CASH_SALE);
    expect(await page.locator('.block-reason').textContent()).toMatch(/всё уже возвращено/);
    expect(problems).toEqual([]);
  });

  it('a partial refund: one of two bottles of milk', async () => {
    await find(CASH_SALE);
    await saleOpened(CASH_SALE);
    expect(await page.locator('.line.active .line-name').textContent()).toMatch(/Молоко/);
    await page.keyboard.type('1', { delay: 100 });
    await page.keyboard.press('Enter');
    expect(await page.locator('.line.active [data-testid="line-qty"]').textContent()).toBe('1');
    await page.keyboard.press('Enter');
    await summary();
    expect(plain(await page.getByTestId('refund-total').textContent())).toContain('89,90 ₽');
    await page.keyboard.press('Enter');
    await done();
    await page.screenshot({ path: screenshotPath('flow-partial-refund') });

    await find(CASH_SALE);
    await saleOpened(CASH_SALE);
    const milk = page.locator('.line').first();
    expect(await milk.getAttribute('aria-label')).toMatch(/можно вернуть 1,/);
    expect(problems).toEqual([]);
  });

  it('an over-refund is refused: more than was sold, and a second refund of what is already back', async () => {
    await find(CASH_SALE);
    await saleOpened(CASH_SALE);
    await page.keyboard.type('3', { delay: 100 });
    await page.keyboard.press('Enter');
    expect(await page.locator('.selection-status').textContent()).toMatch(/Нельзя вернуть больше, чем осталось: не больше 2/);
    expect(await page.locator('.line.picked').count()).toBe(0);

    // Bread picked on this screen while another till (a second tab) refunds the same bread first:
    // the server refuses the stale request, and the cashier reads why.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    const other = await openApp(browser(), app.url);
    await other.page.locator('#receipt-query').waitFor(WAIT);
    await other.page.keyboard.type(CASH_SALE);
    await other.page.keyboard.press('Enter');
    await other.page.locator('#sale-title', { hasText: CASH_SALE }).waitFor(WAIT);
    await other.page.keyboard.press('ArrowDown');
    await other.page.keyboard.press('Space');
    await other.page.keyboard.press('Enter');
    await other.page.getByRole('heading', { name: 'Возврат: итог' }).waitFor(WAIT);
    await other.page.keyboard.press('Enter');
    await other.page.getByTestId('refund-done').waitFor(WAIT);
    await other.page.close();

    await page.keyboard.press('Enter');
    await page.locator('.sale-screen .error-box').waitFor(WAIT);
    expect(await page.locator('.sale-screen .error-message').textContent()).toMatch(/\S/);
    expect(await page.getByRole('heading', { name: 'Возврат: итог' }).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('flow-over-refund') });
    expect(problems).toEqual([]);
  });

  it('LIFE POS offline: the receipt prints now, the refund is sent when the network returns', async () => {
    // Seen once online, so the terminal knows the sale when LIFE POS stops answering.
    await find(CASH_SALE);
    await saleOpened(CASH_SALE);
    await page.keyboard.press('Escape');
    await simulate({ target: 'lifepos', fault: 'offline' });
    await page.locator('[data-backend="lifepos"].conn-offline').waitFor(WAIT);

    await find(CASH_SALE);
    await saleOpened(CASH_SALE);
    expect(await page.locator('.sale-screen').textContent()).toMatch(/позже/);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await summary();
    expect(await page.locator('.summary-screen').textContent()).toMatch(/позже|отправ/);
    await page.keyboard.press('Enter');
    await done();
    expect(await page.getByTestId('refund-state').textContent()).toBe('Чек напечатан');

    await page.keyboard.press('F4');
    await page.getByTestId('sync-pending').waitFor(WAIT);
    expect(Number(await page.getByTestId('sync-pending').textContent())).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('flow-offline-queued') });

    await simulate({ target: 'lifepos', fault: 'online' });
    await page.locator('[data-testid="sync-pending"]', { hasText: /^0$/ }).waitFor({ timeout: 90_000 });
    expect(Number(await page.getByTestId('sync-done').textContent())).toBeGreaterThan(0);
    expect(await page.getByTestId('sync-dead').textContent()).toBe('0');
    await page.screenshot({ path: screenshotPath('flow-offline-synced') });
    expect(problems).toEqual([]);
  });

  it('REGOS offline: no refund is offered, and the reason is on screen', async () => {
    await simulate({ target: 'regos', fault: 'offline' });
    await page.locator('[data-backend="regos"].conn-offline').waitFor(WAIT);
    await find(REGOS_SALE);
    const reason = page.locator('.block-reason, [data-testid="search-error"]').first();
    await reason.waitFor(WAIT);
    expect(await reason.textContent()).toMatch(/REGOS/);
    if (await page.locator('#sale-title').count()) {
      // Sums as Uzbek tills write them (issue 15): 'сум', grouped by spaces, no zero tiyin.
      expect(plain(await page.locator('#sale-title').textContent())).toMatch(/22 000 сум/);
      await page.keyboard.press('*');
      await page.keyboard.press('Enter');
      expect(await page.getByRole('heading', { name: 'Возврат: итог' }).count()).toBe(0);
    }
    await page.screenshot({ path: screenshotPath('flow-regos-offline') });
  });

  it('paper out mid-receipt: the cashier is told to insert paper, then the same receipt finishes', async () => {
    await simulate({ target: 'printer', fault: 'paperOutMidReceipt' });
    await find(CARD_SALE);
    await saleOpened(CARD_SALE);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await summary();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Возврат на карту' }).waitFor(WAIT);
    // At a person's pace: 123456789012 has a valid UPC check digit, so at a scanner's speed the RRN
    // field would refuse it as a product barcode (issue 13).
    await page.keyboard.type('123456789012', { delay: 60 });
    await page.keyboard.press('Enter');

    const trouble = page.getByTestId('printer-trouble');
    await trouble.waitFor(WAIT);
    expect(await trouble.textContent()).toMatch(/лент/i);
    await page.screenshot({ path: screenshotPath('flow-paper-out') });

    await simulate({ target: 'printer', fault: 'paperBack' });
    await done();
    expect(await page.getByTestId('fiscal-number').textContent()).toMatch(/^\d+$/);
    await page.screenshot({ path: screenshotPath('flow-paper-back-done') });
    expect(problems).toEqual([]);
  });
});
