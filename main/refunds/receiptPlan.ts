import type { RefundLine, RefundTender } from '../../preload/contract';
import { apportion } from './apportion';

/**
 * One refund as the receipts the device can take (issue 20): whole lines in the refund's order, each
 * receipt at most `maxPositions` positions (a line may print as two, refundDocuments.ts
 * fiscalPositions). Every receipt's tenders add up to its own total to the kopeck, and each tender's
 * parts add up to the refund's tender exactly: each receipt takes its share of what every tender still
 * holds (apportion, so no part gives more than is left), the last one takes the rest. A line keeps its
 * own payment-method sign (prepayment, advance …) whatever receipt it lands in.
 */
export interface TenderShare {
  paymentPartId: string;
  amountMinor: number;
}

export interface PlannedReceipt {
  lineIds: string[];
  tenders: TenderShare[];
  totalMinor: number;
}

export function planReceipts(
  lines: readonly RefundLine[],
  tenders: readonly RefundTender[],
  positionsOf: (l: RefundLine) => number,
  maxPositions: number,
): PlannedReceipt[] {
  const groups: RefundLine[][] = [];
  let current: RefundLine[] = [];
  let used = 0;
  for (const l of lines) {
    const n = positionsOf(l);
    if (n > maxPositions) throw new RangeError(`line ${l.lineId} needs ${n} positions, a receipt takes ${maxPositions}`);
    if (used + n > maxPositions && current.length > 0) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(l);
    used += n;
  }
  if (current.length > 0) groups.push(current);

  const left = tenders.map((t) => t.amountMinor);
  return groups.map((group) => {
    const totalMinor = group.reduce((s, l) => s + l.amountMinor, 0);
    const shares = apportion(totalMinor, left);
    shares.forEach((share, i) => {
      left[i] = (left[i] ?? 0) - share;
    });
    return {
      lineIds: group.map((l) => l.lineId),
      tenders: tenders.flatMap((t, i) => ((shares[i] ?? 0) > 0 ? [{ paymentPartId: t.paymentPartId, amountMinor: shares[i] ?? 0 }] : [])),
      totalMinor,
    };
  });
}
