import { z } from 'zod';
import type { Database } from '../queue/database';
import { TENDER_RULES } from './tenderKinds';
import type { PlannedReceipt, TenderShare } from './receiptPlan';
import { MarkingStore } from '../marking/markingStore';
import { storedMainText } from '../storedMainText';
import {
  Currency, FiscalDocumentView, ItemSign, MainText, PaymentMethod, RecoveredHow, RefundState, SaleSource, TenderKind, VatRate,
  type Refund, type RefundLine, type RefundTender, type SaleRef,
} from '../../preload/contract';

/**
 * The refunds table and its lines and tenders. Every read parses rows with zod: a row that does not fit
 * is a loud error, never a refund shown with made-up fields. Writes never open their own transaction:
 * the saga wraps them together with the outbox jobs they start.
 */
const RefundRow = z.object({
  id: z.string(),
  sale_source: SaleSource,
  sale_id: z.string(),
  sale_number: z.string(),
  currency: Currency,
  state: RefundState,
  total_minor: z.number().int(),
  doc_number_before: z.number().int().nullable(),
  fiscal: z.string().nullable(),
  reason: z.string().nullable(),
  reason_text: z.string().nullable(),
  print_attempts: z.number().int(),
  recovered: RecoveredHow.nullable(),
  recovered_seen: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
const LineRow = z.object({
  line_id: z.string(), name: z.string(), quantity_milli: z.number().int(), amount_minor: z.number().int(),
  vat: VatRate, payment_method: PaymentMethod, item_sign: ItemSign,
});
const TenderRow = z.object({
  payment_part_id: z.string(), kind: TenderKind, amount_minor: z.number().int(), rrn: z.string().nullable(),
});
const ReceiptRow = z.object({
  seq: z.number().int(), line_ids: z.string(), tenders: z.string(), total_minor: z.number().int(),
  doc_number_before: z.number().int().nullable(), fiscal: z.string().nullable(),
});
const LineIds = z.array(z.string());
const TenderShares = z.array(z.object({ paymentPartId: z.string(), amountMinor: z.number().int().nonnegative() }));

/** One receipt of a refund (migration 007): its share of the refund and how far its printing got. */
export interface StoredReceipt {
  seq: number;
  lineIds: string[];
  tenders: TenderShare[];
  totalMinor: number;
  /** Set with `fiscal` empty: this receipt may be in the ФН and is judged by the device before anything else. */
  docNumberBefore: number | null;
  fiscal: z.infer<typeof FiscalDocumentView> | null;
}

export interface StoredRefund extends Refund {
  docNumberBefore: number | null;
  printAttempts: number;
  /** Set when recovery settled it with nobody watching; `recoveredSeen` once the cashier has read it. */
  recovered: RecoveredHow | null;
  recoveredSeen: boolean;
}

export interface NewRefund {
  id: string;
  sale: SaleRef;
  saleNumber: string;
  currency: Currency;
  lines: RefundLine[];
  tenders: RefundTender[];
  totalMinor: number;
  /** The receipts the device needs for it, in print order (./receiptPlan.ts); absent: one receipt. */
  receipts?: readonly PlannedReceipt[];
}

export interface StatePatch {
  docNumberBefore?: number;
  fiscal?: z.infer<typeof FiscalDocumentView>;
  reason?: string | null;
  /** The reason as a code with values; a new `reason` without one clears the old one. */
  reasonText?: MainText;
  countPrintAttempt?: boolean;
  /** Recovery settled it: show it to the cashier once. */
  recovered?: RecoveredHow;
}

/** States whose money counts against the sale's remainder (a failed refund gave nothing back). */
const COUNTING_STATES = ['confirmed', 'fiscalizing', 'fiscalized', 'synced', 'review'] as const;

export class RefundStore {
  private readonly q;
  /** The marking code of each unit a line gives back (main/marking/README.md), kept with the line. */
  readonly marking: MarkingStore;

  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {
    this.marking = new MarkingStore(db);
    this.q = {
      insert: db.prepare(`INSERT INTO refunds (id, sale_source, sale_id, sale_number, currency, state, total_minor, created_at, updated_at)
                          VALUES (@id, @source, @saleId, @saleNumber, @currency, 'confirmed', @total, @now, @now)`),
      insertLine: db.prepare(`INSERT INTO refund_lines (refund_id, line_id, name, quantity_milli, amount_minor, vat, payment_method, item_sign)
                              VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      insertTender: db.prepare('INSERT INTO refund_tenders (refund_id, payment_part_id, kind, amount_minor, rrn) VALUES (?, ?, ?, ?, ?)'),
      insertReceipt: db.prepare('INSERT INTO refund_receipts (refund_id, seq, line_ids, tenders, total_minor) VALUES (?, ?, ?, ?, ?)'),
      receipts: db.prepare('SELECT * FROM refund_receipts WHERE refund_id = ? ORDER BY seq'),
      receiptSent: db.prepare('UPDATE refund_receipts SET doc_number_before = ? WHERE refund_id = ? AND seq = ? AND fiscal IS NULL'),
      receiptPrinted: db.prepare('UPDATE refund_receipts SET fiscal = ? WHERE refund_id = ? AND seq = ? AND fiscal IS NULL'),
      get: db.prepare('SELECT * FROM refunds WHERE id = ?'),
      lines: db.prepare('SELECT * FROM refund_lines WHERE refund_id = ? ORDER BY rowid'),
      tenders: db.prepare('SELECT * FROM refund_tenders WHERE refund_id = ? ORDER BY rowid'),
      byState: db.prepare('SELECT id FROM refunds WHERE state = ? ORDER BY created_at'),
      recent: db.prepare('SELECT id FROM refunds ORDER BY created_at DESC LIMIT ?'),
      forSale: db.prepare(`SELECT id FROM refunds WHERE sale_source = ? AND sale_id = ? AND state IN (${COUNTING_STATES.map(() => '?').join(',')})`),
      setState: db.prepare(`UPDATE refunds SET state = @state, updated_at = @now,
                              doc_number_before = COALESCE(@docNumberBefore, doc_number_before),
                              fiscal = COALESCE(@fiscal, fiscal),
                              reason = CASE WHEN @clearReason THEN NULL ELSE COALESCE(@reason, reason) END,
                              reason_text = CASE WHEN @clearReason OR @reason IS NOT NULL THEN @reasonText ELSE reason_text END,
                              print_attempts = print_attempts + @attempt,
                              recovered = COALESCE(@recovered, recovered)
                            WHERE id = @id AND (@from IS NULL OR state = @from)`),
      unseen: db.prepare('SELECT id FROM refunds WHERE recovered IS NOT NULL AND recovered_seen = 0 ORDER BY updated_at'),
      markSeen: db.prepare('UPDATE refunds SET recovered_seen = 1 WHERE id = ? AND recovered IS NOT NULL'),
    };
  }

  insertConfirmed(r: NewRefund): void {
    this.q.insert.run({ id: r.id, source: r.sale.source, saleId: r.sale.id, saleNumber: r.saleNumber, currency: r.currency, total: r.totalMinor, now: this.now() });
    for (const l of r.lines) this.q.insertLine.run(r.id, l.lineId, l.name, l.quantityMilli, l.amountMinor, l.vat, l.paymentMethod, l.itemSign);
    this.marking.record(r.id, r.lines);
    for (const t of r.tenders) this.q.insertTender.run(r.id, t.paymentPartId, t.kind, t.amountMinor, t.rrn ?? null);
    const whole: PlannedReceipt = { lineIds: r.lines.map((l) => l.lineId), tenders: r.tenders.map((t) => ({ paymentPartId: t.paymentPartId, amountMinor: t.amountMinor })), totalMinor: r.totalMinor };
    (r.receipts ?? [whole]).forEach((p, i) => this.q.insertReceipt.run(r.id, i + 1, JSON.stringify(p.lineIds), JSON.stringify(p.tenders), p.totalMinor));
  }

  receipts(id: string): StoredReceipt[] {
    return this.q.receipts.all(id).map((raw) => {
      const row = ReceiptRow.parse(raw);
      return {
        seq: row.seq,
        lineIds: LineIds.parse(JSON.parse(row.line_ids)),
        tenders: TenderShares.parse(JSON.parse(row.tenders)),
        totalMinor: row.total_minor,
        docNumberBefore: row.doc_number_before,
        fiscal: row.fiscal ? FiscalDocumentView.parse(JSON.parse(row.fiscal)) : null,
      };
    });
  }

  /**
   * The ФН's last document number before this receipt is sent (`null`: proven not in the ФН, nothing of
   * it sent). A printed receipt is never touched again.
   */
  setReceiptSent(id: string, seq: number, docNumberBefore: number | null): void {
    this.q.receiptSent.run(docNumberBefore, id, seq);
  }

  setReceiptPrinted(id: string, seq: number, fiscal: z.infer<typeof FiscalDocumentView>): void {
    if (this.q.receiptPrinted.run(JSON.stringify(fiscal), id, seq).changes !== 1) throw new Error(`receipt ${seq} of refund ${id} not found or printed already`);
  }

  setState(id: string, state: RefundState, patch: StatePatch = {}): void {
    if (this.update(id, null, state, patch) !== 1) throw new Error(`refund ${id} not found`);
  }

  /**
   * Moves the refund to `to` only if it is still in `from`; false when someone got there first (a cancel
   * racing the printer, a print racing a cancel). One statement, so no await can fall between the check
   * and the write.
   */
  transition(id: string, from: RefundState, to: RefundState, patch: StatePatch = {}): boolean {
    return this.update(id, from, to, patch) === 1;
  }

  /** Refunds recovery settled that the cashier has not been shown yet, oldest first. */
  unseenRecovered(): StoredRefund[] {
    return this.ids(this.q.unseen.all()).map((id) => this.require(id));
  }

  markRecoveredSeen(id: string): void {
    this.q.markSeen.run(id);
  }

  private update(id: string, from: RefundState | null, state: RefundState, patch: StatePatch): number {
    return this.q.setState.run({
      id, state, from, now: this.now(),
      docNumberBefore: patch.docNumberBefore ?? null,
      fiscal: patch.fiscal ? JSON.stringify(patch.fiscal) : null,
      reason: patch.reason ?? null,
      clearReason: patch.reason === null ? 1 : 0,
      reasonText: patch.reason && patch.reasonText ? JSON.stringify(patch.reasonText) : null,
      attempt: patch.countPrintAttempt ? 1 : 0,
      recovered: patch.recovered ?? null,
    }).changes;
  }

  get(id: string): StoredRefund | null {
    const raw = this.q.get.get(id);
    if (raw === undefined) return null;
    const row = RefundRow.parse(raw);
    const lines = this.q.lines.all(id).map((x) => LineRow.parse(x));
    const tenders = this.q.tenders.all(id).map((x) => TenderRow.parse(x));
    const receipts = this.receipts(id);
    const printed = receipts.flatMap((p) => (p.fiscal ? [p.fiscal] : []));
    const fiscal = row.fiscal ? FiscalDocumentView.parse(JSON.parse(row.fiscal)) : undefined;
    return this.marking.withCodes({
      id: row.id,
      sale: { source: row.sale_source, id: row.sale_id },
      saleNumber: row.sale_number,
      currency: row.currency,
      state: row.state,
      lines: lines.map((l) => ({ lineId: l.line_id, name: l.name, quantityMilli: l.quantity_milli, amountMinor: l.amount_minor, vat: l.vat, paymentMethod: l.payment_method, itemSign: l.item_sign })),
      tenders: tenders.map((t) => ({ paymentPartId: t.payment_part_id, kind: t.kind, amountMinor: t.amount_minor, needsCard: TENDER_RULES[t.kind].needsCard, ...(t.rrn ? { rrn: t.rrn } : {}) })),
      totalMinor: row.total_minor,
      ...(fiscal ? { fiscal } : {}),
      // A VCR refund is one receipt that VCR printed: its fiscal data is the refund's own.
      receipts: printed.length > 0 ? printed : fiscal ? [fiscal] : [],
      receiptCount: Math.max(1, receipts.length),
      ...(row.reason ? { reason: row.reason } : {}),
      ...storedMainText(row.reason_text),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      docNumberBefore: row.doc_number_before,
      printAttempts: row.print_attempts,
      recovered: row.recovered,
      recoveredSeen: row.recovered_seen === 1,
    });
  }

  require(id: string): StoredRefund {
    const r = this.get(id);
    if (!r) throw new Error(`refund ${id} not found`);
    return r;
  }

  inState(state: RefundState): StoredRefund[] {
    return this.ids(this.q.byState.all(state)).map((id) => this.require(id));
  }

  recent(limit: number): StoredRefund[] {
    return this.ids(this.q.recent.all(limit)).map((id) => this.require(id));
  }

  /** This terminal's refunds of a sale that still count against its remainder. */
  countingForSale(sale: SaleRef): StoredRefund[] {
    return this.ids(this.q.forSale.all(sale.source, sale.id, ...COUNTING_STATES)).map((id) => this.require(id));
  }

  private ids(rows: unknown[]): string[] {
    return rows.map((r) => z.object({ id: z.string() }).parse(r).id);
  }
}
