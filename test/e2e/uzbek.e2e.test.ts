import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SettingsInput, type SettingsView } from '../../preload/contract';
import { instalmentSteps, TV_SALE } from './instalmentSteps';
import { panelsUz } from '../../renderer/src/i18n/panels';
import { callFromPage } from './pageBridge';
import { openApp, useChromium, screenshotPath, useServerPerTest, type ServedApp, plain, WAIT } from './serveApp';

/**
 * Issue 15: an Uzbek REGOS-only till, keyboard only, in Chromium against the training server (its REGOS
 * emulator). The till is set up as a store's IT person would in F9: Uzbek, Tashkent time, sums, REGOS VCR
 * only. The sale is the REGOS demo seed's first: Coca-Cola 1 л × 2 at 9 000 soʻm and a нон at 4 000, cash.
 */
const REGOS_SALE = 'demo-sale-0001';

describe('an Uzbek REGOS-only till, keyboard only, against the training server', () => {
  const browser = useChromium();
  const server = useServerPerTest();
  let app: ServedApp;
  let page: Page;
  let problems: string[];

  beforeEach(async () => {
    app = server();
    ({ page, problems } = await openApp(browser(), app.url));
    await page.getByTestId('app-version').waitFor(WAIT);
    const got = await callFromPage(page, 'settings.get', {});
    if (!got.ok) throw new Error(got.error.message);
    const saved = await callFromPage(page, 'settings.save', uzbekTill(got.value));
    expect(saved.ok).toBe(true);
    await page.reload();
    await page.locator('[data-testid="vcr-state"].conn-online').waitFor(WAIT).catch(async (e: unknown) => {
      const status = await callFromPage(page, 'app.status', {});
      throw new Error(`VCR not online: ${JSON.stringify(status)}\n${app.output.slice(-30).join('\n')}`, { cause: e });
    });
  });
  afterEach(async () => {
    await page?.close();
  });

  const find = async (query: string) => {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    await page.keyboard.type(query);
    await page.keyboard.press('Enter');
    await page.locator('#sale-title').waitFor(WAIT);
  };
  const summary = () => page.getByRole('heading', { name: 'Qaytarish: jami' }).waitFor(WAIT);
  const done = () => page.getByTestId('refund-done').waitFor(WAIT);

  it('speaks Uzbek, shows REGOS VCR instead of printer and shift; a full refund: *, Enter, Enter', async () => {
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('uz');
    expect(await page.getByTestId('printer-state').count()).toBe(0);
    expect(plain(await page.getByTestId('vcr-state').textContent())).toBe('REGOS VCR: aloqa bor');
    const keys = plain(await page.locator('.key-bar').textContent());
    expect(keys).toContain('Yordam');
    expect(keys).not.toMatch(/Помощь|Поиск/);
    await page.screenshot({ path: screenshotPath('uz-search') });

    await find(REGOS_SALE);
    const title = plain(await page.locator('#sale-title').textContent());
    expect(title).toContain('22 000 soʻm');
    // The seed's receipt time is VCR's wall clock in Tashkent: shown as dd.mm.yyyy HH:MM, as written.
    expect(title).toMatch(/\d\d\.\d\d\.\d{4} \d\d:\d\d/);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await summary();
    expect(plain(await page.getByTestId('refund-total').textContent())).toBe('Jami qaytariladi: 22 000 soʻm');
    expect(plain(await page.locator('.next-step').textContent())).toBe('Enter — qaytarishni REGOS VCR da roʻyxatdan oʻtkazish');
    await page.screenshot({ path: screenshotPath('uz-full-summary') });
    await page.keyboard.press('Enter');
    await done();
    expect(plain(await page.getByTestId('refund-done').textContent())).toBe('Qaytarish bajarildi');
    expect(plain(await page.locator('.done-screen .total').textContent())).toContain('22 000 soʻm');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-query');
    await page.screenshot({ path: screenshotPath('uz-full-done') });

    const refunds = await callFromPage(page, 'sales.get', { ref: { source: 'regos', id: REGOS_SALE } });
    expect(refunds.ok && refunds.value.lines.every((l) => l.refundableMilli === 0)).toBe(true);

    // Again: nothing left, said in Uzbek.
    await find(REGOS_SALE);
    expect(await page.locator('.block-reason').textContent()).toBe('Bu sotuv boʻyicha hammasi allaqachon qaytarilgan.');
    expect(problems).toEqual([]);
  });

  it('F4, F6 and F9 speak Uzbek: no Cyrillic but the name of the Russian language', async () => {
    const panelText = async (key: string, selector: string, title: string, loading?: string) => {
      await page.keyboard.press(key);
      await page.locator(selector).getByRole('heading', { name: title }).waitFor(WAIT);
      // The heading comes with the panel, its content after the main process answers: read it loaded.
      if (loading) await page.locator(selector).getByRole('status').filter({ hasText: loading }).waitFor({ ...WAIT, state: 'detached' });
      const text = plain(await page.locator(selector).textContent());
      await page.screenshot({ path: screenshotPath(`uz-panel-${key}`) });
      await page.keyboard.press('Escape');
      return text;
    };
    expect(await panelText('F4', '.sync-panel', 'Server bilan sinxronlash')).not.toMatch(/[\u0400-\u04ff]/);
    expect(await panelText('F6', '.recent-panel', 'Oxirgi sotuvlar', panelsUz['recentPanel.loading'])).not.toMatch(/[\u0400-\u04ff]/);
    const settings = await panelText('F9', '.settings-panel', 'Sozlamalar', panelsUz['settingsPanel.loading']);
    expect(settings).toContain('QQS 12 %');
    expect(settings.replace('Русский', '')).not.toMatch(/[\u0400-\u04ff]/);
    expect(problems).toEqual([]);
  });

  it('a partial refund: one of the two bottles of Coca-Cola', async () => {
    await find(REGOS_SALE);
    expect(await page.locator('.line.active .line-name').textContent()).toMatch(/Coca-Cola/);
    await page.keyboard.type('1', { delay: 100 });
    await page.keyboard.press('Enter');
    expect(await page.locator('.line.active [data-testid="line-qty"]').textContent()).toBe('1');
    expect(plain(await page.locator('.selection-status').textContent())).toBe('Qaytariladigan pozitsiyalar: 1. Enter — qaytarish jami');
    await page.keyboard.press('Enter');
    await summary();
    expect(plain(await page.getByTestId('refund-total').textContent())).toBe('Jami qaytariladi: 9 000 soʻm');
    await page.screenshot({ path: screenshotPath('uz-partial-summary') });
    await page.keyboard.press('Enter');
    await done();
    expect(plain(await page.locator('.done-screen .total').textContent())).toContain('9 000 soʻm');
    await page.screenshot({ path: screenshotPath('uz-partial-done') });

    // What is left: one bottle and the нон.
    const sale = await callFromPage(page, 'sales.get', { ref: { source: 'regos', id: REGOS_SALE } });
    expect(sale.ok && sale.value.lines.map((l) => l.refundableMilli)).toEqual([1000, 1000]);
    expect(problems).toEqual([]);
  });

  /**
   * Issue 24 point 4 in Uzbek: instalment part-payments (REGOS credit receipts) on the same till, keyboard
   * only. The instalment sale is the REGOS demo seed's TV, "demo-sale-0003".
   */
  const steps = () => instalmentSteps(page, { title: 'Muddatli toʻlov: qismni toʻlash', saleShows: '3 890 000 soʻm' });

  it('instalment, cash part: 500 000 soʻm with the phone, registered by VCR, said in Uzbek', async () => {
    const { openSale, typeInto } = steps();
    await openSale();
    await page.keyboard.type('500000');
    await typeInto('instalment-phone', '998918935861');
    await page.keyboard.press('Enter');
    await page.getByTestId('instalment-confirm').waitFor(WAIT);
    expect(plain(await page.getByTestId('instalment-confirm').textContent())).toContain('500 000 soʻm qabul qilish: naqd pul 500 000 soʻm');
    await page.keyboard.press('Enter');
    await page.getByTestId('instalment-result-registered').waitFor(WAIT);
    const vcrId = (await page.getByTestId('instalment-vcr-id').textContent()) ?? '';
    expect(vcrId).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain(await page.locator('.instalment-result').textContent())).toContain('REGOS VCR kredit chekini roʻyxatdan oʻtkazdi');
    await page.screenshot({ path: screenshotPath('uz-instalment-cash') });
    const list = await callFromPage(page, 'instalments.list', {});
    expect(list.ok && list.value).toMatchObject([{ state: 'registered', vcrId, amountMinor: 50_000_000, tenders: [{ kind: 'cash', amountMinor: 50_000_000 }] }]);
    expect(problems).toEqual([]);
  });

  it('instalment, terminal part with RRN; the next search shows what this till has taken, in Uzbek', async () => {
    const { openSale, typeInto, confirmAndWait, focusedId } = steps();
    await openSale();
    await page.keyboard.type('300000');
    await typeInto('instalment-terminal1', '300000');
    await typeInto('instalment-rrn1', '847204678473');
    const vcrId = await confirmAndWait();
    const list = await callFromPage(page, 'instalments.list', {});
    expect(list.ok && list.value).toMatchObject([{ vcrId, tenders: [{ kind: 'terminal', amountMinor: 30_000_000, rrn: '847204678473' }] }]);

    await page.keyboard.press('Escape');
    expect(await focusedId()).toBe('instalment-query');
    await page.keyboard.type(TV_SALE);
    await page.keyboard.press('Enter');
    await page.getByTestId('instalment-credited').waitFor(WAIT);
    expect(plain(await page.getByTestId('instalment-credited').textContent())).toBe('Shu kassaning kredit cheklari boʻyicha qabul qilingan: 300 000 soʻm (1 ta chek)');
    await page.screenshot({ path: screenshotPath('uz-instalment-terminal') });
    expect(problems).toEqual([]);
  });
});

