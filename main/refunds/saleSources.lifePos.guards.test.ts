import { afterEach, describe, expect, it } from 'vitest';
import { rub, saleDeal } from '../../emulators/lifepos/seed';
import type { Deal as EmulatorDeal, Session as EmulatorSession } from '../../emulators/lifepos/schemas';
import { startLifePosEmulator, type LifePosEmulator } from '../../emulators/lifepos/server';
import { LifePosClient } from '../backends/lifepos/lifePosClient';
import type { Deal } from '../backends/lifepos/schemas';
import { caughtAppError } from '../../test/support/caughtAppError';
import { saleCurrency } from './lifePosSale';
import { lifePosSource, MAX_MATCHES, type SaleSource } from './saleSources';
import type { RuFiscalQr } from './search/fiscalQr';

/**
 * What the cashier may refund of a LIFE POS sale (issue 11 point 7, StrykerJS survivors saleSources.ts
 * lifePosSource and lifePosSale.ts), read by the real client from the LIFE POS emulator over HTTP. Seed 000 /
 * BACKENDS.md: a deal's positions are what was sold; its Sale session's payment parts, what was paid;
 * its Reversal sessions (positions by position_guid, payment parts by primary_payment_part, our refund id
 * in external_id), what went back. An archived reversal counts only when it carries a fiscal receipt.
 */
const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY_MS = 86_400_000;
const at = (msBefore: number): string => new Date(NOW - msBefore).toISOString();
const FD = 4711;
const FN = '9999078900001234';

function reversal(guid: string, o: Partial<EmulatorSession>): EmulatorSession {
  return {
    guid, type_of: 'Reversal', created_at: at(3600_000), archived: false, external_id: null,
    total_sum: rub(0), payment_parts: [], positions: [], receipt: null, ...o,
  };
}
const back = (guid: string, primary: 'pp-cash' | 'pp-card' | null, kopecks: number) => {
  const type_of = primary === 'pp-card' ? 'Card' : 'Cash';
  return {
    guid, type_of, amount: rub(kopecks), status: 'Accepted' as const, transactions: [],
    primary_payment_part: primary ? { guid: primary, type_of } : null, primary_sale_session: primary ? { guid: 'sale-big', type_of: 'Sale' } : null,
  };
};
const receipt = (fd: number, fn?: string) => ({
  fiscal_document_number: fd, fiscal_sign: '123456', issued_at: at(DAY_MS), total_sum: rub(30_000), ...(fn ? { fiscal_drive_number: fn } : {}),
});

/**
 * Deal Б-2001: 2 × milk (marked, with a barcode) and one kettle, paid 10 000 in cash and 20 000 by card
 * (RRN 1234…), printed as ФД 4711 on ФН FN. Refunded so far: one milk (alive reversal our-r1, 5 000 cash
 * back), the kettle twice over by two tills (archived our-r2 with a receipt: still money back), and one
 * more milk in a reversal archived before it was printed (our-r3: gave nothing back). Its sale session
 * also holds a Draft part (never paid), and an older archived sale session's part is not a payment.
 */
