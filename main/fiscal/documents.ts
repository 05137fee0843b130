import type { ReceiptOperation } from './receipt';

/** A fiscal document as the rest of the app sees it: what the ФН stored, not what an answer claimed. */
export interface FiscalDocument {
  number: number;
  /** ФП, the document's fiscal sign, as printed (decimal). */
  fiscalSign: string;
  /** ISO local time with minute precision, as the ФН keeps it. */
  dateTime: string;
  type?: 'receipt' | 'correction' | 'openShift' | 'closeShift' | 'other';
  operation?: ReceiptOperation | 'expense' | 'refundOfExpense';
  totalMinor?: number;
}

/** Operation codes of receipts (ФФД tag 1054). */
export const OPERATION_NAMES: Record<number, NonNullable<FiscalDocument['operation']>> = { 1: 'income', 2: 'refundOfIncome', 3: 'expense', 4: 'refundOfExpense' };

export type ReconcileOutcome = { outcome: 'printed'; document: FiscalDocument } | { outcome: 'notPrinted' } | { outcome: 'ambiguous'; reason: string };

export interface ReconcileExpectation {
  lastNumberBefore: number;
  totalMinor: number;
  operation: ReceiptOperation;
}

/**
 * Decides from the ФН's documents after N0 whether our receipt was fiscalized. Shift reports between
 * are harmless (a shift may have been opened for the receipt); more than one receipt, or one that does
 * not match, goes to a person: an automatic resend could print twice.
 */
export function judgeNewDocuments(expected: ReconcileExpectation, newDocs: FiscalDocument[]): ReconcileOutcome {
  const receipts = newDocs.filter((d) => d.type === 'receipt' || d.type === 'correction');
  if (receipts.length === 0) return { outcome: 'notPrinted' };
  const [only] = receipts;
  if (receipts.length > 1 || !only) {
    return { outcome: 'ambiguous', reason: `${receipts.length} new receipts after document ${expected.lastNumberBefore}: ${receipts.map((r) => r.number).join(', ')}` };
  }
  if (only.type !== 'receipt' || only.operation !== expected.operation || only.totalMinor !== expected.totalMinor) {
    return {
      outcome: 'ambiguous',
      reason: `document ${only.number} is ${only.type}/${only.operation ?? '?'} for ${only.totalMinor ?? '?'}, expected receipt/${expected.operation} for ${expected.totalMinor}`,
    };
  }
  return { outcome: 'printed', document: only };
}
