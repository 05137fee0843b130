import type { RefundLine, RefundTender, Sale } from '../../preload/contract';
import type { PlannedReceipt } from './receiptPlan';
import type { StoredRefund } from './refundStore';
import type { Trigger } from './settlementDecisions';

/**
 * One way a refund is recorded (DESIGN.md): the local fiscal printer with the outbox behind it
 * (LIFE POS, LIFE PAY, local sales), or REGOS VCR online. The saga records the refund and hands it to
 * its channel; the channel leaves it in its real state — done, failed (proven nothing registered),
 * review, or pending with a reason — and never throws for an outcome of a stored refund.
 */
export interface SettlementChannel {
  /** The state a refund is recorded in: 'confirmed' (nothing sent yet) or 'fiscalizing' (sent at once). */
  readonly recordAs: 'confirmed' | 'fiscalizing';
  /** The receipts a refund takes on this channel's device, fixed when the refund is recorded (issue 20). */
  planReceipts(lines: readonly RefundLine[], tenders: readonly RefundTender[]): PlannedReceipt[];
  /**
   * Before anything is recorded: may this channel take a refund now? Throws (nothing stored) when not —
   * REGOS is online only. The printer channel judges interrupted receipts first.
   */
  admit(): Promise<void>;
  /** Inside the transaction that records the refund: the channel's own mark, if it keeps one (LIFE PAY cloud). */
  recorded?(refundId: string, sale: Sale): void;
  /** Takes a freshly recorded refund to the device or VCR. */
  start(r: StoredRefund, sale: Sale): Promise<void>;
  /** A pending refund: asks the device or VCR what became of it and finishes it when it can. */
  resume(r: StoredRefund, by: Trigger): Promise<void>;
}

/** The refunds a channel is working on in this process: a second attempt on one of them leaves it alone. */
export class InFlight {
  private readonly ids = new Set<string>();

  async run(id: string, fn: () => Promise<void>): Promise<void> {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    try {
      await fn();
    } finally {
      this.ids.delete(id);
    }
  }
}
