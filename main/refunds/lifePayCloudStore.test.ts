import { afterEach, describe, expect, it } from 'vitest';
import { LifePayCloudStore } from './lifePayCloudStore';
import { closeRigs, recordedRefund, rig, sale } from './sagaTestRig';

afterEach(closeRigs);

describe('the LIFE PAY cloud refunds table (migration 008)', () => {
  it('keeps LIFE PAY\'s uuid of a fiscalized cloud refund, read back by the next reader of the database', () => {
    const r = rig();
    const s = sale(r, 1, 'lifepay');
    recordedRefund(r, s, 'r-cloud');
    new LifePayCloudStore(r.db).add('r-cloud', `${s.ref.id}/r-cloud`);
    expect(new LifePayCloudStore(r.db).get('r-cloud')).toEqual({ refundId: 'r-cloud', extId: `${s.ref.id}/r-cloud`, uuid: null });
    new LifePayCloudStore(r.db).setUuid('r-cloud', 'lp-uuid-7');
    expect(new LifePayCloudStore(r.db).get('r-cloud')?.uuid).toBe('lp-uuid-7');
  });
});
