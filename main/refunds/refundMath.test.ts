import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { partialAmount, priceRefundLines, remainingOf } from './refundableRemainder';
import { splitTenders } from './tenderSplit';
import type { SaleLine, SalePayment } from '../../preload/contract';
import { AppError } from '../appError';

const line = (over: Partial<SaleLine> = {}): SaleLine => ({
  lineId: 'l1', name: 'Молоко 1 л', priceMinor: 8990, quantityMilli: 3000, amountMinor: 26970,
  vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 0, refundedMinor: 0, refundableMilli: 3000, ...over,
});

describe('partial refunds of a line', () => {
  it('never creates or loses a kopeck however a line is split across refunds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }), // sold quantity, thousandths
        fc.integer({ min: 0, max: 10_000_000_000 }), // line total, kopecks (up to 100 million roubles)
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }),
        (sold, amount, weights) => {
          // Cut the sold quantity into random consecutive refunds.
          const totalWeight = weights.reduce((a, b) => a + b, 0);
          const parts: number[] = [];
          let given = 0;
          weights.forEach((w, i) => {
            const q = i === weights.length - 1 ? sold - given : Math.floor((sold * w) / totalWeight);
            if (q > 0) parts.push(q);
            given += q;
          });
          let refunded = { quantityMilli: 0, amountMinor: 0 };
          for (const q of parts) {
            const remaining = remainingOf({ lineId: 'x', quantityMilli: sold, amountMinor: amount }, refunded);
            const a = partialAmount(remaining, q);
            expect(a).toBeGreaterThanOrEqual(0);
            expect(a).toBeLessThanOrEqual(remaining.amountMinor);
            refunded = { quantityMilli: refunded.quantityMilli + q, amountMinor: refunded.amountMinor + a };
          }
          expect(refunded).toEqual({ quantityMilli: sold, amountMinor: amount });
        },
      ),
      { numRuns: 500, seed: 20261128 },
    );
  });

  it('prices one of three at a third, half up', () => {
    expect(partialAmount({ quantityMilli: 3000, amountMinor: 1000 }, 1000)).toBe(333);
    expect(partialAmount({ quantityMilli: 3000, amountMinor: 1000 }, 1500)).toBe(500);
    expect(partialAmount({ quantityMilli: 2000, amountMinor: 1001 }, 1000)).toBe(501);
    expect(partialAmount({ quantityMilli: 1500, amountMinor: 9999 }, 1500)).toBe(9999);
  });

  it('refuses an over-refund with the line name and what is left, in Russian', () => {
    expect(() => priceRefundLines([line({ refundedMilli: 2500, refundedMinor: 22475 })], [{ lineId: 'l1', quantityMilli: 1000 }])).toThrowError(/можно вернуть не больше 0,5/);
    try {
      priceRefundLines([line({ refundedMilli: 3000, refundedMinor: 26970 })], [{ lineId: 'l1', quantityMilli: 1 }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('refund.over_refund');
      expect((e as AppError).message).toContain('уже возвращено полностью');
    }
  });

  it('refuses unknown and duplicated lines', () => {
    expect(() => priceRefundLines([line()], [{ lineId: 'zz', quantityMilli: 1 }])).toThrowError(/нет в этой продаже/);
    expect(() => priceRefundLines([line()], [{ lineId: 'l1', quantityMilli: 1 }, { lineId: 'l1', quantityMilli: 1 }])).toThrowError(/дважды/);
  });

  it('keeps the original line tags on the refund line', () => {
    const [l] = priceRefundLines([line({ paymentMethod: 'prepayment100', vat: 'vat22', itemSign: 'service' })], [{ lineId: 'l1', quantityMilli: 3000 }]);
    expect(l).toMatchObject({ paymentMethod: 'prepayment100', vat: 'vat22', itemSign: 'service', amountMinor: 26970 });
  });
});

const payment = (id: string, kind: SalePayment['kind'], amountMinor: number, refundedMinor = 0): SalePayment =>
  ({ paymentPartId: id, kind, amountMinor, refundedMinor });

describe('tender split', () => {
  it('adds up exactly, never exceeds a part, and sends card money back to the card', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.integer({ min: 1, max: 50_000_000 }), refunded: fc.nat(), kind: fc.constantFrom('cash', 'card', 'prepayment', 'credit') as fc.Arbitrary<SalePayment['kind']> }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (parts, fraction) => {
          const payments = parts.map((p, i) => payment(`p${i}`, p.kind, p.amount, Math.min(p.refunded % (p.amount + 1), p.amount)));
          const available = payments.reduce((s, p) => s + p.amountMinor - p.refundedMinor, 0);
          const total = Math.floor(available * fraction);
          const tenders = splitTenders(payments, total);
          expect(tenders.reduce((s, t) => s + t.amountMinor, 0)).toBe(total);
          for (const t of tenders) {
            const p = payments.find((x) => x.paymentPartId === t.paymentPartId)!;
            expect(t.amountMinor).toBeLessThanOrEqual(p.amountMinor - p.refundedMinor);
            // No 0 ₽ tender: it would print an empty payment line and ask the terminal's RRN for nothing.
            expect(t.amountMinor).toBeGreaterThan(0);
            expect(t.kind).toBe(p.kind);
            expect(t.needsCard).toBe(p.kind === 'card');
          }
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });

  it('splits a half refund of a half-cash, half-card sale evenly', () => {
    const tenders = splitTenders([payment('c', 'cash', 5000), payment('k', 'card', 5000)], 5001);
    expect(tenders.map((t) => t.amountMinor).sort()).toEqual([2500, 2501]);
  });

  it('refuses more than the payments still hold, saying how much they hold', () => {
    expect(() => splitTenders([payment('c', 'cash', 5000, 4000)], 1001)).toThrow(new RangeError('refund 1001 exceeds what the payments still hold (1000)'));
  });

  it('one kopeck back from a cash-and-card sale is one tender; a part refunded whole gets none', () => {
    expect(splitTenders([payment('c', 'cash', 5000), payment('k', 'card', 5000)], 1).map((t) => [t.paymentPartId, t.amountMinor])).toEqual([['c', 1]]);
    expect(splitTenders([payment('c', 'cash', 5000, 5000), payment('k', 'card', 5000)], 300).map((t) => [t.paymentPartId, t.amountMinor])).toEqual([['k', 300]]);
    expect(splitTenders([payment('c', 'cash', 5000)], 0)).toEqual([]);
  });
});
