import type { Deal, Session } from '../../backends/lifepos/schemas';
import { reversalCounts, serverRefunds } from '../lifePosSale';
import type { OverlapLine, OverlapRefund } from '../../../preload/contract/overlaps';
import { Currency } from '../../../preload/contract';

/**
 * Is a LIFE POS sale refunded beyond what was sold, with this till's refund among those that took from
 * it? Counted as the remainder counts (lifePosSale.ts `reversalCounts`: archived sessions that carry a
 * receipt still gave money back). Seed 000 gives every reversal session its positions; a line whose
 * sessions add up to more than its quantity is the overlap.
 */
export interface FoundOverlap {
  lines: OverlapLine[];
  refunds: OverlapRefund[];
}

export function overRefund(deal: Deal, sessions: readonly Session[], ourRefundId: string): FoundOverlap | null {
  const refunded = serverRefunds(sessions);
  const lines: OverlapLine[] = deal.positions.flatMap((p) => {
    const done = refunded.byLine.get(p.guid);
    return done && done.quantityMilli > p.quantity
      ? [{ lineId: p.guid, name: p.name, soldMilli: p.quantity, refundedMilli: done.quantityMilli }]
      : [];
  });
  if (lines.length === 0) return null;
  const over = new Set(lines.map((l) => l.lineId));
  const involved = sessions
    .filter((s) => reversalCounts(s) && s.positions.some((p) => over.has(p.position_guid)))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  // Sessions other tills made among themselves are not this till's to flag.
  if (!involved.some((s) => s.external_id === ourRefundId)) return null;
  return {
    lines,
    refunds: involved.map((s) => ({
      refundId: s.external_id ?? null,
      thisTill: s.external_id === ourRefundId,
      till: s.receipt?.fiscal_drive_number ?? null,
      at: s.created_at,
      totalMinor: s.total_sum.value,
      currency: Currency.catch('RUB').parse(s.total_sum.currency),
      fiscalDocumentNumber: s.receipt?.fiscal_document_number ?? null,
    })),
  };
}
