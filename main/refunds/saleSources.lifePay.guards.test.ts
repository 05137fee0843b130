import { afterEach, describe, expect, it } from 'vitest';
import { startLifePayEmulator, type LifePayEmulator, type StoredTransaction } from '../../emulators/lifepay/server';
import { LifePayClient } from '../backends/lifepay/lifePayClient';
import { cloudExtId } from './lifePayCloud';
import { lifePaySource, MAX_MATCHES, tenderKindOfLifePayMethod } from './saleSources';
import type { RuFiscalQr } from './search/fiscalQr';

/**
 * What the cashier may refund of a LIFE PAY payment (issue 11 point 7, StrykerJS survivors saleSources.ts
 * saleFromTransaction and lifePaySource), read by the real client from the LIFE PAY emulator over HTTP.
 * Seed 001: the transaction list ("за определенную дату", type payment/refund, method, rrn, ext_id,
 * purchase.products with tag 1214 `type` and tag 1212 `item_type`); a cloud refund names its payment in
 * ext_id (lifePayCloud.ts).
 */
const NOW = Date.parse('2026-12-01T12:00:00Z');
const TODAY = '2026-12-01';
const product = { name: 'Крем для рук', price: 10_000, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 };
const pay = (uuid: string, o: Partial<StoredTransaction> = {}): StoredTransaction => ({
  uuid, number: uuid.toUpperCase(), type: 'payment', status: 'success', created: `${TODAY} 10:00:00`, amount: 10_000, method: 'cash',
  employee: null, rrn: null, ext_id: null, purchase: { products: [product] }, ...o,
});

const emulators: LifePayEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.close();
});

async function source(transactions: StoredTransaction[]) {
  const emu = await startLifePayEmulator({ seed: { transactions } });
  emulators.push(emu);
  const client = new LifePayClient({ baseUrl: emu.url, login: emu.login, apiKey: emu.apiKey, timeoutMs: 5000 });
  return lifePaySource(() => client, () => NOW);
}
const signal = () => new AbortController().signal;
const qr = (totalMinor: number, date = TODAY): RuFiscalQr => ({ kind: 'ruFiscal', dateTime: `${date}T10:00`, totalMinor, fn: '9999078900001234', fd: '1', fp: '1', operation: 1 });

