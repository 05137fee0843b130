import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, plain, screenshotPath, serveApp, type ServedApp } from './serveApp';

/**
 * Issue 15 point 5: 12-digit sums ("999 999 999 999 soʻm") fit the sale and summary screens at 1024×768 and
 * 1366×768 in Uzbek, with nothing cut or pushed out of its column. The real services cannot be asked for
 * such a sale, so a small scripted bridge answers the calls these two screens make.
 */
function installBigSumBridge(): void {
  const BIG = 99_999_999_999_900; // 999 999 999 999 soʻm in tiyin
  const line = (i: number, name: string) => ({
    lineId: `l${i}`, name, priceMinor: BIG, quantityMilli: 1000, amountMinor: BIG, vat: 'vat12', paymentMethod: 'fullPayment',
    itemSign: 'goods', refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000,
  });
  const sale = {
    ref: { source: 'regos', id: 'big-uzs' }, number: '123456789012', createdAt: '2026-03-01T09:05:00Z', currency: 'UZS', totalMinor: 3 * BIG,
    lines: [line(1, 'Ekskavator Hyundai R210W-9S, toʻliq komplektatsiya'), line(2, 'Avtobus Isuzu Citiport'), line(3, 'Traktor')],
    payments: [{ paymentPartId: 'cash', kind: 'cash', amountMinor: 3 * BIG, refundedMinor: 0 }], remainderFromLocalOnly: false,
  };
  const status = {
    version: '9.9.9', trainingMode: false, currency: 'UZS', backends: { lifepos: 'unknown', lifepay: 'unknown', regos: 'online' },
    printer: { state: 'unknown', message: '' }, shift: { state: 'unknown' }, language: 'uz', timeZone: 'Asia/Tashkent', till: 'regosOnly',
  };
  const answer = (name: string, input: Record<string, unknown>): unknown => {
    switch (name) {
      case 'app.status': return { ok: true, value: status };
      case 'sales.search': return { ok: true, value: { kind: 'sale', sale } };
      case 'refunds.preview': {
        const lines = input.lines as { lineId: string; quantityMilli: number }[];
        return {
          ok: true,
          value: {
            sale: sale.ref, currency: 'UZS', totalMinor: lines.length * BIG, notices: [],
            lines: lines.map((l) => ({ ...sale.lines.find((s) => s.lineId === l.lineId), quantityMilli: l.quantityMilli, amountMinor: BIG })),
            tenders: [{ paymentPartId: 'cash', kind: 'cash', amountMinor: lines.length * BIG, needsCard: false }],
          },
        };
      }
      case 'refunds.recovered': return { ok: true, value: [] };
      default: return { ok: false, error: { code: 'scripted.unknown', message: name } };
    }
  };
  (window as unknown as { cashier: unknown }).cashier = {
    call: async (name: string, input: Record<string, unknown>) => answer(name, input),
    on: () => () => undefined,
  };
}

/** Every amount cell and heading that holds a sum: its text fits its box, and the box stays inside the window. */
const overflows = (page: Page) => page.evaluate(() => {
  const bad: string[] = [];
  for (const el of document.querySelectorAll<HTMLElement>('.num, #sale-title small, .total, .tender span')) {
    const r = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 || r.right > window.innerWidth || r.left < 0) bad.push(`${el.className || el.tagName}: ${el.textContent ?? ''} (${Math.round(r.left)}–${Math.round(r.right)}, scroll ${el.scrollWidth} > ${el.clientWidth})`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
  return bad;
});

describe('12-digit sums in Uzbek at the till\'s screen sizes', () => {
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

  for (const [width, height] of [[1024, 768], [1366, 768]] as const) {
    it(`${width}×${height}: the sale lines and the summary hold 999 999 999 999 soʻm`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.addInitScript(installBigSumBridge);
      await page.goto(app.url);
      await page.getByTestId('vcr-state').waitFor();
      await page.keyboard.type('123456789012');
      await page.keyboard.press('Enter');
      await page.locator('#sale-title').waitFor();
      expect(plain(await page.locator('.line .num').first().textContent())).toBe('999 999 999 999 soʻm');
      expect(plain(await page.locator('#sale-title small').textContent())).toContain('2 999 999 999 997 soʻm');
      expect(await overflows(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath(`uz-12-digit-sale-${width}x${height}`) });

      await page.keyboard.press('*');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Qaytarish: jami' }).waitFor();
      expect(plain(await page.getByTestId('refund-total').textContent())).toBe('Jami qaytariladi: 2 999 999 999 997 soʻm');
      expect(await overflows(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath(`uz-12-digit-summary-${width}x${height}`) });
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
