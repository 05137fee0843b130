import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planReceipts } from './receiptPlan';
import { fiscalPositions, fiscalRefundReceipt } from './refundDocuments';
import { checkReceipt, MAX_RECEIPT_POSITIONS, parseReceipt } from '../fiscal/receipt';
import { TenderKind, type PaymentMethod, type RefundLine, type RefundTender } from '../../preload/contract';
import type { TaxGroupPlan } from '../fiscal/taxGroups';

const KINDS = TenderKind.options;
const PLAN: TaxGroupPlan = { groups: { vat20: 1 }, refused: {} };

const METHODS: PaymentMethod[] = ['fullPayment', 'prepayment100', 'prepayment', 'advance'];

const line = (i: number, amountMinor: number, quantityMilli: number, paymentMethod: PaymentMethod = 'fullPayment'): RefundLine => ({
  lineId: `l${i}`, name: `Товар ${i}`, quantityMilli, amountMinor, vat: 'vat20', paymentMethod, itemSign: 'goods',
});

const positions = (l: RefundLine) => fiscalPositions(l).length;

describe('one refund as the receipts the device can take', () => {
  it('300 lines of one position each: three receipts of 100 in the refund order', () => {
    const lines = Array.from({ length: 300 }, (_, i) => line(i, 10_000 + i, 1000));
    const total = lines.reduce((s, l) => s + l.amountMinor, 0);
    const plan = planReceipts(lines, [{ paymentPartId: 'cash', kind: 'cash', amountMinor: total, needsCard: false }], positions, MAX_RECEIPT_POSITIONS);
    expect(plan.map((p) => p.lineIds.length)).toEqual([100, 100, 100]);
    expect(plan.flatMap((p) => p.lineIds)).toEqual(lines.map((l) => l.lineId));
    expect(plan.map((p) => p.tenders[0]?.amountMinor)).toEqual(plan.map((p) => p.totalMinor));
  });

  it('a line printed as two positions is never cut between receipts', () => {
    // 5 pcs for 100.02: 3 × 20.00 + 2 × 20.01, two positions (refundDocuments.ts fiscalPositions).
    const lines = [line(1, 100, 1000), line(2, 100, 1000), line(3, 10_002, 5000)];
    const plan = planReceipts(lines, [{ paymentPartId: 'c', kind: 'cash', amountMinor: 10_202, needsCard: false }], positions, 3);
    expect(plan.map((p) => p.lineIds)).toEqual([['l1', 'l2'], ['l3']]);
  });

  it('every receipt balances to the kopeck, each tender is given back exactly, signs stay on their lines, the device takes each receipt', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.integer({ min: 0, max: 5_000_000 }), qty: fc.integer({ min: 1, max: 20 }), method: fc.constantFrom(...METHODS) }), { minLength: 1, maxLength: 260 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 2, max: MAX_RECEIPT_POSITIONS }),
        (raw, weights, max) => {
          const lines = raw.map((x, i) => line(i, x.amount, x.qty * 1000, x.method));
          const total = lines.reduce((s, l) => s + l.amountMinor, 0);
          // The refund's own tenders, as splitTenders makes them: they add up to the total.
          const wsum = weights.reduce((a, b) => a + b, 0);
          const tenders: RefundTender[] = weights.map((w, i) => ({ paymentPartId: `p${i}`, kind: KINDS[i % KINDS.length] ?? 'cash', amountMinor: Math.floor((total * w) / wsum), needsCard: false }));
          const first = tenders[0];
          if (first) first.amountMinor += total - tenders.reduce((s, t) => s + t.amountMinor, 0);

          const plan = planReceipts(lines, tenders, positions, max);
          expect(plan.flatMap((p) => p.lineIds)).toEqual(lines.map((l) => l.lineId));
          for (const p of plan) {
            const mine = lines.filter((l) => p.lineIds.includes(l.lineId));
            expect(mine.reduce((s, l) => s + positions(l), 0)).toBeLessThanOrEqual(max);
            expect(p.totalMinor).toBe(mine.reduce((s, l) => s + l.amountMinor, 0));
            expect(p.tenders.reduce((s, t) => s + t.amountMinor, 0)).toBe(p.totalMinor);
            expect(p.tenders.every((t) => t.amountMinor > 0)).toBe(true);
            const receipt = fiscalRefundReceipt({
              id: 'r', lines: mine,
              tenders: p.tenders.map((t) => ({ ...(tenders.find((x) => x.paymentPartId === t.paymentPartId) as RefundTender), amountMinor: t.amountMinor })),
            }, 'Кассир');
            expect(receipt.positions.map((x) => x.paymentMethod)).toEqual(mine.flatMap((l) => fiscalPositions(l).map(() => l.paymentMethod)));
            if (p.totalMinor > 0) expect(checkReceipt(parseReceipt(receipt), PLAN).totalMinor).toBe(p.totalMinor);
          }
          for (const t of tenders) {
            expect(plan.reduce((s, p) => s + (p.tenders.find((x) => x.paymentPartId === t.paymentPartId)?.amountMinor ?? 0), 0)).toBe(t.amountMinor);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
