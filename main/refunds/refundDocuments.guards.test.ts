import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isAppError } from '../appError';
import type { FiscalDocumentView, RefundLine, RefundTender, Sale } from '../../preload/contract';
import { fiscalPositions, lifePosReceiptData, lifePosReversal, receiptCopyLines, regosRefundParams } from './refundDocuments';

/**
 * What each party is told about a refund, field by field (issue 11 point 7): the printer's positions, the
 * LIFE POS reversal session and its receipt data (seed 000), REGOS Receipt.Refund (seed 002), the copy.
 */
const line = (over: Partial<RefundLine> = {}): RefundLine => ({
  lineId: 'c:0', name: 'Сыр', quantityMilli: 1000, amountMinor: 900_000, vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods', ...over,
});
const tender = (kind: RefundTender['kind'], amountMinor: number): RefundTender => ({ paymentPartId: 'c:pay0', kind, amountMinor, needsCard: kind === 'card' });
const saleLine = (l: RefundLine, extra: NonNullable<Sale['lines'][number]['extra']>, barcode?: string): Sale['lines'][number] => ({
  ...l, priceMinor: l.amountMinor, refundedMilli: 0, refundedMinor: 0, refundableMilli: l.quantityMilli, extra, ...(barcode ? { barcode } : {}),
});
const regosSale = (lines: Sale['lines'], fiscal?: Sale['fiscal']): Sale => ({
  ref: { source: 'regos', id: 'c' }, number: '187', createdAt: '2022-07-18T14:35:04', currency: 'UZS', totalMinor: 900_000, lines,
  payments: [{ paymentPartId: 'c:pay0', kind: 'cash', amountMinor: 900_000, refundedMinor: 0 }], remainderFromLocalOnly: false,
  ...(fiscal ? { fiscal } : {}),
});
const regos = (lines: RefundLine[], sale: Sale, tenders = [tender('cash', 900_000)]) => regosRefundParams({ id: 'r1', lines, tenders }, sale, 'Кассир', 'ratePercentTimes100');
const thrown = (f: () => unknown): unknown => {
  try { f(); } catch (e) { return e; }
  throw new Error('expected a refusal');
};

describe('printer positions (PROTOCOL.md §FF46)', () => {
  it('a line of whole units is printed with no empty position: every position has a quantity', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 5_000_000 }), (units, amountMinor) => {
      for (const p of fiscalPositions(line({ quantityMilli: units * 1000, amountMinor, vat: 'vat20' }))) expect(p.quantityMilli).toBeGreaterThan(0);
    }), { numRuns: 3000, seed: 11 });
  });

  it('a weighed line is one position with its weighed quantity, even when no price is within a kopeck (3,5 kg for 0,02)', () => {
    // 0,01 ₽/kg × 3,5 = 0,035: misses by 1,5 kopecks, yet a weighed quantity cannot be split into whole units.
    expect(fiscalPositions(line({ quantityMilli: 3500, amountMinor: 2, vat: 'vat20' })))
      .toEqual([expect.objectContaining({ priceMinor: 1, quantityMilli: 3500, amountMinor: 2 })]);
  });
});

