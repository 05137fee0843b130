import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { instalmentSteps, TV_SALE } from './instalmentSteps';
import { callFromPage } from './pageBridge';
import { screenshotPath, plain, WAIT, useServedPage } from './serveApp';

/**
 * Issue 24: an instalment part-payment (REGOS credit receipt, seed 003), keyboard only, in Chromium
 * against the training server (its REGOS emulator). The instalment sale is the REGOS demo seed's TV,
 * "demo-sale-0003". The same steps in Uzbek are in uzbek.e2e.test.ts (issue 15).
 */

describe('instalment part-payments, keyboard only, against the training server', () => {
  let page: Page;
  let problems: string[];
  useServedPage((served) => ({ page, problems } = served));

  const steps = () => instalmentSteps(page, { title: 'Рассрочка: оплата части', saleShows: 'Телевизор Artel 43"' });
  const focusedId = () => steps().focusedId();
  const typeInto = (id: string, text: string) => steps().typeInto(id, text);
  const openSale = () => steps().openSale();
  const confirmAndWait = () => steps().confirmAndWait();

  it('cash part: F7 in the key bar, find the sale, 500 000 sum in cash with the phone, VCR\'s receipt id shown and shown again from the list', async () => {
    expect(plain(await page.locator('.key-bar').textContent())).toContain('F7');
    await openSale();
    await page.keyboard.type('500000');
    await typeInto('instalment-phone', '998918935861');
    const vcrId = await confirmAndWait();
    expect(vcrId).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain(await page.getByTestId('instalment-amount').textContent())).toMatch(/500 000/);
    await page.screenshot({ path: screenshotPath('instalment-cash') });

    const list = await callFromPage(page, 'instalments.list', {});
    expect(list.ok && list.value).toMatchObject([{ state: 'registered', vcrId, amountMinor: 50_000_000, phone: '998918935861', tenders: [{ kind: 'cash', amountMinor: 50_000_000 }] }]);

    // Back to the search: the list holds the receipt; ↓ Enter shows what VCR returned again.
    await page.keyboard.press('Enter');
    await page.getByTestId('instalment-row').first().waitFor(WAIT);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('instalment-result-registered').waitFor(WAIT);
    expect(await page.getByTestId('instalment-vcr-id').textContent()).toBe(vcrId);

    // F8: a copy marked КОПИЯ on the training printer (non-fiscal text), its lines and the sale's QR link on screen.
    expect(plain(await page.getByTestId('instalment-result-registered').textContent())).toContain('F8 — копия кредитного чека');
    await page.keyboard.press('F8');
    await page.getByTestId('instalment-copy-printed').waitFor(WAIT);
    const lines = plain(await page.getByTestId('instalment-copy-lines').textContent());
    expect(lines).toMatch(/^КОПИЯ — НЕ ФИСКАЛЬНЫЙ ДОКУМЕНТ/);
    expect(lines).toContain(`Чек VCR: ${vcrId}`);
    expect(await page.getByTestId('instalment-sale-qr').textContent()).toMatch(/^https:\/\/ofd\.soliq\.uz\/check\?t=/);
    await page.screenshot({ path: screenshotPath('instalment-copy-printed') });
    expect(problems).toEqual([]);
  });

  it('terminal part with RRN; the next search shows what this till has taken so far', async () => {
    await openSale();
    await page.keyboard.type('300000');
    await typeInto('instalment-terminal1', '300000');
    await typeInto('instalment-rrn1', '847204678473');
    const vcrId = await confirmAndWait();
    const list = await callFromPage(page, 'instalments.list', {});
    expect(list.ok && list.value).toMatchObject([{ vcrId, tenders: [{ kind: 'terminal', amountMinor: 30_000_000, rrn: '847204678473', cardType: 'personal' }] }]);

    await page.keyboard.press('Escape');
    expect(await focusedId()).toBe('instalment-query');
    await page.keyboard.type(TV_SALE);
    await page.keyboard.press('Enter');
    await page.getByTestId('instalment-credited').waitFor(WAIT);
    expect(plain(await page.getByTestId('instalment-credited').textContent())).toMatch(/300 000.*\(1 чек/);
    await page.screenshot({ path: screenshotPath('instalment-terminal') });

    // The printer off: F8 shows the copy on screen, with the printer's reason.
    await page.keyboard.press('Escape');
    await page.getByTestId('instalment-row').first().waitFor(WAIT);
    const off = await callFromPage(page, 'training.simulate', { target: 'printer', fault: 'offline' });
    expect(off.ok).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('instalment-result-registered').waitFor(WAIT);
    await page.keyboard.press('F8');
    await page.getByTestId('instalment-copy-screen').waitFor(WAIT);
    expect(plain(await page.getByTestId('instalment-copy-screen').textContent())).toMatch(/Копия не напечатана: .* Данные чека — на экране\./);
    expect(plain(await page.getByTestId('instalment-copy-lines').textContent())).toContain(`Чек VCR: ${vcrId}`);
    await page.screenshot({ path: screenshotPath('instalment-copy-on-screen') });
    expect(problems).toEqual([]);
  });
});