/**
 * Issue 15 point 1: a refund's reason composed by the main process reaches an Uzbek screen as a code with
 * values (preload/contract/mainText.ts), not as Russian text. An Uzbek till with a fiscal printer (the
 * training Shtrih-M) refunds a card sale while the printer does not answer: the printing screen says why
 * the refund waits and what to do, in Uzbek, with no Cyrillic on it.
 */
describe('an Uzbek till with a fiscal printer: a refund waiting for the printer', () => {
  const browser = useChromium();
  const server = useServerPerTest();
  let app: ServedApp;
  let page: Page;
  let problems: string[];

  beforeEach(async () => {
    app = server();
    ({ page, problems } = await openApp(browser(), app.url));
    await page.getByTestId('app-version').waitFor(WAIT);
    const got = await callFromPage(page, 'settings.get', {});
    if (!got.ok) throw new Error(got.error.message);
    const saved = await callFromPage(page, 'settings.save', uzbekLanguageOnly(got.value));
    expect(saved.ok).toBe(true);
    await page.reload();
    await page.getByTestId('app-version').waitFor(WAIT);
  });
  afterEach(async () => {
    await page?.close();
  });

  it('the printer does not answer: the waiting reason and the next step in Uzbek, as a code from main', async () => {
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('uz');
    const off = await callFromPage(page, 'training.simulate', { target: 'printer', fault: 'offline' });
    expect(off.ok).toBe(true);
    // LIFE POS demo seed: a coffee machine paid by card (no cash drawer to ask the silent printer about).
    await page.keyboard.type('А-1002');
    await page.keyboard.press('Enter');
    await page.locator('#sale-title').waitFor(WAIT);
    await page.keyboard.press('*');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Qaytarish: jami' }).waitFor(WAIT);
    await page.keyboard.press('Enter');
    await page.locator('#card-title').waitFor(WAIT);
    // At a person's pace: at a scanner's speed a valid UPC would be taken for a product barcode (issue 13).
    await page.keyboard.type('123456789012', { delay: 60 });
    await page.keyboard.press('Enter');

    const pending = page.getByTestId('refund-pending');
    await pending.waitFor(WAIT);
    expect(await pending.getAttribute('data-state')).toBe('confirmed');
    const reason = plain(await page.locator('.pending-reason').textContent());
    expect(reason).toBe('Printer javob bermayapti, qaytarish cheki hali chop etilmagan. Printerning quvvati va kabelini tekshiring. '
      + 'Printer javob berishi bilan chek oʻzi chop etiladi (Enter — hozir «Qayta urinish»). Bu oʻsha qaytarish: ikkinchi chek chop etilmaydi. Pulni chek chop etilgandan keyin bering.');
    expect(plain(await page.getByTestId('refund-progress').textContent())).toBe(reason);
    expect(plain(await page.locator('.printing-screen').textContent())).not.toMatch(/[\u0400-\u04ff]/);
    await page.screenshot({ path: screenshotPath('uz-printer-waits') });

    // What the screen was sent: the Russian reason for the log and the journal, and the code it said in Uzbek.
    const waiting = await callFromPage(page, 'refunds.list', { states: ['confirmed'] });
    expect(waiting.ok && waiting.value.map((r) => r.reasonText)).toEqual([{ code: 'printer.waits', params: {} }]);
    expect(waiting.ok && waiting.value[0]?.reason).toMatch(/^Принтер не отвечает, чек возврата ещё не печатался\./);
    expect(problems).toEqual([]);
  });
});

/** Only the UI language changed: a till with the training printer, roubles, the system's time zone. */
function uzbekLanguageOnly(view: SettingsView): SettingsInput {
  return SettingsInput.parse({
    ...view,
    language: 'uz',
    fiscal: { ...view.fiscal, operatorPassword: undefined },
    lifepos: { ...view.lifepos, token: undefined },
    lifepay: { ...view.lifepay, apiKey: undefined },
    regos: { ...view.regos, password: undefined },
  });
}

/** The settings screen's save with issue 15's three settings changed and no secret retyped. */
function uzbekTill(view: SettingsView): SettingsInput {
  return SettingsInput.parse({
    ...view,
    currency: 'UZS',
    language: 'uz',
    timeZone: 'Asia/Tashkent',
    till: 'regosOnly',
    fiscal: { ...view.fiscal, operatorPassword: undefined },
    lifepos: { ...view.lifepos, token: undefined },
    lifepay: { ...view.lifepay, apiKey: undefined },
    regos: { ...view.regos, password: undefined },
  });
}
