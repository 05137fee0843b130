import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RefundLine, Sale, SaleLine } from '../../preload/contract';
import { openDatabase, type Database } from '../queue/database';
import { RefundStore, type StoredRefund } from './refundStore';
import { dealPaymentStatus, fullyRefunded, withLocalRefunds } from './saleRemainder';

/**
 * What is left of a sale once this till's own refunds the back end does not know yet are added on top
 * (an offline refund must not be refunded again): lines and money, per payment part. The refunds are
 * real rows of a RefundStore over a SQLite temp file.
 */
let db: Database | undefined;
let dir: string | undefined;
afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = dir = undefined;
});

const saleLine = (lineId: string, quantityMilli: number, amountMinor: number, refundedMilli = 0, refundedMinor = 0): SaleLine => ({
  lineId, name: lineId, priceMinor: Math.round((amountMinor * 1000) / quantityMilli), quantityMilli, amountMinor, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods',
  refundedMilli, refundedMinor, refundableMilli: quantityMilli - refundedMilli,
});

/** 2 kg of cheese (600.00 ₽) and 3 bottles (300.00 ₽), paid 500.00 ₽ in cash and 400.00 ₽ by card; 1 bottle refunded on the server. */
const sale: Sale = {
  ref: { source: 'lifepos', id: 'deal-1' }, number: 'Т-1', createdAt: '2026-12-01T10:00:00Z', currency: 'RUB', totalMinor: 90_000,
  lines: [saleLine('cheese', 2000, 60_000), saleLine('water', 3000, 30_000, 1000, 10_000)],
  payments: [
    { paymentPartId: 'cash', saleSessionId: 's', kind: 'cash', typeOf: 'Cash', amountMinor: 50_000, refundedMinor: 10_000 },
    { paymentPartId: 'card', saleSessionId: 's', kind: 'card', typeOf: 'Card', amountMinor: 40_000, refundedMinor: 0 },
  ],
  remainderFromLocalOnly: false,
};

function refunds(...specs: Array<{ id: string; lines: Array<[string, number, number]>; tenders: Array<[string, number]> }>): StoredRefund[] {
  dir = mkdtempSync(join(tmpdir(), 'remainder-'));
  db = openDatabase(join(dir, 'cashier.db'));
  const store = new RefundStore(db);
  return specs.map(({ id, lines, tenders }) => {
    const refundLines: RefundLine[] = lines.map(([lineId, quantityMilli, amountMinor]) => ({ lineId, name: lineId, quantityMilli, amountMinor, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }));
    const refundTenders = tenders.map(([paymentPartId, amountMinor]) => ({ paymentPartId, kind: paymentPartId === 'card' ? 'card' as const : 'cash' as const, amountMinor, needsCard: paymentPartId === 'card' }));
    store.insertConfirmed({ id, sale: sale.ref, saleNumber: sale.number, currency: 'RUB', lines: refundLines, tenders: refundTenders, totalMinor: refundLines.reduce((s, l) => s + l.amountMinor, 0) });
    return store.require(id);
  });
}

describe('a sale with this till\'s refunds on top', () => {
  it('two offline refunds of the same line and payment part both count: quantity, money and each part\'s refunded sum', () => {
    const local = refunds(
      { id: 'r-1', lines: [['cheese', 500, 15_000]], tenders: [['cash', 15_000]] },
      { id: 'r-2', lines: [['cheese', 250, 7_500], ['water', 1000, 10_000]], tenders: [['cash', 10_000], ['card', 7_500]] },
    );
    const now = withLocalRefunds(sale, local, new Set());
    expect(now.lines).toEqual([
      expect.objectContaining({ lineId: 'cheese', refundedMilli: 750, refundedMinor: 22_500, refundableMilli: 1250 }),
      expect.objectContaining({ lineId: 'water', refundedMilli: 2000, refundedMinor: 20_000, refundableMilli: 1000 }),
    ]);
    expect(now.payments.map((p) => [p.paymentPartId, p.refundedMinor])).toEqual([['cash', 35_000], ['card', 7_500]]);
  });

  it('a refund the server already lists counts once (on the server\'s side); with none pending the sale is as the server said', () => {
    const local = refunds({ id: 'r-known', lines: [['water', 1000, 10_000]], tenders: [['cash', 10_000]] });
    expect(withLocalRefunds(sale, local, new Set(['r-known']))).toBe(sale);
  });

  it('never counts more than a line or a payment part holds', () => {
    const local = refunds({ id: 'r-all', lines: [['water', 3000, 30_000]], tenders: [['cash', 50_000]] });
    const now = withLocalRefunds(sale, local, new Set());
    expect(now.lines[1]).toMatchObject({ refundedMilli: 3000, refundedMinor: 30_000, refundableMilli: 0 });
    expect(now.payments[0]?.refundedMinor).toBe(50_000);
    expect(now.lines[0]).toBe(sale.lines[0]);
  });
});

describe('fully refunded', () => {
  it('only when every line is refunded; a sale without lines (nothing read of it) is never called refunded', () => {
    const none = sale.lines.map((l) => ({ ...l, refundedMilli: l.quantityMilli, refundableMilli: 0 }));
    expect(fullyRefunded({ ...sale, lines: none })).toBe(true);
    expect(fullyRefunded(sale)).toBe(false);
    expect(fullyRefunded({ ...sale, lines: [] })).toBe(false);
  });
});

describe('the LIFE POS deal\'s payment status after a refund', () => {
  // The names are LIFE POS's payment_status values (BACKENDS.md, LIFE POS API v6: "After a refund set
  // payment_status to Refunded or PartiallyRefunded").
  it('Refunded once nothing is left; PartiallyRefunded while something is, even before this refund is counted (never Paid)', () => {
    const all = sale.lines.map((l) => ({ ...l, refundedMilli: l.quantityMilli, refundableMilli: 0 }));
    const untouched = sale.lines.map((l) => ({ ...l, refundedMilli: 0, refundedMinor: 0, refundableMilli: l.quantityMilli }));
    expect(dealPaymentStatus({ ...sale, lines: all })).toBe('Refunded');
    expect(dealPaymentStatus(sale)).toBe('PartiallyRefunded');
    expect(dealPaymentStatus({ ...sale, lines: untouched })).toBe('PartiallyRefunded');
  });
});
