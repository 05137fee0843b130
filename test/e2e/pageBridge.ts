import type { Page } from 'playwright-core';
import type { CallInput, CallName, CallResult } from '../../preload/contract';

/** The page's own bridge token, as the renderer reads it (same origin, from the served index.html). */
export const pageToken = (page: Page): Promise<string> =>
  page.evaluate(() => document.querySelector<HTMLMetaElement>('meta[name="cashier-token"]')?.content ?? '');

/**
 * A contract call made from inside the page, the way the renderer makes it: for a trainer's switch
 * (training.simulate) and for asking the server what the screen claims, without a second client.
 */
export function callFromPage<K extends CallName>(page: Page, name: K, input: CallInput<K>): Promise<CallResult<K>> {
  return page.evaluate(async ({ name, input }) => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="cashier-token"]')?.content ?? '';
    const res = await fetch(`/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cashier-token': token }, body: JSON.stringify(input) });
    return res.json();
  }, { name, input }) as Promise<CallResult<K>>;
}
