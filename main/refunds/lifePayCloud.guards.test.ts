import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LifePayTransaction } from '../backends/lifepay/schemas';
import { cloudExtId, cloudRefundReceipt } from './lifePayCloud';
import { saleFromTransaction } from './saleSources';

/**
 * How much of a LIFE PAY sale is still refundable once every till's cloud refunds are counted (issue 22,
 * main/backends/README.md "Who knows a sale was refunded"): what the cashier may refund next.
 */
const PAY = 'a1f0c3de-0004-4c1b-8f00-00000000lp07';
const product = (name: string, price: number, quantity: number) => ({ name, price, quantity, tax: 'vat22' as const, type: 4, item_type: 1 });
const payment = (products: ReturnType<typeof product>[], amount: number): LifePayTransaction => ({
  uuid: PAY, number: '30457', type: 'payment', status: 'success', created: '2026-12-01 10:00:00', amount, method: 'cash', purchase: { products },
});
const refund = (id: string, products: ReturnType<typeof product>[] | null, amount: number, extId: string | null = cloudExtId(PAY, id)): LifePayTransaction => ({
  uuid: `r-${id}`, type: 'refund', status: 'success', created: '2026-12-01 11:00:00', amount, method: 'cash', ext_id: extId, purchase: products ? { products } : null,
});

describe('LIFE PAY cloud refunds spread over the sale\'s lines of one name', () => {
  const soapTwice = payment([product('Мыло туалетное', 15_000, 1000), product('Мыло туалетное', 15_000, 1000)], 30_000);

  it('a refund of both pieces takes each line\'s piece and half the money each', () => {
    const both = refund('r-1', [product('Мыло туалетное', 13_499, 2000)], 26_998);
    const { sale } = saleFromTransaction(soapTwice, [soapTwice, both]);
    expect(sale.lines.map((l) => [l.refundedMilli, l.refundedMinor, l.refundableMilli])).toEqual([[1000, 13_499, 0], [1000, 13_499, 0]]);
    expect(sale.payments[0]?.refundedMinor).toBe(26_998);
  });

  it('a line partly refunded gives only what it has left; the rest comes from the next line of that name', () => {
    const cream = payment([product('Крем для рук', 10_000, 3000), product('Крем для рук', 10_000, 1000)], 40_000);
    const first = refund('r-1', [product('Крем для рук', 10_000, 2000)], 20_000);
    const second = refund('r-2', [product('Крем для рук', 10_000, 2000)], 20_000);
    const { sale } = saleFromTransaction(cream, [first, second]);
    expect(sale.lines.map((l) => [l.refundedMilli, l.refundedMinor, l.refundableMilli])).toEqual([[3000, 30_000, 0], [1000, 10_000, 0]]);
  });
});

describe('refunds LIFE PAY lists that are not ours to read line by line', () => {
  it('a refund without our ext_id (made elsewhere) does not count against this sale', () => {
    const soap = payment([product('Мыло туалетное', 15_000, 1000)], 15_000);
    const { sale, knownToServer } = saleFromTransaction(soap, [refund('x', [product('Мыло туалетное', 15_000, 1000)], 15_000, null)]);
    expect(sale.lines[0]).toMatchObject({ refundedMilli: 0, refundableMilli: 1000 });
    expect([...knownToServer]).toEqual([]);
  });

  it('a cloud refund listed without products still takes its money from the payment and no goods', () => {
    const soap = payment([product('Мыло туалетное', 15_000, 1000)], 15_000);
    const { sale } = saleFromTransaction(soap, [refund('r-1', null, 5_000)]);
    expect(sale.lines[0]).toMatchObject({ refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000 });
    expect(sale.payments[0]?.refundedMinor).toBe(5_000);
  });
});

describe('a refund of whole units as a cloud receipt', () => {
  it('never sends a product of zero quantity, and price × quantity is the line\'s money', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 5_000_000 }), (units, amountMinor) => {
      const lines = [{ lineId: `${PAY}:0`, name: 'Крем для рук', quantityMilli: units * 1000, amountMinor, vat: 'vat22' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const }];
      const built = cloudRefundReceipt({ id: 'r', lines, tenders: [{ paymentPartId: PAY, kind: 'cash', amountMinor, needsCard: false }] }, PAY);
      const products = 'receipt' in built ? built.receipt.products : [];
      expect(products.reduce((s, p) => s + (p.priceMinor * p.quantityMilli) / 1000, 0)).toBe(amountMinor);
      for (const p of products) expect(p.quantityMilli).toBeGreaterThan(0);
    }), { numRuns: 3000, seed: 11 });
  });
});
