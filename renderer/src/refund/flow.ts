import type { Refund, RefundPreview, Sale, SaleSummary } from '../../../preload/contract';
import type { Selection } from './selection';

/**
 * Where the cashier is in one refund. Each step carries everything the steps before it decided, so
 * Esc goes back without losing the picked lines, and the refundId made for the summary stays the same
 * until the lines change (a double Enter or a retry is the same refund).
 */
/** Several sales answered a search: the list the cashier picks from. */
export interface SearchChoices {
  query: string;
  sales: readonly SaleSummary[];
}

export type Step =
  | { name: 'search'; choices?: SearchChoices }
  | { name: 'sale'; sale: Sale; selection: Selection }
  | { name: 'summary'; sale: Sale; selection: Selection; preview: RefundPreview; refundId: string; rrns: Record<string, string> }
  | { name: 'card'; sale: Sale; selection: Selection; preview: RefundPreview; refundId: string; rrns: Record<string, string> }
  | { name: 'printing'; sale: Sale; selection: Selection; preview: RefundPreview; refundId: string; rrns: Record<string, string> }
  | { name: 'done'; refund: Refund };

export type Panel = 'help' | 'recent' | 'sync' | 'shift' | 'settings' | 'instalments' | 'journal';

/** Esc on a step: one step back; null where Esc does nothing (a receipt being printed cannot be left). */
export function stepBack(step: Step, printingSettled: boolean): Step | null {
  switch (step.name) {
    case 'search': return step.choices ? { name: 'search' } : null;
    case 'sale': return { name: 'search' };
    case 'summary': return { name: 'sale', sale: step.sale, selection: step.selection };
    case 'card': return { ...step, name: 'summary' };
    case 'printing': return printingSettled ? { ...step, name: 'summary' } : null;
    case 'done': return { name: 'search' };
  }
}
