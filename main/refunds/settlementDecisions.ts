import type { RetryClass } from '../appError';
import type { ReconcileOutcome } from '../fiscal/documents';
import type { RefundState } from '../../preload/contract';
import type { VcrAsker } from '../backends/regos/vcrExactlyOnce';

/**
 * The saga's decisions as plain functions of what the device or VCR said, so each rule of the
 * exactly-once promise (main/refunds/README.md) is tested on its own. The settlement channels do the I/O
 * and follow what these return.
 */

/** Who asks: the confirm at the counter, the cashier's "Повторить" of a stored refund, or recovery (the same three VCR knows). */
export type Trigger = VcrAsker;

export type PrintStep =
  | { do: 'complete' }
  | { do: 'review' }
  /** Pending: 'confirmed' = proven not in the ФН, printed later; 'fiscalizing' = may be in the ФН, ask again. */
  | { do: 'wait'; state: 'confirmed' | 'fiscalizing' }
  | { do: 'fail' };

/**
 * After a receipt was sent to the printer and something went wrong, from the device's own answer to
 * "what is in the ФН since N0" (`null`: the device did not answer that question either).
 * Only a receipt the device says is not there may fail, and only when printing again cannot help.
 */
export function afterPrintTrouble(judged: ReconcileOutcome['outcome'] | null, printError: RetryClass): PrintStep {
  if (judged === null) return { do: 'wait', state: 'fiscalizing' };
  if (judged === 'printed') return { do: 'complete' };
  if (judged === 'ambiguous') return { do: 'review' };
  return printError === 'permanent' ? { do: 'fail' } : { do: 'wait', state: 'confirmed' };
}

/**
 * Nothing reached the printer (no connection, an earlier receipt not reconciled yet, the shift over
 * 24 hours): the refund waits to be printed by itself, unless trying again cannot help.
 */
export function beforePrintTrouble(error: RetryClass): 'wait' | 'fail' {
  return error === 'permanent' ? 'fail' : 'wait';
}

/** A new receipt is printed only when no earlier printer refund may still be in the ФН unjudged. */
export function earlierUnsettled<T extends { id: string; state: RefundState; sale: { source: string } }>(refundId: string, others: readonly T[]): T[] {
  return others.filter((x) => x.id !== refundId && x.state === 'fiscalizing' && x.sale.source !== 'regos');
}

/**
 * Why the cashier may not cancel a refund in this state, or null when it is proven not printed
 * (cancelling one that already failed changes nothing, so it is allowed too: a double key press).
 */
export function cancelRefusal(state: RefundState): string | null {
  switch (state) {
    case 'draft':
    case 'confirmed':
    case 'failed':
      return null;
    case 'fiscalizing':
      return 'Отменить нельзя: чек мог дойти до принтера (или VCR). Дождитесь, пока устройство ответит, — программа сама сверит чек.';
    case 'fiscalized':
    case 'synced':
      return 'Отменить нельзя: чек возврата уже напечатан.';
    case 'review':
      return 'Отменить нельзя: возврат на проверке. Сверьте его с отчётом принтера вместе со старшим кассиром.';
  }
}
