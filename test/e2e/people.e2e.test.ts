import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { screenshotPath, plain, WAIT, useServedPage } from './serveApp';

/**
 * Issue 14 in Chromium against the training server, keyboard only: cashier sign-in (F3 → Кассир) and the
 * header, the refund journal (F10) with its copy and CSV, manager approval by PIN for a refund above the
 * store's limit, внесение/выплата and the drawer's cash refusing a cash refund it cannot cover.
 */
const CASH_SALE = 'А-1005'; // LIFE POS demo seed: apples and a bag, 171,89 ₽ cash, no marked goods
const INN = '500100732259';
/** F3 panel actions in order: open, X, Z, then issue 14's cashier, cash in, cash out, drawer, totals. */
const ACTION = { open: 0, xReport: 1, cashier: 3, cashIn: 4, cashOut: 5 } as const;

describe('the store\'s people, keyboard only', () => {
  let page: Page;
  let problems: string[];
  useServedPage((served) => ({ page, problems } = served));

  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  const tabTo = async (target: Locator) => {
    for (let i = 0; i < 40; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${String(target)}`);
  };
  /** F3, then the n-th action of the shift panel. */
  const shiftAction = async (n: number) => {
    await page.keyboard.press('F3');
    await page.locator('#shift-action-0').waitFor(WAIT);
    for (let i = 0; i < n; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
  };
  const header = () => page.getByTestId('header-cashier');
  const refundWholeSale = async () => {
    expect(await focusedId()).toBe('receipt-query');
    await page.keyboard.type(CASH_SALE);
    await page.keyboard.press('Enter');
    await page.locator('#sale-title', { hasText: CASH_SALE }).waitFor(WAIT);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await page.locator('#summary-title').waitFor(WAIT);
    await page.keyboard.press('Enter');
  };

  it('signs in by name and INN, refunds, and finds the refund in the journal with its cashier; copy and CSV of the day', async () => {
    await expect.poll(async () => plain(await header().textContent()), WAIT).toBe('Кассир: Кассир (вход не выполнен)');
    await shiftAction(ACTION.cashier);
    expect(await focusedId()).toBe('signin-who');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Иванова А.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('500100732258'); // a wrong check digit first
    await page.keyboard.press('Enter');
    await page.getByText('не сходится контрольное число').waitFor(WAIT);
    await page.keyboard.press('Backspace');
    await page.keyboard.type('9');
    await page.keyboard.press('Enter');
    await page.getByTestId('people-result').getByText('Вошёл: Иванова А.').waitFor(WAIT);
    await expect.poll(async () => plain(await header().textContent()), WAIT).toBe('Кассир: Иванова А.');
    await page.screenshot({ path: screenshotPath('people-signed-in') });
    await page.keyboard.press('Escape'); // back to the shift actions
    await page.keyboard.press('Escape'); // panel closed

    await refundWholeSale();
    await page.getByTestId('refund-done').waitFor(WAIT);

    await page.keyboard.press('F10');
    await page.getByRole('heading', { name: 'Журнал возвратов' }).waitFor(WAIT);
    const row = page.locator('.journal-list [role="option"]').first();
    await row.waitFor(WAIT);
    expect(plain(await row.textContent())).toMatch(new RegExp(`возврат.*Продажа ${CASH_SALE}.*Иванова А\\..*171,89`));
    await page.screenshot({ path: screenshotPath('people-journal-list') });
    await page.keyboard.press('Enter');
    const copy = page.getByTestId('journal-copy');
    await copy.waitFor(WAIT);
    expect(await copy.textContent()).toMatch(/^КОПИЯ ЧЕКА ВОЗВРАТА ПРИХОДА\nФД № \d+ {2}ФП \d+/);
    expect(await copy.textContent()).toContain('Кассир: Иванова А.');
    expect(plain(await page.getByTestId('journal-detail').textContent())).toContain(`ИНН ${INN}`);
    expect(await focusedId()).toBe('journal-print');
    await page.keyboard.press('Enter');
    await page.getByTestId('journal-result').getByText('Копия напечатана.').waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('people-journal-refund') });
    await page.keyboard.press('Escape');
    await page.locator('#journal-date').waitFor(WAIT);
    await tabTo(page.locator('#journal-export'));
    await page.keyboard.press('Enter');
    const result = page.getByTestId('journal-result');
    await result.getByText('Выгружено записей: 1').waitFor(WAIT);
    const path = /Файл: (.+\.csv)$/.exec(plain(await result.textContent()))?.[1] ?? '';
    expect(readFileSync(path, 'utf8')).toContain(`;возврат;`);
    expect(readFileSync(path, 'utf8')).toContain(';Иванова А.;171,89;171,89;');
    await page.screenshot({ path: screenshotPath('people-journal-csv') });
    expect(problems).toEqual([]);
  });

  it('a refund above the store limit waits for the manager\'s PIN; the drawer\'s cash refuses a cash refund it cannot cover until внесение; X report shows refunds by tender', async () => {
    await shiftAction(ACTION.cashier);
    await tabTo(page.locator('#person-name'));
    await page.keyboard.type('Смирнова Е.');
    await tabTo(page.locator('#person-role'));
    await page.keyboard.press('ArrowDown'); // управляющий
    await tabTo(page.locator('#person-pin'));
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('people-result').getByText('Добавлен в список.').waitFor(WAIT);

    await tabTo(page.locator('#rules-limit'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('100');
    await page.keyboard.press('Enter');
    await page.getByTestId('approval-what').getByText('изменение правил подтверждения').waitFor(WAIT);
    await expect.poll(focusedId, WAIT).toBe('approval-pin');
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await page.getByText('Неверный PIN. Осталось попыток: 2.').waitFor(WAIT);
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('people-result').getByText('Правила сохранены.').waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    // Выплата (in an open shift) leaves 100,00 in the drawer: a cash refund of 171,89 is refused before a manager is asked.
    await shiftAction(ACTION.open);
    await page.getByRole('status').getByText('Смена открыта', { exact: true }).waitFor(WAIT);
    await page.keyboard.press('Escape');
    await shiftAction(ACTION.cashOut);
    expect(await focusedId()).toBe('cash-amount');
    await page.keyboard.type('9900');
    await page.keyboard.press('Enter');
    await expect.poll(async () => plain(await page.getByTestId('cash-result').textContent()), WAIT).toMatch(/^Документ № 1 напечатан\. В кассе: 100,00/);
    await page.screenshot({ path: screenshotPath('people-cash-out') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await refundWholeSale();
    await page.getByText(/В кассе 100,00 наличными, а возврат наличными — 171,89/).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('people-cash-refused') });

    // Внесение 200,00; the refund, above the store's limit, now waits for the manager's PIN.
    await page.keyboard.press('F2');
    await shiftAction(ACTION.cashIn);
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await expect.poll(async () => plain(await page.getByTestId('cash-result').textContent()), WAIT).toMatch(/^Документ № 2 напечатан\. В кассе: 300,00/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await refundWholeSale();
    await page.getByTestId('approval-what').getByText('возврат на крупную сумму').waitFor(WAIT);
    await expect.poll(focusedId, WAIT).toBe('approval-pin');
    await page.screenshot({ path: screenshotPath('people-approval-refund') });
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('refund-done').waitFor(WAIT);

    // X report: the day's refunds by tender on screen, with the drawer's cash.
    await shiftAction(ACTION.xReport);
    const totals = page.getByTestId('refund-totals');
    await totals.waitFor(WAIT);
    expect(plain(await totals.textContent())).toMatch(/Наличные1171,89.*Всего: 1 возвр\. на 171,89.*Наличных в кассе \(по ККТ\): 128,11/);
    await page.screenshot({ path: screenshotPath('people-x-report-totals') });
    expect(problems).toEqual([]);
  });
});
