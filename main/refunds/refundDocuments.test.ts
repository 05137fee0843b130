import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkReceipt, parseReceipt } from '../fiscal/receipt';
import { FACTORY_GROUP } from '../fiscal/taxGroups';
import type { RefundLine, RefundTender, Sale } from '../../preload/contract';
import { fiscalRefundReceipt, lifePosReversal, receiptCopyLines } from './refundDocuments';
import { refundIdOfJobKey, jobKey } from './lifePosJobs';

const line = (over: Partial<RefundLine> = {}): RefundLine => ({
  lineId: 'l1', name: 'Батарейки AA', quantityMilli: 5000, amountMinor: 10_002, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods', ...over,
});
const cash = (amountMinor: number): RefundTender => ({ paymentPartId: 'p1', kind: 'cash', amountMinor, needsCard: false });

/** What the driver checks before a receipt reaches the device (price × quantity within ±1 kopeck, tenders = total). */
const printable = (lines: RefundLine[], tenders: RefundTender[]) => checkReceipt(parseReceipt(fiscalRefundReceipt({ id: 'r1', lines, tenders }, 'Кассир')), { groups: FACTORY_GROUP, refused: {} });

describe('the fiscal refund receipt', () => {
  it('prints a discounted line of several units (5 pcs for 100.02 ₽) with its exact sum and quantity', () => {
    const r = fiscalRefundReceipt({ id: 'r1', lines: [line()], tenders: [cash(10_002)] }, 'Кассир');
    expect(r.positions.reduce((s, p) => s + p.amountMinor, 0)).toBe(10_002);
    expect(r.positions.reduce((s, p) => s + p.quantityMilli, 0)).toBe(5000);
    expect(printable([line()], [cash(10_002)]).totalMinor).toBe(10_002);
  });

  it('is accepted by the driver for any line a refund can produce: whole units, weighed goods, partial sums', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 50 }).map((u) => u * 1000), fc.integer({ min: 1, max: 2000 })),
        fc.integer({ min: 1, max: 5_000_000 }),
        (quantityMilli, amountMinor) => {
          const l = line({ quantityMilli, amountMinor });
          expect(printable([l], [cash(amountMinor)]).totalMinor).toBe(amountMinor);
          const r = fiscalRefundReceipt({ id: 'r1', lines: [l], tenders: [cash(amountMinor)] }, 'Кассир');
          expect(r.positions.reduce((s, p) => s + p.quantityMilli, 0)).toBe(quantityMilli);
          for (const p of r.positions) expect(p).toMatchObject({ vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods', name: 'Батарейки AA' });
        },
      ),
      { numRuns: 2000, seed: 6 },
    );
  });

  it('sends card money as electronic and keeps the original tags', () => {
    const r = fiscalRefundReceipt({
      id: 'r1',
      lines: [line({ quantityMilli: 1000, amountMinor: 4_500_000, paymentMethod: 'prepayment100', itemSign: 'payment', vat: 'vat120' })],
      tenders: [cash(500_000), { paymentPartId: 'k', kind: 'card', amountMinor: 4_000_000, needsCard: true, rrn: '1' }],
    }, 'Кассир');
    expect(r.tenders).toEqual({ cashMinor: 500_000, electronicMinor: 4_000_000, prepaymentMinor: 0, creditMinor: 0 });
    expect(r.positions[0]).toMatchObject({ paymentMethod: 'prepayment100', itemSign: 'payment', vat: 'vat120' });
    expect(r.operation).toBe('refundOfIncome');
  });
});

describe('the LIFE POS reversal session', () => {
  const sale = { currency: 'RUB', payments: [{ paymentPartId: 'pp1', saleSessionId: 's1', kind: 'card', typeOf: 'Card', amountMinor: 100, refundedMinor: 0 }] } as unknown as Sale;

  it('points every part at the sale session part it returns, with the RRN of a card part', () => {
    const body = lifePosReversal({ id: 'r1', lines: [line({ amountMinor: 100, quantityMilli: 1000 })], tenders: [{ paymentPartId: 'pp1', kind: 'card', amountMinor: 100, needsCard: true, rrn: '123' }] }, sale);
    expect(body).toMatchObject({
      external_id: 'r1',
      positions: [{ position_guid: 'l1', quantity: 1000, total_sum: { value: 100, currency: 'RUB' } }],
      payment_parts: [{ type_of: 'Card', primary_payment_part: { guid: 'pp1', type_of: 'Card' }, primary_sale_session: { guid: 's1', type_of: 'Sale' }, transactions: [{ rrn: '123' }] }],
    });
  });

  it('refuses a tender that points at no payment of the sale', () => {
    expect(() => lifePosReversal({ id: 'r1', lines: [], tenders: [cash(1)] }, sale)).toThrowError(/Не найдена оплата/);
  });
});

describe('job keys', () => {
  it('name the refund they belong to', () => {
    expect(refundIdOfJobKey(jobKey('abc-1', 'receipt'))).toBe('abc-1');
    expect(refundIdOfJobKey('other:thing')).toBeUndefined();
  });
});

describe('receipt copy', () => {
  it('prints money and quantities from integers exactly', () => {
    const lines = receiptCopyLines(
      { id: 'r', totalMinor: 900719925474099, tenders: [], lines: [{ lineId: 'a', name: 'Яблоки', quantityMilli: 1254, amountMinor: 16289, vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods' }] },
      { number: 7, fiscalSign: '123', dateTime: '2026-11-28T15:00' },
    );
    expect(lines).toContain('Яблоки  1,254 = 162,89');
    expect(lines.at(-1)).toBe('ИТОГ 9007199254740,99');
    expect(lines[1]).toBe('ФД № 7  ФП 123');
  });
});
