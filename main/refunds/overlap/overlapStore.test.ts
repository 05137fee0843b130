import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/queue/tempDir';
import type { OverlapRefund } from '../../../preload/contract/overlaps';
import { openDatabase, type Database } from '../../queue/database';
import { RefundStore } from '../refundStore';
import { OverlapStore } from './overlapStore';

/** The overlaps F4 lists (issue 22) on a real SQLite file, read back as a restarted app reads them. */
let tmp: ReturnType<typeof tempDir>;
let db: Database;

beforeEach(() => {
  tmp = tempDir('overlap-store-');
  db = openDatabase(tmp.file('cashier.db'));
  // An overlap belongs to one of this till's refunds (a foreign key).
  const refunds = new RefundStore(db);
  for (const id of ['r-1', 'r-old', 'r-new', 'r-mid']) {
    refunds.insertConfirmed({
      id, sale, saleNumber: 'Т-1', currency: 'RUB', totalMinor: 249_000,
      lines: [{ lineId: 'kettle', name: 'Чайник', quantityMilli: 1000, amountMinor: 249_000, vat: 'vat22', paymentMethod: 'fullPayment', itemSign: 'goods' }],
      tenders: [{ paymentPartId: 'cash', kind: 'cash', amountMinor: 249_000, needsCard: false }],
    });
  }
});

afterEach(() => {
  db.close();
  tmp.remove();
});

const reopened = (): OverlapStore => {
  db.close();
  db = openDatabase(tmp.file('cashier.db'));
  return new OverlapStore(db);
};

const theirs: OverlapRefund = { refundId: 'a', thisTill: false, till: '7281440500112233', at: '2026-12-01T11:00:00Z', totalMinor: 249_000, currency: 'RUB', fiscalDocumentNumber: 17 };
const ours: OverlapRefund = { refundId: 'r-1', thisTill: true, till: null, at: '2026-12-01T11:03:00Z', totalMinor: 249_000, currency: 'RUB', fiscalDocumentNumber: null };
const kettle = { lineId: 'kettle', name: 'Чайник', soldMilli: 1000, refundedMilli: 2000 };
const sale = { source: 'lifepos' as const, id: 'deal-1' };
const DETECTED = Date.parse('2026-12-01T11:05:00Z');

describe('stored overlaps (refund_overlaps)', () => {
  it('keep both refunds\' details, when it was found and whether the senior cashier has seen it, across a restart', () => {
    new OverlapStore(db).record({ refundId: 'r-1', sale, saleNumber: 'Т-1', lines: [kettle], refunds: [theirs, ours] }, DETECTED);
    const store = reopened();
    expect(store.list(10)).toEqual([
      { refundId: 'r-1', sale, saleNumber: 'Т-1', lines: [kettle], refunds: [theirs, ours], detectedAt: '2026-12-01T11:05:00.000Z', acknowledged: false },
    ]);
    store.acknowledge('r-1', DETECTED + 60_000);
    expect(reopened().list(10).map((o) => o.acknowledged)).toEqual([true]);
  });

  it('a second check of the same refund refreshes what it saw and keeps when it was first found', () => {
    const store = new OverlapStore(db);
    store.record({ refundId: 'r-1', sale, saleNumber: 'Т-1', lines: [kettle], refunds: [theirs, ours] }, DETECTED);
    const third: OverlapRefund = { ...theirs, refundId: 'c', till: '7281440500445566', at: '2026-12-01T11:04:00Z', fiscalDocumentNumber: 4 };
    store.record({ refundId: 'r-1', sale, saleNumber: 'Т-1', lines: [{ ...kettle, refundedMilli: 3000 }], refunds: [theirs, ours, third] }, DETECTED + 3_600_000);
    const [only, ...rest] = store.list(10);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ lines: [{ refundedMilli: 3000 }], refunds: [theirs, ours, third], detectedAt: '2026-12-01T11:05:00.000Z' });
  });

  it('are listed newest first, up to the limit asked', () => {
    const store = new OverlapStore(db);
    for (const [i, id] of ['r-old', 'r-new', 'r-mid'].entries()) {
      store.record({ refundId: id, sale, saleNumber: 'Т-1', lines: [kettle], refunds: [theirs, { ...ours, refundId: id }] }, DETECTED + [0, 2, 1][i]! * 60_000);
    }
    expect(store.list(2).map((o) => o.refundId)).toEqual(['r-new', 'r-mid']);
  });
});
