import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallInput, CallName, CallOutput } from '../../preload/contract';
import { switchLayout } from '../../main/refunds/search/keyboardLayout';
import { screenshotPath, type ServedApp, plain, WAIT, useServedPage } from './serveApp';
import { installScriptedBridge } from './scriptedBridge';
import { scan as scanLike } from './scanner';

/**
 * Finding the sale the way stores do (issue 13), keyboard only, in Chromium against `npm run serve` in
 * training mode. One server for the file: searches only read, and the one refund here (the card RRN
 * test) is of a sale no other test opens. The page's own bridge is used only to learn what a real
 * receipt would show (a REGOS QR's fiscal sign, a LIFE PAY payment's time), never to act.
 */
const CASH_SALE = 'А-1001'; // LIFE POS: milk ×2 (4607053470016), bread (4600682000136), shampoo
const CARD_SALE = 'А-1002'; // LIFE POS: coffee machine by card, RRN 432109876543
const WEIGHED_SALE = 'А-1005'; // LIFE POS: 1,254 kg of apples and a bag
const LIFE_PAY_CASH = '30452'; // LIFE PAY: a haircut, 450,00 ₽ cash

describe('sale search, keyboard only, against the training server', () => {
  let app: ServedApp;
  let page: Page;
  let problems: string[];
  const browser = useServedPage((served) => ({ app, page, problems } = served), { server: 'file', page: 'test' });
  // Registered after the fixture, so it runs before the page closes (vitest runs after-hooks as a stack).
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('screen when the test failed:', plain(await page.locator('main').textContent()), app.output.slice(-15).join('\n'));
    expect(problems).toEqual([]);
  });

  const ask = async <K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> => {
    const r = await page.evaluate(async ([n, body]) => {
      const token = document.querySelector<HTMLMetaElement>('meta[name="cashier-token"]')?.content ?? '';
      const res = await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cashier-token': token }, body: JSON.stringify(body) });
      return res.json() as Promise<{ ok: boolean; value: unknown }>;
    }, [name, input] as const);
    expect(r.ok).toBe(true);
    return r.value as CallOutput<K>;
  };

  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('role') || '');
  const search = async (query: string) => {
    expect(await focused()).toBe('receipt-query');
    await page.keyboard.type(query);
    await page.keyboard.press('Enter');
  };
  const saleOpened = (number: string) => page.locator('#sale-title', { hasText: `Продажа № ${number} ` }).waitFor(WAIT);
  const backToSearch = async () => {
    await page.keyboard.press('Escape');
    await page.locator('#receipt-query').waitFor(WAIT);
    await page.waitForFunction(() => document.activeElement?.id === 'receipt-query', undefined, WAIT);
  };
  /** The search's error once it says this (the previous search's error may still be on screen). */
  const searchError = async (says: string) => {
    await page.getByTestId('search-error').filter({ hasText: says }).waitFor(WAIT);
    return plain(await page.getByTestId('search-error').textContent());
  };
  const scan = (code: string) => scanLike(page, code);

  it('finds "А-1001" however it is typed: Latin A, lower case, the other layout, no dash, spaces, leading zero', async () => {
    for (const spelling of ['A-1001', 'а-1001', 'F-1001', 'f-1001', 'А1001', 'а 1001', 'А-01001']) {
      await search(spelling);
      await saleOpened(CASH_SALE);
      if (spelling === 'F-1001') await page.screenshot({ path: screenshotPath('search-other-layout') });
      await backToSearch();
    }
    await search('Б-1001');
    expect(await searchError('Б-1001')).toContain('Продажа «Б-1001» не найдена');
  });

  it('digits alone: two sales share them, the cashier picks one with the arrows', async () => {
    await search('1001');
    const list = page.getByTestId('sale-choices');
    await list.waitFor(WAIT);
    expect(await focused()).toBe('listbox');
    const rows = list.locator('[role="option"]');
    const texts = (await rows.allTextContents()).map(plain);
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => t.startsWith(`№ ${CASH_SALE}`) && t.includes('LIFE POS'))).toBe(true);
    expect(texts.some((t) => t.startsWith('№ 1001') && t.includes('199,00 ₽') && t.includes('LIFE PAY'))).toBe(true);
    await page.screenshot({ path: screenshotPath('search-pick-list') });

    const lifePayRow = texts.findIndex((t) => t.includes('LIFE PAY'));
    await page.keyboard.press(lifePayRow === 0 ? 'Home' : 'End');
    expect(await list.locator('[aria-selected="true"]').textContent()).toContain('LIFE PAY');
    await page.keyboard.press(lifePayRow === 0 ? 'ArrowDown' : 'ArrowUp');
    expect(await list.locator('[aria-selected="true"]').textContent()).toContain('LIFE POS');
    // Esc leaves the list for the search field; a new search of the same digits, then the other one.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.id === 'receipt-query', undefined, WAIT);
    expect(await list.count()).toBe(0);
    await search('1001');
    await list.waitFor(WAIT);
    if (lifePayRow === 1) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await saleOpened('1001');
    expect(await page.locator('.line .line-name').first().textContent()).toBe('Батарейки AA, 4 шт');
  });

  it('the fiscal QR of a Russian receipt finds the sale, in either layout; a refund receipt\'s QR is refused in words', async () => {
    const paid = (await ask('sales.search', { query: LIFE_PAY_CASH }));
    if (paid.kind !== 'sale') throw new Error('LIFE PAY demo sale not unique');
    const at = new Date(paid.sale.createdAt);
    const pad = (n: number) => String(n).padStart(2, '0');
    const t = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;
    const qr = `t=${t}&s=450.00&fn=7280440500224406&i=1217&fp=4196509436&n=1`;

    await search(qr);
    await saleOpened(LIFE_PAY_CASH);
    expect(await page.locator('.line .line-name').first().textContent()).toBe('Стрижка мужская');
    await page.screenshot({ path: screenshotPath('search-ru-fiscal-qr') });
    await backToSearch();

    // A scanner with the Russian layout active types the same keys as Cyrillic.
    await search(switchLayout(qr));
    await saleOpened(LIFE_PAY_CASH);
    await backToSearch();

    await search(qr.replace('n=1', 'n=2'));
    expect(await searchError('возврата')).toContain('QR-код чека возврата или расхода, а не продажи');
    await search(qr.replace('s=450.00', 's=451.00'));
    expect(await searchError('451')).toContain('Чек ФД № 1217 на 451,00 ₽');
    await page.screenshot({ path: screenshotPath('search-ru-fiscal-qr-not-found') });
  });

  it('the REGOS receipt QR finds the REGOS sale; a QR of another VCR says where to go', async () => {
    const found = await ask('sales.search', { query: '101' });
    if (found.kind !== 'sale' || !found.sale.fiscal?.qrCodeUrl) throw new Error('REGOS demo sale 101 has no QR');
    const url = found.sale.fiscal.qrCodeUrl;
    await search(url);
    await saleOpened('101');
    expect(await page.locator('#sale-title').textContent()).toContain('REGOS');
    expect(await page.locator('.line .line-name').first().textContent()).toBe('Coca-Cola 1 л');
    await page.screenshot({ path: screenshotPath('search-regos-qr') });
    await backToSearch();

    await search(url.replace(/&r=\d+/, '&r=999').replace(/&s=\d+/, '&s=111111111111'));
    expect(await searchError('№ 999')).toContain('Чек REGOS № 999 (модуль VG298343428256) не найден: VCR этой кассы находит только свои чеки');
  });

  it('a scan on the open sale: its product barcode selects the line and changes no quantity; a receipt number opens that sale', async () => {
    await search(CASH_SALE);
    await saleOpened(CASH_SALE);
    const qty = () => page.locator('.line [data-testid="line-qty"]').allTextContents();
    await page.keyboard.press(' '); // milk: both bottles
    expect(await qty()).toEqual(['2', '0', '0']);
    await page.keyboard.press('End'); // shampoo

    await scan('4600682000136'); // bread
    await page.locator('.line.active .line-name', { hasText: 'Хлеб Бородинский' }).waitFor(WAIT);
    expect(await qty()).toEqual(['2', '0', '0']);
    expect(await page.locator('.selection-status').textContent()).toContain('Выбрано: «Хлеб Бородинский»');
    await page.screenshot({ path: screenshotPath('search-scan-selects-line') });

    // A person's digits still set a quantity.
    await page.keyboard.type('1', { delay: 120 });
    await page.keyboard.press('Enter');
    expect(await qty()).toEqual(['2', '1', '0']);

    // A receipt number scanned in the English layout, with its dash: a new search, nothing edited here.
    await scan('F-1002');
    await saleOpened(CARD_SALE);
  });

  it('quantities follow the unit: a piece item takes whole numbers, a weighed one grams', async () => {
    await search('101');
    await saleOpened('101');
    await page.keyboard.type('1,5', { delay: 120 });
    await page.keyboard.press('Enter');
    expect(await page.locator('.selection-status').textContent()).toBe('«Coca-Cola 1 л» продаётся поштучно: введите целое число');
    expect(await page.locator('.line.active [data-testid="line-qty"]').textContent()).toBe('0');
    await page.screenshot({ path: screenshotPath('search-piece-quantity-refused') });
    await backToSearch();

    await search(WEIGHED_SALE);
    await saleOpened(WEIGHED_SALE);
    await page.keyboard.type('0,755', { delay: 120 });
    await page.keyboard.press('Enter');
    expect(plain(await page.locator('.line.active [data-testid="line-qty"]').textContent())).toBe('0,755');
  });

  it('the RRN field takes the 12 characters of the terminal slip and refuses the sale\'s RRN, a barcode and a short one', async () => {
    await search(CARD_SALE);
    await saleOpened(CARD_SALE);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Возврат: итог' }).waitFor(WAIT);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Возврат на карту' }).waitFor(WAIT);
    expect(await focused()).toBe('rrn-0');
    const problem = page.locator('#rrn-problem');
    const clear = async () => {
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
    };

    await page.keyboard.type('432109876543', { delay: 60 });
    await page.keyboard.press('Enter');
    expect(await problem.textContent()).toContain('Это RRN покупки');
    await clear();
    await scan('4607053470017');
    expect(await problem.textContent()).toContain('Это штрихкод товара');
    await page.screenshot({ path: screenshotPath('search-rrn-barcode-refused') });
    await clear();
    await page.keyboard.type('12345', { delay: 60 });
    await page.keyboard.press('Enter');
    expect(await problem.textContent()).toBe('RRN — ровно 12 символов (цифры и латинские буквы), введено 5');
    await clear();
    await page.keyboard.type('a1b2c3d4e5f6', { delay: 60 });
    expect(await page.locator('#rrn-0').inputValue()).toBe('A1B2C3D4E5F6');
    await page.keyboard.press('Enter');
    await page.getByTestId('refund-done').waitFor(WAIT);
  });

  it('a REGOS sale VCR answers without lines: the cashier types them from the paper receipt, keyboard only (scripted bridge)', async () => {
    // VCR never answers a sale without a record on this training server (its demo sales are all this
    // till's): the scripted bridge plays VCR's answer, the screen and its checks are the real ones.
    const scripted = await browser().newPage({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    try {
      await scripted.addInitScript(installScriptedBridge);
      await scripted.goto(app.url);
      await scripted.getByTestId('app-version').waitFor(WAIT);
      const problem = scripted.locator('#entry-problem');
      const focusedField = () => scripted.evaluate(() => document.activeElement?.id ?? '');
      const enterTimes = async (n: number) => {
        for (let i = 0; i < n; i++) await scripted.keyboard.press('Enter');
      };
      await scripted.keyboard.type('187');
      await scripted.keyboard.press('Enter');
      await scripted.getByRole('heading', { name: 'Чек REGOS № 187: введите позиции с бумажного чека' }).waitFor(WAIT);
      expect(await focusedField()).toBe('entry-name');

      const line = async (name: string, icps: string, quantity: string, sum: string) => {
        await scripted.keyboard.type(name);
        await scripted.keyboard.press('Enter');
        await scripted.keyboard.type(icps);
        await scripted.keyboard.press('Enter');
        await scripted.keyboard.press('Control+A');
        await scripted.keyboard.type(quantity);
        await scripted.keyboard.press('Enter');
        await scripted.keyboard.type(sum);
        await scripted.keyboard.press('Enter');
        expect(await focusedField()).toBe('entry-vat');
        await scripted.keyboard.press('Enter');
      };
      // An ИКПУ one digit short is refused, and nothing is added.
      await line('Coca-Cola 1 л', '0220200200101003', '1', '9000');
      expect(await problem.textContent()).toBe('ИКПУ — 17 цифр из чека, введено 16');
      // Back to the ИКПУ field from the VAT choice with Shift+Tab (VAT → sum → quantity → ИКПУ).
      for (let i = 0; i < 3; i++) await scripted.keyboard.press('Shift+Tab');
      expect(await focusedField()).toBe('entry-icps');
      await scripted.keyboard.press('End');
      await scripted.keyboard.type('6');
      await enterTimes(4); // ИКПУ → quantity → sum → VAT → the line added
      expect(await problem.textContent()).toBe('');
      expect(plain(await scripted.getByTestId('entry-totals').textContent())).toMatch(/введено: 9 000 сум/);
      expect(await focusedField()).toBe('entry-name');

      // Three loaves at 5 000 would take the lines past the receipt's 22 000.
      await line('Нон', '01905001001000000', '3', '15000');
      expect(plain(await problem.textContent())).toMatch(/больше суммы чека 22 000 сум/);
      await scripted.screenshot({ path: screenshotPath('search-regos-entry-over-total') });
      await scripted.keyboard.press('Shift+Tab');
      await scripted.keyboard.press('Control+A');
      await scripted.keyboard.type('4000');
      await scripted.keyboard.press('Shift+Tab');
      await scripted.keyboard.press('Control+A');
      await scripted.keyboard.type('1');
      await enterTimes(3); // quantity → sum → VAT → the line added
      expect(await problem.textContent()).toBe('');

      // Enter on the empty name: the payment; ArrowDown picks the card; Enter sends.
      await scripted.keyboard.press('Enter');
      expect(await focusedField()).toBe('entry-payment');
      await scripted.keyboard.press('ArrowDown');
      await scripted.screenshot({ path: screenshotPath('search-regos-entry-payment') });
      await scripted.keyboard.press('Enter');
      await scripted.locator('#sale-title', { hasText: 'Продажа № 187' }).waitFor(WAIT);
      expect(await scripted.locator('.line .line-name').allTextContents()).toEqual(['Coca-Cola 1 л', 'Нон']);
      const sent = await scripted.evaluate(() => (window as unknown as { scripted: { calls: { name: string; input: unknown }[] } }).scripted.calls.filter((c) => c.name === 'sales.enterLines'));
      expect(sent).toEqual([{
        name: 'sales.enterLines',
        input: {
          ref: { source: 'regos', id: 'vcr-187' },
          payment: 'card',
          lines: [
            { name: 'Coca-Cola 1 л', icps: '02202002001010036', quantityMilli: 1000, amountMinor: 900_000, vat: 'vat12' },
            { name: 'Нон', icps: '01905001001000000', quantityMilli: 1000, amountMinor: 400_000, vat: 'vat12' },
          ],
        },
      }]);
    } finally {
      await scripted.close();
    }
  });
});
