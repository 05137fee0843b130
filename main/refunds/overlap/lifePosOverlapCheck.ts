import type { LifePosClient } from '../../backends/lifepos/lifePosClient';
import type { Session } from '../../backends/lifepos/schemas';
import type { MainText } from '../../../preload/contract/mainText';
import { immediateTransaction, type Database } from '../../queue/database';
import { refundLog, type Logger } from '../../log/logger';
import type { RefundStore } from '../refundStore';
import type { OverlapStore } from './overlapStore';
import { overlapReason, overlapText } from './overlapReason';
import { overRefund } from './overRefund';

/**
 * Run once this till's reversal session is on LIFE POS (the create job, main/refunds/lifePosJobs.ts): the
 * deal and every session of it are read again, and a sale now refunded beyond what was sold — another
 * till refunded the same goods while this one was offline — sends this refund to `review` with both
 * refunds' details (issue 22). The session stays: the receipt was printed, LIFE POS must know it. A sale
 * within bounds changes nothing; a refund already reviewed for it only gets its details refreshed.
 */
export interface OverlapCheckDeps {
  client: () => LifePosClient;
  db: Database;
  store: RefundStore;
  overlaps: OverlapStore;
  log: Logger;
  /** After the commit: the refund moved to review (its progress line and F4 follow). */
  flagged: (refundId: string, reason: string, text: MainText) => void;
}

export type OverlapCheck = (dealGuid: string, refundId: string, signal: AbortSignal) => Promise<void>;

export function lifePosOverlapCheck(d: OverlapCheckDeps): OverlapCheck {
  return async (dealGuid, refundId, signal) => {
    const refund = d.store.get(refundId);
    // A refund this database does not hold (rebuilt from the ФН) has no row to flag.
    if (!refund) return;
    const deal = await d.client().getDeal(dealGuid, { signal });
    const sessions: Session[] = [];
    for await (const s of d.client().sessions(dealGuid, { selection: 'all' }, { signal })) sessions.push(s);
    const found = overRefund(deal, sessions, refundId);
    if (!found) return;
    const reason = overlapReason(refund.saleNumber, found);
    const reasonText = overlapText(refund.saleNumber, found);
    const moved = immediateTransaction(d.db, () => {
      const now = d.store.require(refundId);
      d.overlaps.record({ refundId, sale: now.sale, saleNumber: now.saleNumber, lines: found.lines, refunds: found.refunds });
      // Printed and being recorded (fiscalized) or recorded (synced): never "synced" silently now.
      if (now.state !== 'fiscalized' && now.state !== 'synced' && now.state !== 'review') return false;
      d.store.setState(refundId, 'review', { reason, reasonText });
      return true;
    });
    refundLog(d.log, refundId).error('sale refunded beyond what was sold across tills', {
      deal: dealGuid, lines: found.lines, refunds: found.refunds.map((r) => ({ refundId: r.refundId, at: r.at, totalMinor: r.totalMinor })),
    });
    if (moved) d.flagged(refundId, reason, reasonText);
  };
}