describe('LIFE POS (seed 000)', () => {
  const sale = { currency: 'RUB', payments: [{ paymentPartId: 'pp1', saleSessionId: 's1', kind: 'cash', typeOf: 'Cash', amountMinor: 700, refundedMinor: 0 }] } as unknown as Sale;

  it('each reversal payment part carries the money it returns, in the sale\'s currency', () => {
    const body = lifePosReversal({ id: 'r1', lines: [line({ lineId: 'l1', amountMinor: 700 })], tenders: [{ paymentPartId: 'pp1', kind: 'cash', amountMinor: 700, needsCard: false }] }, sale);
    expect(body.payment_parts).toEqual([expect.objectContaining({ amount: { value: 700, currency: 'RUB' } })]);
  });

  const fd = (number: number): FiscalDocumentView => ({ number, fiscalSign: `fp${number}`, dateTime: '2026-11-28T15:00' });

  it('receipt data of one receipt: its fields and the refund\'s total, no receipts list', () => {
    expect(lifePosReceiptData([{ fiscal: fd(7), totalMinor: 1_250 }], 'RUB')).toStrictEqual({
      fiscal_document_number: 7, fiscal_sign: 'fp7', issued_at: '2026-11-28T15:00', total_sum: { value: 1_250, currency: 'RUB' },
    });
  });

  it('receipt data of several receipts: the first one\'s fields with the refund\'s total, and each receipt with its own', () => {
    const data = lifePosReceiptData([{ fiscal: fd(7), totalMinor: 1_000 }, { fiscal: fd(8), totalMinor: 250 }], 'RUB');
    expect(data).toMatchObject({ fiscal_document_number: 7, total_sum: { value: 1_250, currency: 'RUB' } });
    expect(data.receipts).toEqual([
      expect.objectContaining({ fiscal_document_number: 7, total_sum: { value: 1_000, currency: 'RUB' } }),
      expect.objectContaining({ fiscal_document_number: 8, total_sum: { value: 250, currency: 'RUB' } }),
    ]);
  });

  it('a refund without a printed receipt has no receipt data: refused, with the reason', () => {
    expect(() => lifePosReceiptData([], 'RUB')).toThrowError(new RangeError('a refund without a printed receipt has no receipt data'));
  });
});

describe('REGOS Receipt.Refund (seed 002)', () => {
  it('echoes each refunded line\'s own sale fields, not another line\'s', () => {
    const first = line({ lineId: 'c:0', name: 'Сыр' });
    const second = line({ lineId: 'c:1', name: 'Хлеб' });
    const sale = regosSale([saleLine(first, { code: '111', unit_name: 'кг' }, '4600000000001'), saleLine(second, { code: '222', unit_name: 'шт' }, '4600000000002')]);
    expect(regos([second], sale).positions).toEqual([expect.objectContaining({ name: 'Хлеб', code: '222', barcode: '4600000000002', unit_name: 'шт' })]);
  });

  it('sends null for a sale field that is empty or not text, never "" or a number', () => {
    const l = line();
    const p = regos([l], regosSale([saleLine(l, { code: '', icps: 2202002001, package_code: null, unit_name: 'шт' })])).positions[0];
    expect(p).toMatchObject({ code: null, icps: null, package_code: null, unit_name: 'шт', barcode: null });
  });

  it('a line the sale no longer lists goes with null sale fields', () => {
    const p = regos([line({ lineId: 'c:9' })], regosSale([])).positions[0];
    expect(p).toMatchObject({ code: null, barcode: null, icps: null, package_code: null, unit_name: null });
  });

  it('refuses a VAT rate REGOS has no rate for, with its error code', () => {
    const e = thrown(() => regos([line({ vat: 'vat20' })], regosSale([])));
    expect(isAppError(e) && e.code).toBe('refund.regos_vat');
  });

  it('refuses money REGOS takes no refund for (СБП) for good: the cashier is told to do it in REGOS by hand', () => {
    const l = line();
    const e = thrown(() => regos([l], regosSale([saleLine(l, {})]), [tender('sbp', 900_000)]));
    expect(isAppError(e) && { code: e.code, retry: e.retry, message: e.message }).toEqual({
      code: 'refund.regos_tender', retry: 'permanent', message: expect.stringContaining('Оформите этот возврат в REGOS вручную'),
    });
  });

  it('refund_info carries the sale\'s date and terminal when they are all it has', () => {
    const l = line();
    expect(regos([l], regosSale([saleLine(l, {})], { dateTime: '2022-07-18 14:35:04', terminalId: 'UZ191211502238' })).refund_info)
      .toStrictEqual({ DateTime: '2022-07-18 14:35:04', TerminalID: 'UZ191211502238' });
  });
});

describe('the customer\'s copy of a refund receipt', () => {
  it('is titled as a copy and shows the document\'s date and time with a space', () => {
    const lines = receiptCopyLines({ id: 'r', totalMinor: 100, tenders: [], lines: [] }, { number: 7, fiscalSign: '123', dateTime: '2026-11-28T15:00' });
    expect(lines.slice(0, 3)).toEqual(['КОПИЯ ЧЕКА ВОЗВРАТА ПРИХОДА', 'ФД № 7  ФП 123', '2026-11-28 15:00']);
  });
});
