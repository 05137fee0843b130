import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { EmulatorState } from '../../emulators/shtrih/state';
import { screenshotPath, type ServedApp, plain, WAIT, useServedPage } from './serveApp';

/**
 * Issue 14 point 5 in Chromium against the training server, keyboard only: Ins on the search screen, the
 * lines typed by hand, a reason; the manager's PIN dialog refuses nothing until Esc (refused in Russian), then
 * the PIN prints the refund once and the F10 journal marks it «без чека» with the reason and the manager.
 */
describe('refund without a receipt, keyboard only', () => {
  let app: ServedApp;
  let page: Page;
  let problems: string[];
  useServedPage((served) => ({ app, page, problems } = served));

  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  const tabTo = async (target: Locator) => {
    for (let i = 0; i < 40; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${String(target)}`);
  };
  const refundReceiptsInFn = () => EmulatorState.parse(JSON.parse(readFileSync(join(app.dataDir, 'training', 'fiscal.json'), 'utf8')))
    .documents.filter((d) => d.type === 3 && d.operation === 2);
  const typeLine = async (name: string, price: string, quantity: string) => {
    expect(await focusedId()).toBe('noreceipt-name');
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await page.keyboard.type(price);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(quantity);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // VAT: the first offered, 22 %
    await page.keyboard.press('Enter'); // Полный расчёт
  };

  it('Ins, lines by hand and a reason; without the manager\'s PIN it is refused, with it the receipt prints once and the journal marks it', async () => {
    // The till's manager (F3 → Кассир): nobody else can approve.
    await page.keyboard.press('F3');
    await page.locator('#shift-action-0').waitFor(WAIT);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await tabTo(page.locator('#person-name'));
    await page.keyboard.type('Смирнова Е.');
    await tabTo(page.locator('#person-role'));
    await page.keyboard.press('ArrowDown'); // управляющий
    await tabTo(page.locator('#person-pin'));
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('people-result').getByText('Добавлен в список.').waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    expect(await focusedId()).toBe('receipt-query');
    expect(plain(await page.locator('.key-bar').textContent())).toContain('Возврат без чека');
    await page.keyboard.press('Insert');
    await page.locator('#noreceipt-title').waitFor(WAIT);
    await typeLine('Чайник Scarlett', '1499', '1');
    await typeLine('Лампа настольная', '250,50', '2');
    await expect.poll(async () => plain(await page.getByTestId('noreceipt-total').textContent()), WAIT).toMatch(/2 000,00/);
    await page.keyboard.press('Enter'); // empty name: to the payment
    expect(await focusedId()).toBe('noreceipt-payment');
    await page.keyboard.press('Enter'); // наличные
    expect(await focusedId()).toBe('noreceipt-reason');
    await page.keyboard.press('Enter');
    await page.locator('#noreceipt-problem', { hasText: 'Напишите причину возврата без чека' }).waitFor(WAIT);
    await page.keyboard.type('Чек утерян, товар с ярлыком магазина');
    await page.screenshot({ path: screenshotPath('without-receipt-entry') });
    await page.keyboard.press('Enter');

    await page.locator('#summary-title').waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('without-receipt-summary') });
    await page.keyboard.press('Enter');
    await page.getByTestId('approval-what').getByText('возврат без чека').waitFor(WAIT);
    await expect.poll(focusedId, WAIT).toBe('approval-pin');
    // No PIN: the manager is not there. Nothing prints; main's refusal is on screen.
    await page.keyboard.press('Escape');
    await page.getByText(/Нужно подтверждение управляющего: возврат без чека/).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('without-receipt-refused') });
    expect(refundReceiptsInFn()).toHaveLength(0);

    // Повторить (Enter): the PIN dialog again, and this time the manager's PIN.
    await page.keyboard.press('Enter');
    await expect.poll(focusedId, WAIT).toBe('approval-pin');
    await page.screenshot({ path: screenshotPath('without-receipt-approval') });
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('refund-done').waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('without-receipt-done') });
    expect(refundReceiptsInFn().map((d) => d.totalMinor)).toEqual([200_000]);

    await page.keyboard.press('F10');
    await page.getByRole('heading', { name: 'Журнал возвратов' }).waitFor(WAIT);
    const rows = page.locator('.journal-list [role="option"]');
    await rows.first().waitFor(WAIT);
    expect(await rows.count()).toBe(1);
    expect(plain(await rows.first().textContent())).toMatch(/возврат · без чека.*Продажа без чека.*2 000,00/);
    await page.keyboard.press('Enter');
    await page.getByTestId('journal-detail').getByText(/Без чека: Чек утерян, товар с ярлыком магазина\. Подтвердил Смирнова Е\./).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('without-receipt-journal') });
    expect(refundReceiptsInFn()).toHaveLength(1);
    expect(problems).toEqual([]);
  });
});
