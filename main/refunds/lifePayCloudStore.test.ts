import { afterEach, describe, expect, it } from 'vitest';
import { LifePayCloudStore } from './lifePayCloudStore';
import { closeRigs, rig, sale, total } from './sagaTestRig';

afterEach(closeRigs);

describe('the LIFE PAY cloud refunds table (migration 008)', () => {
  it('keeps LIFE PAY\'s uuid of a fiscalized cloud refund, read back by the next reader of the database', () => {
    const r = rig();
    const s = sale(r, 1, 'lifepay');
    r.store.insertConfirmed({
      id: 'r-cloud', sale: s.ref, saleNumber: s.number, currency: 'RUB', totalMinor: total(s),
      lines: [{ lineId: s.lines[0]!.lineId, name: 'Товар 1', quantityMilli: 1_000, amountMinor: total(s), vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
      tenders: [{ paymentPartId: s.payments[0]!.paymentPartId, kind: 'cash', amountMinor: total(s), needsCard: false }],
    });
    new LifePayCloudStore(r.db).add('r-cloud', `${s.ref.id}/r-cloud`);
    expect(new LifePayCloudStore(r.db).get('r-cloud')).toEqual({ refundId: 'r-cloud', extId: `${s.ref.id}/r-cloud`, uuid: null });
    new LifePayCloudStore(r.db).setUuid('r-cloud', 'lp-uuid-7');
    expect(new LifePayCloudStore(r.db).get('r-cloud')?.uuid).toBe('lp-uuid-7');
  });
});