describe('a LIFE PAY payment as the cashier sees it (issue 11 point 7, StrykerJS survivors saleSources.ts)', () => {
  it('reads each product\'s payment method and item sign by their 54-ФЗ codes; a code it does not know is a full payment of goods', async () => {
    const src = await source([pay('lp-1', {
      method: 'card', rrn: '512345678901', amount: 40_000,
      purchase: { products: [
        { ...product, name: 'Предоплата за шкаф', type: 1, item_type: 10 },
        { ...product, name: 'Стрижка', type: 4, item_type: 4 },
        { name: 'Без признаков', price: 10_000, quantity: 1000, tax: 'vat22' },
        { ...product, name: 'Оплата кредита, признак 99', type: 7, item_type: 99 },
      ] },
    })]);
    const sale = await src.get('lp-1', signal());
    expect(sale?.sale.lines.map((l) => [l.name, l.paymentMethod, l.itemSign])).toEqual([
      ['Предоплата за шкаф', 'prepayment100', 'payment'],
      ['Стрижка', 'fullPayment', 'service'],
      ['Без признаков', 'fullPayment', 'goods'],
      ['Оплата кредита, признак 99', 'creditPayment', 'goods'],
    ]);
    // The acquiring RRN of the sale stays on its payment: the refund by card needs it.
    expect(sale?.sale.payments).toEqual([{ paymentPartId: 'lp-1', kind: 'card', amountMinor: 40_000, refundedMinor: 0, rrn: '512345678901' }]);
  });

  it('a product worth under half a kopeck takes none of the money paid: the kopecks go to the lines that cost them', async () => {
    // 0.001 × 0.01 ₽ lists as 0 kopecks; 1 × 10.00 ₽ as 1000.
    const src = await source([pay('lp-2', { amount: 1000, purchase: { products: [{ ...product, price: 1, quantity: 1 }, { ...product, price: 1000, quantity: 1000 }] } })]);
    expect((await src.get('lp-2', signal()))?.sale.lines.map((l) => l.amountMinor)).toEqual([0, 1000]);
  });

  it('find answers payments only, by uuid, RRN or receipt number, from today\'s list; refunds, empty purchases and yesterday are not sales to refund', async () => {
    const src = await source([
      pay('lp-a', { rrn: '512345678901', method: 'card' }),
      pay('lp-b', { number: undefined }),
      pay('lp-c', { number: 'LP-C', purchase: null }),
      pay('lp-d', { number: 'LP-D', purchase: { products: [] } }),
      pay('lp-e', { number: 'LP-E', type: 'refund' }),
      pay('lp-y', { number: 'LP-Y', created: '2026-11-30 23:59:59' }),
    ]);
    const numbers = async (query: string) => (await src.find(query, signal())).map((f) => f.sale.ref.id);
    expect(await numbers('lp-b')).toEqual(['lp-b']);
    expect(await numbers('512345678901')).toEqual(['lp-a']);
    expect(await numbers('LP-A')).toEqual(['lp-a']);
    for (const absent of ['LP-C', 'LP-D', 'LP-E', 'LP-Y', 'lp-y']) expect(await numbers(absent)).toEqual([]);
    expect(await src.get('lp-y', signal())).toBeNull();
    expect(await src.get('lp-e', signal())).toBeNull();
    expect((await src.get('lp-b', signal()))?.sale.number).toBe('lp-b');
  });

  it('digits naming many payments give a pick list of at most MAX_MATCHES', async () => {
    const src = await source(Array.from({ length: MAX_MATCHES + 2 }, (_, i) => pay(`lp-${i}`, { number: `${'ABCDEFGHIJKLMN'[i] ?? ''}-7000` })));
    expect(await src.find('7000', signal())).toHaveLength(MAX_MATCHES);
  });

  it('a receipt QR finds the payments of its day and total, at most MAX_MATCHES, with the cloud refunds already made on them', async () => {
    const src = await source([
      pay('lp-q1'),
      pay('lp-q2', { amount: 9_999, purchase: { products: [{ ...product, price: 9_999 }] } }),
      pay('lp-q3', { created: '2026-11-30 10:00:00' }),
      { ...pay('lp-r1', { type: 'refund', number: 'R1', created: `${TODAY} 11:00:00` }), ext_id: cloudExtId('lp-q1', 'our-r9') },
      ...Array.from({ length: MAX_MATCHES + 1 }, (_, i) => pay(`lp-z${i}`, { created: '2026-11-29 10:00:00', amount: 5000, purchase: { products: [{ ...product, price: 5000 }] } })),
    ]);
    const found = await src.byFiscalQr(qr(10_000), signal());
    expect(found.map((f) => f.sale.ref.id)).toEqual(['lp-q1']);
    expect([...(found[0]?.knownToServer ?? [])]).toEqual(['our-r9']);
    expect(found[0]?.sale.lines[0]?.refundableMilli).toBe(0);
    expect(await src.byFiscalQr(qr(10_000, '2026-11-28'), signal())).toEqual([]);
    expect(await src.byFiscalQr(qr(5000, '2026-11-29'), signal())).toHaveLength(MAX_MATCHES);
    // A REGOS receipt QR (Uzbekistan) names no LIFE PAY payment.
    expect(await src.byFiscalQr({ kind: 'regos', url: 'https://ofd.soliq.uz/check?t=UZ1&r=1&c=1&s=1', terminalId: 'UZ1', receiptNo: '1', fiscalSign: '1' }, signal())).toEqual([]);
  });

  it('the recent-sales list shows that day\'s payments only', async () => {
    const src = await source([pay('lp-d1', { created: '2026-11-29 10:00:00' }), pay('lp-d2', { created: '2026-11-30 10:00:00' }), pay('lp-d3', { created: '2026-11-30 11:00:00', type: 'refund' })]);
    expect((await src.onDay('2026-11-30', signal())).map((d) => [d.sale.ref.id, d.sale.totalMinor])).toEqual([['lp-d2', 10_000]]);
  });
});

describe('a LIFE PAY transaction\'s method as a tender kind (seed 001 names no values; the emulator and public integrations use "cash" and "card")', () => {
  it('cash, card, СБП and payment links by name in any case; anything else is a card refund only with an acquiring RRN', () => {
    expect(['CASH', 'Card', 'sbp', 'link', 'invoice'].map((m) => tenderKindOfLifePayMethod(m, null))).toEqual(['cash', 'card', 'sbp', 'link', 'link']);
    expect(tenderKindOfLifePayMethod('qr', '512345678901')).toBe('card');
    expect(tenderKindOfLifePayMethod('qr', undefined)).toBe('transfer');
  });
});
