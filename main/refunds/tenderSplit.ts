import type { RefundTender, SalePayment } from '../../preload/contract';

/**
 * Splits a refund's money back onto the sale's payment parts: money goes back the way it came (a card
 * part to the card, cash to the drawer), in proportion to what each part still holds, with the kopecks
 * left by rounding given to the parts with the largest remainders (Hamilton's method). The tenders
 * always add up to the refund total exactly and no part gives back more than it took.
 */
export function splitTenders(payments: readonly SalePayment[], totalMinor: number): RefundTender[] {
  const open = payments
    .map((p) => ({ p, left: Math.max(0, p.amountMinor - p.refundedMinor) }))
    .filter((x) => x.left > 0);
  const available = open.reduce((s, x) => s + x.left, 0);
  if (totalMinor > available) {
    throw new RangeError(`refund ${totalMinor} exceeds what the payments still hold (${available})`);
  }
  if (totalMinor === 0 || open.length === 0) return [];
  const total = BigInt(totalMinor);
  const sum = BigInt(available);
  const shares = open.map((x, index) => {
    const exact = total * BigInt(x.left);
    return { ...x, index, base: exact / sum, rest: exact % sum };
  });
  let leftover = total - shares.reduce((s, x) => s + x.base, 0n);
  const byRest = [...shares].sort((a, b) => (b.rest === a.rest ? a.index - b.index : b.rest > a.rest ? 1 : -1));
  for (const share of byRest) {
    if (leftover === 0n) break;
    if (share.base < BigInt(share.left)) {
      share.base += 1n;
      leftover -= 1n;
    }
  }
  return shares
    .filter((s) => s.base > 0n)
    .map((s) => ({
      paymentPartId: s.p.paymentPartId,
      kind: s.p.kind,
      amountMinor: Number(s.base),
      needsCard: s.p.kind === 'card',
    }));
}
