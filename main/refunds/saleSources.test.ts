import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Deal } from '../backends/lifepos/schemas';
import type { LifePayTransaction } from '../backends/lifepay/schemas';
import { isAppError } from '../appError';
import { apportion } from './apportion';
import { saleCurrency, saleFromDeal, serverRefunds } from './lifePosSale';
import { saleFromTransaction } from './saleSources';
import { priceRefundLines } from './refundableRemainder';

const tx = (amount: number, products: { price: number; quantity: number }[]): LifePayTransaction => ({
  uuid: 'u1', number: '1', type: 'payment', status: 'success', created: '2026-12-01 10:00:00', amount, method: 'cash',
  purchase: { products: products.map((p, i) => ({ name: `Товар ${i + 1}`, tax: 'vat22', type: 4, item_type: 1, ...p })) },
});

describe('apportion (Hamilton, to the minor unit)', () => {
  it('always adds up to the total and never gives a share more than its weight when the total fits', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 20 }), fc.nat(), (weights, seed) => {
      const sum = weights.reduce((s, w) => s + w, 0);
      const total = sum === 0 ? 0 : seed % (sum + 1);
      const shares = apportion(total, weights);
      expect(shares.reduce((s, x) => s + x, 0)).toBe(total);
      shares.forEach((x, i) => expect(x).toBeLessThanOrEqual(weights[i] ?? 0));
    }), { numRuns: 500, seed: 12 });
  });

  it('gives the units left by rounding to the largest remainders, the earlier entry first on a tie; all weights zero gives nothing (issue 11 point 7)', () => {
    // 10 over 3 equal weights: 3 each, one left, to the first; 2 left over 4 equal weights: the first two.
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(2, [5, 5, 5, 5])).toEqual([1, 1, 0, 0]);
    // Remainders 3/7, 1/7, 3/7 of 7: the tie of the largest goes to the first of them, then the second.
    expect(apportion(7 + 2, [3, 1, 3])).toEqual([4, 1, 4]);
    expect(apportion(1, [1, 2, 1])).toEqual([0, 1, 0]);
    expect(apportion(1, [1, 1, 2])).toEqual([0, 0, 1]);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });
});

describe('a LIFE PAY transaction as a sale', () => {
  it('spreads a discount over the lines to the kopeck: the lines add up to the amount paid', () => {
    // Emulator demo 30454: 3 × 333.33 + 150.00 = 1 149.99 ₽ listed, 1 034.99 ₽ paid.
    const { sale } = saleFromTransaction(tx(103_499, [{ price: 33_333, quantity: 3000 }, { price: 15_000, quantity: 1000 }]));
    expect(sale.lines.map((l) => l.amountMinor)).toEqual([89_999, 13_500]);
    expect(sale.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(sale.totalMinor);
  });

  it('for any discount, refunding every line gives back exactly what was paid', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ price: fc.integer({ min: 1, max: 1_000_000 }), quantity: fc.integer({ min: 1, max: 20_000 }) }), { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 0, max: 100 }),
      (products, percentOff) => {
        const listed = products.reduce((s, p) => s + Math.floor((p.price * p.quantity * 2 + 1000) / 2000), 0);
        const paid = Math.floor((listed * (100 - percentOff)) / 100);
        const { sale } = saleFromTransaction(tx(paid, products));
        expect(sale.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(paid);
        expect(sale.payments.reduce((s, p) => s + p.amountMinor, 0)).toBe(paid);
      },
    ), { numRuns: 300, seed: 7 });
  });
});

describe('a LIFE POS deal keeps its currency', () => {
  const deal = (currency: string, lineCurrency = currency): Deal => ({
    guid: 'd1', number: 'А-1', created_at: '2026-12-01T10:00:00Z', state: 'Completed', payment_status: 'Paid', shipping_status: 'Shipped',
    total_sum: { value: 100, currency },
    positions: [{ guid: 'p1', name: 'Товар', quantity: 1000, sale_price: { value: 100, currency: lineCurrency }, total_sum: { value: 100, currency: lineCurrency }, tax: 'vat12', payment_method: 'fullPayment', item_sign: 'goods' }],
  });

  it('a deal in sum stays in sum (no forced RUB)', () => {
    expect(saleFromDeal(deal('UZS'), [], serverRefunds([])).currency).toBe('UZS');
    expect(saleCurrency(deal('RUB'))).toBe('RUB');
  });

  it('a currency the till does not refund in, or amounts that disagree, are refused in words', () => {
    for (const d of [deal('USD'), deal('RUB', 'UZS')]) {
      let error: unknown;
      try {
        saleCurrency(d);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error) && error.code === 'sale.currency' && error.message.includes('касса не оформляет')).toBe(true);
    }
  });
});

describe('a sale line without a VAT rate (issue 25)', () => {
  it('keeps no rate rather than guessing "без НДС", and its refund is refused in Russian while the other lines refund at their own rate', () => {
    const t = tx(30_000, [{ price: 10_000, quantity: 1000 }, { price: 20_000, quantity: 1000 }]);
    const [first, second] = t.purchase?.products ?? [];
    if (!first || !second) throw new Error('fixture');
    delete first.tax;
    second.tax = 'vat20';
    const { sale } = saleFromTransaction(t);
    expect(sale.lines.map((l) => l.vat)).toEqual([null, 'vat20']);
    expect(() => priceRefundLines(sale.lines, [{ lineId: 'u1:0', quantityMilli: 1000 }])).toThrowError(/нет ставки НДС/);
    expect(priceRefundLines(sale.lines, [{ lineId: 'u1:1', quantityMilli: 1000 }]).map((l) => l.vat)).toEqual(['vat20']);
  });
});