function bigSale() {
  const { deal, sale } = saleDeal({
    guid: '0b0e0000-0000-4000-8000-000000002001', number: 'Б-2001', createdAt: at(DAY_MS), saleSessionGuid: 'sale-big',
    lines: [
      { guid: 'p-milk', name: 'Молоко 3,2 % 1 л', quantity: 2000, priceKopecks: 5000, totalKopecks: 10_000, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods', barcode: '4607053470016', marking_codes: ['0104607053470016215aB7kQ\u001d93dGVz', '0104607053470016215Xq3Zr\u001d93Zjqw'] },
      { guid: 'p-kettle', name: 'Чайник', quantity: 1000, priceKopecks: 20_000, totalKopecks: 20_000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
    ],
    parts: [{ guid: 'pp-cash', type_of: 'Cash', kopecks: 10_000 }, { guid: 'pp-card', type_of: 'Card', kopecks: 20_000, rrn: '123456789012' }],
  });
  sale.payment_parts.push({ guid: 'pp-draft', type_of: 'Card', amount: rub(700), status: 'Draft', primary_payment_part: null, primary_sale_session: null, transactions: [] });
  const printed: EmulatorSession = { ...sale, receipt: receipt(FD, FN) };
  const oldSale: EmulatorSession = { ...sale, guid: 'sale-old', archived: true, receipt: null, payment_parts: [{ ...back('pp-old', null, 30_000), status: 'Accepted' }] };
  const sessions = [
    printed, oldSale,
    reversal('rev-1', { external_id: 'our-r1', positions: [{ position_guid: 'p-milk', quantity: 1000, total_sum: rub(5000) }], payment_parts: [back('rb-1', 'pp-cash', 5000)] }),
    reversal('rev-2', { external_id: 'our-r2', archived: true, receipt: receipt(4800, FN), positions: [{ position_guid: 'p-kettle', quantity: 1000, total_sum: rub(20_000) }], payment_parts: [back('rb-2', 'pp-card', 20_000)] }),
    // Another till refunded the kettle again without our id, and its money part names no payment.
    reversal('rev-4', { positions: [{ position_guid: 'p-kettle', quantity: 1000, total_sum: rub(20_000) }], payment_parts: [back('rb-4', 'pp-card', 1000), back('rb-5', null, 19_000)] }),
    reversal('rev-3', { external_id: 'our-r3', archived: true, positions: [{ position_guid: 'p-milk', quantity: 1000, total_sum: rub(5000) }], payment_parts: [back('rb-3', 'pp-cash', 5000)] }),
  ];
  return { deal, sessions };
}

/** A one-line cash sale `number` of `kopecks` made `msBefore` NOW, printed as ФД `fd` (on `fn`, if given). */
function small(guid: string, number: string, msBefore: number, kopecks = 1000, fd = 1, fn?: string) {
  const { deal, sale } = saleDeal({
    guid, number, createdAt: at(msBefore), saleSessionGuid: `sale-${guid}`,
    lines: [{ guid: `p-${guid}`, name: 'Хлеб', quantity: 1000, priceKopecks: kopecks, totalKopecks: kopecks, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods' }],
    parts: [{ guid: `pp-${guid}`, type_of: 'Cash', kopecks }],
  });
  return { deal, sessions: [{ ...sale, receipt: receipt(fd, fn) }] as EmulatorSession[] };
}

const emulators: LifePosEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.close();
});

/**
 * The source over the emulator holding `sales`. `beforeCall(n)` runs as the source takes the client for
 * its n-th request (from 1), before the request is made: a test slows LIFE POS down and cancels there.
 */
async function source(sales: { deal: EmulatorDeal; sessions: EmulatorSession[] }[], beforeCall: (n: number, emu: LifePosEmulator) => void = () => undefined) {
  const emu = await startLifePosEmulator({ seed: { deals: sales.map((s) => s.deal), sessions: Object.fromEntries(sales.map((s) => [s.deal.guid, s.sessions])) } });
  emulators.push(emu);
  const client = new LifePosClient({
    baseUrl: emu.url, orgGuid: emu.orgGuid, token: emu.token, clientId: 'refund-cashier-test', clientType: 'App', language: 'ru-RU', timeoutMs: 10_000,
  });
  let calls = 0;
  return lifePosSource(() => {
    calls += 1;
    beforeCall(calls, emu);
    return client;
  }, () => NOW);
}
const signal = () => new AbortController().signal;
const qr = (o: Partial<RuFiscalQr>): RuFiscalQr => ({ kind: 'ruFiscal', dateTime: at(DAY_MS).slice(0, 16), totalMinor: 30_000, fn: FN, fd: String(FD), fp: '123456', operation: 1, ...o });

/** The big sale as the cashier must see it, read whole (deal and every session). */
const bigSaleRead = {
  ref: { source: 'lifepos', id: '0b0e0000-0000-4000-8000-000000002001' },
  number: 'Б-2001', createdAt: at(DAY_MS), currency: 'RUB', totalMinor: 30_000,
  lines: [
    {
      lineId: 'p-milk', name: 'Молоко 3,2 % 1 л', barcode: '4607053470016', priceMinor: 5000, quantityMilli: 2000, amountMinor: 10_000,
      vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods',
      // our-r1 counts, our-r3 (archived, never printed) does not.
      refundedMilli: 1000, refundedMinor: 5000, refundableMilli: 1000,
      marking: { codes: ['0104607053470016215aB7kQ\u001d93dGVz', '0104607053470016215Xq3Zr\u001d93Zjqw'] },
    },
    {
      lineId: 'p-kettle', name: 'Чайник', priceMinor: 20_000, quantityMilli: 1000, amountMinor: 20_000,
      vat: 'vat22', paymentMethod: 'fullPayment', itemSign: 'goods',
      // Refunded twice over on the server: shown as all refunded, nothing left, never a negative remainder.
      refundedMilli: 1000, refundedMinor: 20_000, refundableMilli: 0,
    },
  ],
  payments: [
    { paymentPartId: 'pp-cash', saleSessionId: 'sale-big', kind: 'cash', typeOf: 'Cash', amountMinor: 10_000, refundedMinor: 5000 },
    // 20 000 (archived our-r2, printed) + 1 000 (the other till's reversal): each part counted, summed.
    { paymentPartId: 'pp-card', saleSessionId: 'sale-big', kind: 'card', typeOf: 'Card', amountMinor: 20_000, refundedMinor: 21_000, rrn: '123456789012' },
  ],
};

describe('a LIFE POS sale as the cashier sees it (issue 11 point 7, StrykerJS survivors saleSources.ts and lifePosSale.ts)', () => {
  it('get reads the deal and every session: what was sold, paid and already refunded, and our refunds the server knows', async () => {
    const src = await source([bigSale()]);
    expect(src.name).toBe('lifepos');
    const got = await src.get('0b0e0000-0000-4000-8000-000000002001', signal());
    expect(got?.sale).toStrictEqual(bigSaleRead);
    expect([...(got?.knownToServer ?? [])].sort()).toEqual(['our-r1', 'our-r2']);
  });

  it('find by the deal guid, or by the only number that matches, reads the sale whole', async () => {
    const src = await source([bigSale(), small('0b0e0000-0000-4000-8000-000000000002', 'Б-2002', 3600_000)]);
    for (const query of ['0b0e0000-0000-4000-8000-000000002001', 'Б-2001']) {
      const found = await src.find(query, signal());
      expect(found.map((f) => f.sale)).toStrictEqual([bigSaleRead]);
      expect([...(found[0]?.knownToServer ?? [])].sort()).toEqual(['our-r1', 'our-r2']);
    }
  });

  it('digits naming several deals give a short pick list (sessions not read), only deals of the last 30 days', async () => {
    const letters = 'АБВГДЕЖИКЛМН';
    const sales = [...letters].map((l, i) => small(`0b0e0000-0000-4000-8000-0000000050${String(i).padStart(2, '0')}`, `${l}-5000`, (i + 1) * 3600_000));
    const src = await source([...sales, small('0b0e0000-0000-4000-8000-000000006000', 'Я-6000', 31 * DAY_MS), small('0b0e0000-0000-4000-8000-000000006001', 'Ю-6000', 29 * DAY_MS)]);
    const many = await src.find('5000', signal());
    expect(many).toHaveLength(MAX_MATCHES);
    expect(many.every((m) => m.knownToServer.size === 0 && m.sale.payments.length === 0 && m.sale.lines[0]?.refundableMilli === 1000)).toBe(true);
    // Only Ю-6000 (29 days old) is in the store's return period; Я-6000 (31 days) is not looked for.
    expect((await src.find('6000', signal())).map((f) => f.sale.number)).toEqual(['Ю-6000']);
    expect(await src.find('7000', signal())).toEqual([]);
  });

  it('a receipt QR finds the deal of its day, total, ФД and ФН, with what the server already refunded', async () => {
    const day = at(DAY_MS).slice(0, 10);
    const src = await source([
      bigSale(),
      // Same day and total, another ФД; same ФД on another ФН; same ФД and total a day later.
      small('0b0e0000-0000-4000-8000-000000000003', 'Б-2003', DAY_MS - 60_000, 30_000, FD + 1, FN),
      small('0b0e0000-0000-4000-8000-000000000004', 'Б-2004', DAY_MS - 120_000, 30_000, FD, '9999078900009999'),
      small('0b0e0000-0000-4000-8000-000000000006', 'Б-2006', DAY_MS - 180_000, 29_999, FD, FN),
    ]);
    const found = await src.byFiscalQr(qr({}), signal());
    expect(found.map((f) => f.sale)).toStrictEqual([bigSaleRead]);
    expect([...(found[0]?.knownToServer ?? [])].sort()).toEqual(['our-r1', 'our-r2']);
    expect(await src.byFiscalQr(qr({ fd: String(FD + 2) }), signal())).toEqual([]);
    expect(await src.byFiscalQr({ kind: 'regos', url: 'https://ofd.soliq.uz/check?t=UZ1&r=1&c=1&s=1', terminalId: 'UZ1', receiptNo: '1', fiscalSign: '1' }, signal())).toEqual([]);
    expect(day).toBe(qr({}).dateTime.slice(0, 10));
  });

  it('a receipt QR finds a deal whose receipt names no ФН by its ФД; a refund receipt with that ФД is not the sale', async () => {
    const noFn = small('0b0e0000-0000-4000-8000-000000000007', 'Б-2007', DAY_MS, 1000, 77);
    const refundOnly = small('0b0e0000-0000-4000-8000-000000000008', 'Б-2008', DAY_MS, 1000, 1);
    refundOnly.sessions.push(reversal('rev-8', { receipt: receipt(78, FN) }));
    const src = await source([noFn, refundOnly]);
    expect((await src.byFiscalQr(qr({ totalMinor: 1000, fd: '77' }), signal())).map((f) => f.sale.number)).toEqual(['Б-2007']);
    expect(await src.byFiscalQr(qr({ totalMinor: 1000, fd: '78' }), signal())).toEqual([]);
  });

  it('the recent-sales list shows the day\'s deals only, without reading their sessions', async () => {
    const src = await source([bigSale(), small('0b0e0000-0000-4000-8000-000000000009', 'Б-2009', 3 * DAY_MS)]);
    const day = await src.onDay(at(DAY_MS).slice(0, 10), signal());
    expect(day.map((d) => [d.sale.number, d.sale.payments.length, d.knownToServer.size, d.sale.lines.map((l) => l.refundableMilli)])).toEqual([['Б-2001', 0, 0, [2000, 1000]]]);
  });
});

describe('a search the cashier cancels while LIFE POS is slow (issue 11 point 7, StrykerJS survivors saleSources.ts: the abort signal reaches every request)', () => {
  const SLOW_MS = 8000;
  const guid = '0b0e0000-0000-4000-8000-000000002001';
  const cases: [string, (src: SaleSource, signal: AbortSignal) => Promise<unknown>][] = [
    ['get', (src, s) => src.get(guid, s)],
    ['find by number', (src, s) => src.find('Б-2001', s)],
    ['find by receipt QR', (src, s) => src.byFiscalQr(qr({}), s)],
    ['the day\'s list', (src, s) => src.onDay(at(DAY_MS).slice(0, 10), s)],
  ];
  // Request n of each lookup: get reads the deal (1), then its sessions (2); find lists deals (1), then reads
  // the one found whole (2, 3); the QR lists the day's deals (1), then the sessions of one with its total (2).
  const steps: [string, number][] = [['get', 1], ['get', 2], ['find by number', 1], ['find by number', 2], ['find by number', 3], ['find by receipt QR', 1], ['find by receipt QR', 2], ['the day\'s list', 1]];
  it.each(steps)('%s, cancelled at request %i, ends at once, without waiting for the answer', async (name, request) => {
    const controller = new AbortController();
    const src = await source([bigSale()], (n, emu) => {
      if (n !== request) return;
      emu.faults.setLatency(SLOW_MS);
      controller.abort();
    });
    const started = Date.now();
    const lookup = cases.find(([c]) => c === name)?.[1];
    await expect(lookup?.(src, controller.signal)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(SLOW_MS / 2);
  });
});

describe('a deal in a currency this till does not refund in (BACKENDS.md: "amount {value, currency}")', () => {
  const deal = (currency: string, lineCurrency: string): Deal => ({
    guid: 'd1', number: 'А-1', created_at: at(0), state: 'Completed', payment_status: 'Paid', shipping_status: 'Shipped',
    total_sum: { value: 100, currency },
    positions: [{ guid: 'p1', name: 'Товар', quantity: 1000, sale_price: { value: 100, currency: lineCurrency }, total_sum: { value: 100, currency: lineCurrency }, tax: 'vat12', payment_method: 'fullPayment', item_sign: 'goods' }],
  });

  it('names the sale and its currencies to the cashier, and is never retried', () => {
    const mixed = caughtAppError(() => saleCurrency(deal('RUB', 'UZS')));
    expect(mixed.message).toBe('Продажа А-1 в валюте RUB, UZS: такой возврат касса не оформляет. Оформите его в LIFE POS.');
    expect(mixed.retry).toBe('permanent');
    expect(caughtAppError(() => saleCurrency(deal('USD', 'USD'))).message).toContain('в валюте USD:');
  });
});
