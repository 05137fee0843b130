import type { FiscalDocument } from '../../fiscal/documents';
import type { FfdReceipt } from '../../fiscal/ffdReceipt';
import { immediateTransaction } from '../../queue/database';
import type { HistoryStore, PendingPrint } from './historyStore';

/** What the scan needs of the fiscal driver: the ФН's number and last document, and one document by number. */
export interface FnReader {
  status(): Promise<{ fnNumber: string; lastDocumentNumber: number }>;
  /** 0xFF0A: type, operation and total of one document (main/fiscal/shtrih/PROTOCOL.md). */
  findDocument(number: number): Promise<FiscalDocument>;
  /** 0xFF3A/0xFF3B: a receipt with its positions and tenders, checked against 0xFF0A (main/fiscal/shtrih/documentReadback.ts). */
  readReceipt(number: number): Promise<FfdReceipt>;
}

export type ScanStep =
  /** The database accounts for more documents than this ФН holds: it belongs to another till or ФН. */
  | { kind: 'foreign'; fnNumber: string; lastOnFn: number; lastKnown: number }
  | { kind: 'progress'; fnNumber: string; lastOnFn: number; scannedTo: number; done: boolean };

type Verdict = 'accounted' | 'awaiting' | 'lost';

/**
 * One pass over the documents a ФН holds after the last one this database accounts for, a few at a time
 * (each step is one short turn on the printer, so status polls and receipts are not held up by a long
 * read-back). Each document is judged:
 * - anything but a refund receipt (shift reports, sale receipts of other software on a shared printer)
 *   carries nothing of ours that could be lost;
 * - a refund receipt whose number and fiscal sign a refund row recorded is ours and known;
 * - one a refund still waiting for the printer's verdict may own (same total, printed after its recorded
 *   last document) is left for the saga's reconciliation: the stored position stops before it, so the
 *   next pass looks at it again;
 * - any other refund receipt is history this database lost: recorded as recovered, with its total, its
 *   positions and its tenders read back from the ФН (0xFF3A/0xFF3B).
 * Receipts are read back before anything is committed, so a receipt that cannot be read (damaged bytes,
 * the printer gone) leaves the history exactly as it was. Findings and the advanced position commit
 * together after each step: a crash resumes, never skips.
 */
export class FnHistoryScan {
  private fnNumber: string | undefined;
  private next = 1;
  private held = false;

  constructor(private readonly store: HistoryStore, private readonly perStep: number) {}

  async step(reader: FnReader): Promise<ScanStep> {
    const status = await reader.status();
    const fn = status.fnNumber;
    const known = this.store.lastKnown(fn);
    if (known !== undefined && known > status.lastDocumentNumber) {
      return { kind: 'foreign', fnNumber: fn, lastOnFn: status.lastDocumentNumber, lastKnown: known };
    }
    if (this.fnNumber !== fn) {
      // First step, or the ФН was replaced between steps: start from what the database knows of this one.
      this.fnNumber = fn;
      this.next = (known ?? 0) + 1;
      this.held = false;
    }
    const last = Math.min(status.lastDocumentNumber, this.next + this.perStep - 1);
    const docs: FiscalDocument[] = [];
    for (let n = this.next; n <= last; n++) docs.push(await reader.findDocument(n));
    const before = this.store.pendingPrints();
    const receipts = new Map<number, FfdReceipt>();
    for (const doc of docs) if (this.judge(doc, before) === 'lost') receipts.set(doc.number, await reader.readReceipt(doc.number));
    immediateTransaction(this.store.db, () => {
      const pending = this.store.pendingPrints();
      // The drive is remembered from its first sighting, even before it holds a document.
      if (known === undefined) this.store.advance(fn, 0);
      for (const doc of docs) {
        const verdict = this.judge(doc, pending);
        const receipt = receipts.get(doc.number);
        if (verdict === 'lost' && receipt) this.store.recordRecovered(fn, doc, receipt);
        // Lost only now (a pending refund settled while the receipt was read): read on the next pass.
        if (verdict === 'awaiting' || (verdict === 'lost' && !receipt)) this.held = true;
        if (!this.held) this.store.advance(fn, doc.number);
      }
    });
    this.next = last + 1;
    return { kind: 'progress', fnNumber: fn, lastOnFn: status.lastDocumentNumber, scannedTo: last, done: last >= status.lastDocumentNumber };
  }

  private judge(doc: FiscalDocument, pending: readonly PendingPrint[]): Verdict {
    if (doc.type !== 'receipt' || doc.operation !== 'refundOfIncome') return 'accounted';
    if (this.store.ownerOf(doc) !== undefined) return 'accounted';
    const mayOwn = pending.some((p) => p.totalMinor === doc.totalMinor && (p.docNumberBefore === null || p.docNumberBefore < doc.number));
    return mayOwn ? 'awaiting' : 'lost';
  }
}
