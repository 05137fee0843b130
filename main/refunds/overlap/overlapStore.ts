import { z } from 'zod';
import type { Database } from '../../queue/database';
import { OverlapLine, OverlapRefund, type RefundOverlap } from '../../../preload/contract/overlaps';
import { SaleSource } from '../../../preload/contract';

/** The refund_overlaps table (migration 008); rows are parsed with zod, as every stored row is. */
const Row = z.object({
  refund_id: z.string(),
  sale_source: SaleSource,
  sale_id: z.string(),
  details: z.string(),
  detected_at: z.number().int(),
  acknowledged_at: z.number().int().nullable(),
});
const Details = z.object({ saleNumber: z.string(), lines: z.array(OverlapLine), refunds: z.array(OverlapRefund) });
export type OverlapDetails = z.infer<typeof Details>;

export class OverlapStore {
  private readonly q;

  constructor(db: Database) {
    this.q = {
      insert: db.prepare(`
        INSERT INTO refund_overlaps (refund_id, sale_source, sale_id, details, detected_at)
        VALUES (@refundId, @source, @saleId, @details, @now)
        ON CONFLICT (refund_id) DO UPDATE SET details = excluded.details
      `),
      list: db.prepare('SELECT * FROM refund_overlaps ORDER BY detected_at DESC, refund_id LIMIT ?'),
      acknowledge: db.prepare('UPDATE refund_overlaps SET acknowledged_at = ? WHERE refund_id = ? AND acknowledged_at IS NULL'),
    };
  }

  /** Written in the caller's transaction; a second check of the same refund refreshes what it saw. */
  record(o: Omit<RefundOverlap, 'detectedAt' | 'acknowledged'>, now: number = Date.now()): void {
    const details: OverlapDetails = { saleNumber: o.saleNumber, lines: o.lines, refunds: o.refunds };
    this.q.insert.run({ refundId: o.refundId, source: o.sale.source, saleId: o.sale.id, details: JSON.stringify(details), now });
  }

  list(limit: number): RefundOverlap[] {
    return this.q.list.all(limit).map((raw) => {
      const row = Row.parse(raw);
      const d = Details.parse(JSON.parse(row.details));
      return {
        refundId: row.refund_id,
        sale: { source: row.sale_source, id: row.sale_id },
        saleNumber: d.saleNumber,
        lines: d.lines,
        refunds: d.refunds,
        detectedAt: new Date(row.detected_at).toISOString(),
        acknowledged: row.acknowledged_at !== null,
      };
    });
  }

  acknowledge(refundId: string, now: number = Date.now()): void {
    this.q.acknowledge.run(now, refundId);
  }
}
