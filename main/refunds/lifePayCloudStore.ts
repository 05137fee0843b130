import { z } from 'zod';
import type { Database } from '../queue/database';

/** The lifepay_cloud_refunds table (migration 008): which refunds LIFE PAY's cloud register owns. */
const Row = z.object({ refund_id: z.string(), ext_id: z.string(), uuid: z.string().nullable(), created_at: z.number().int() });

export interface CloudRefund {
  refundId: string;
  extId: string;
  uuid: string | null;
}

export class LifePayCloudStore {
  private readonly q;

  constructor(db: Database) {
    this.q = {
      insert: db.prepare('INSERT INTO lifepay_cloud_refunds (refund_id, ext_id, created_at) VALUES (?, ?, ?)'),
      get: db.prepare('SELECT * FROM lifepay_cloud_refunds WHERE refund_id = ?'),
      uuid: db.prepare('UPDATE lifepay_cloud_refunds SET uuid = ? WHERE refund_id = ?'),
      remove: db.prepare('DELETE FROM lifepay_cloud_refunds WHERE refund_id = ?'),
    };
  }

  /** In the transaction that records the refund: from then on it is LIFE PAY's, never the printer's. */
  add(refundId: string, extId: string, now: number = Date.now()): void {
    this.q.insert.run(refundId, extId, now);
  }

  get(refundId: string): CloudRefund | undefined {
    const raw = this.q.get.get(refundId);
    if (raw === undefined) return undefined;
    const r = Row.parse(raw);
    return { refundId: r.refund_id, extId: r.ext_id, uuid: r.uuid };
  }

  setUuid(refundId: string, uuid: string): void {
    this.q.uuid.run(uuid, refundId);
  }

  /** Proven LIFE PAY fiscalized nothing: the refund goes to the local printer (in the caller's transaction). */
  remove(refundId: string): void {
    this.q.remove.run(refundId);
  }
}
