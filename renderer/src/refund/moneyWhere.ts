import type { RefundTender } from '../../../preload/contract';

/**
 * The one sentence above the summary's tenders (issue 19 point 6): all of the money one way, said
 * exactly, or a mixed split with its rule. The rule is main/refunds/tenderSplit.ts: money goes back the
 * way it came, each payment part's share in proportion to what it still holds.
 */
export type MoneyWhere =
  | { key: 'money.allCard' }
  | { key: 'money.allCash' }
  | { key: 'money.allOne'; kind: RefundTender['kind'] }
  | { key: 'money.mixedRule' };

export function moneyWhere(tenders: readonly RefundTender[]): MoneyWhere | null {
  const kinds = new Set(tenders.map((t) => t.kind));
  const [only] = kinds;
  if (only === undefined) return null;
  if (kinds.size > 1) return { key: 'money.mixedRule' };
  if (only === 'card') return { key: 'money.allCard' };
  if (only === 'cash') return { key: 'money.allCash' };
  return { key: 'money.allOne', kind: only };
}
