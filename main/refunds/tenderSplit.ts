import type { RefundTender, SalePayment } from '../../preload/contract';
import { apportion } from './apportion';
import { TENDER_RULES } from './tenderKinds';

/**
 * Splits a refund's money back onto the sale's payment parts: money goes back the way it came (a card
 * part to the card, cash to the drawer, СБП through СБП), in proportion to what each part still holds.
 * The tenders always add up to the refund total exactly and no part gives back more than it took.
 */
export function splitTenders(payments: readonly SalePayment[], totalMinor: number): RefundTender[] {
  const open = payments.map((p) => ({ p, left: Math.max(0, p.amountMinor - p.refundedMinor) }));
  const available = open.reduce((s, x) => s + x.left, 0);
  if (totalMinor > available) {
    throw new RangeError(`refund ${totalMinor} exceeds what the payments still hold (${available})`);
  }
  // A part with nothing left weighs 0 and gets 0 (./apportion.ts); no tender of 0 is made.
  const shares = apportion(totalMinor, open.map((x) => x.left));
  return open
    .map((x, i) => ({ x, amount: shares[i] ?? 0 }))
    .filter((s) => s.amount > 0)
    .map(({ x, amount }) => ({
      paymentPartId: x.p.paymentPartId,
      kind: x.p.kind,
      amountMinor: amount,
      needsCard: TENDER_RULES[x.p.kind].needsCard,
    }));
}
