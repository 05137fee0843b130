import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { plain, WAIT } from './serveApp';

/** The instalment sale of the REGOS demo seed: a TV (3 890 000 sum). */
export const TV_SALE = 'demo-sale-0003';

/**
 * The F7 instalment screen driven by keyboard, in either UI language (issue 24 point 4: Russian and Uzbek):
 * only the heading and the sale's line differ, so they are passed in.
 */
export function instalmentSteps(page: Page, words: { title: string; saleShows: string }) {
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  return {
    focusedId,
    /** Tab to a field as a cashier would (bounded by the form's length), then type into it. */
    async typeInto(id: string, text: string) {
      for (let i = 0; i < 20 && (await focusedId()) !== id; i++) await page.keyboard.press('Tab');
      expect(await focusedId()).toBe(id);
      await page.keyboard.type(text);
    },
    async openSale() {
      await page.keyboard.press('F7');
      await page.getByRole('heading', { name: words.title }).waitFor(WAIT);
      expect(await focusedId()).toBe('instalment-query');
      await page.keyboard.type(TV_SALE);
      await page.keyboard.press('Enter');
      await page.getByTestId('instalment-sale').waitFor(WAIT);
      expect(plain(await page.getByTestId('instalment-sale').textContent())).toContain(words.saleShows);
      expect(await focusedId()).toBe('instalment-amount');
    },
    async confirmAndWait() {
      await page.keyboard.press('Enter');
      await page.getByTestId('instalment-confirm').waitFor(WAIT);
      await page.keyboard.press('Enter');
      await page.getByTestId('instalment-result-registered').waitFor(WAIT);
      return (await page.getByTestId('instalment-vcr-id').textContent()) ?? '';
    },
  };
}
