import { z } from 'zod';
import type { Database } from '../../queue/database';
import type { FiscalDocument } from '../../fiscal/documents';
import type { FfdReceipt } from '../../fiscal/ffdReceipt';
import { VatRate, type SaleRef } from '../../../preload/contract';

/** A refund receipt the ФН holds and no refund row explains (a lost, emptied or stale database). */
export interface RecoveredReceipt {
  fnNumber: string;
  number: number;
  fiscalSign: string;
  /** ISO local time with minute precision, as the ФН keeps it. */
  dateTime: string;
  operation: string;
  totalMinor: number;
  /** Our refund id, when a LIFE POS reversal session carries this receipt (its external_id). */
  refundId: string | null;
  sale: SaleRef | null;
  /** LIFE POS was asked about it (whether or not a session was found). */
  lifePosChecked: boolean;
  /** Its positions and tenders were read back from the ФН (0xFF3A/0xFF3B) and stored. */
  positionsRead: boolean;
  positions: RecoveredLine[];
  tenders: RecoveredTenders | null;
}

/** A position of a recovered receipt as the ФН recorded it. */
export interface RecoveredLine {
  name: string;
  priceMinor: number;
  quantityMilli: number;
  amountMinor: number;
  /** null: a tag 1199 value this program does not know. */
  vat: VatRate | null;
}

export type RecoveredTenders = FfdReceipt['tenders'];

/** A refund this database knows that may own a receipt it has not recorded yet (printing was interrupted). */
export interface PendingPrint {
  id: string;
  totalMinor: number;
  docNumberBefore: number | null;
}

const DriveRow = z.object({ last_known_document: z.number().int() });
const ReceiptRow = z.object({
  fn_number: z.string(),
  number: z.number().int(),
  fiscal_sign: z.string(),
  date_time: z.string(),
  operation: z.string(),
  total_minor: z.number().int(),
  refund_id: z.string().nullable(),
  sale_source: z.enum(['lifepos', 'lifepay', 'regos']).nullable(),
  sale_id: z.string().nullable(),
  lifepos_checked: z.number().int(),
  positions_read: z.number().int(),
  tenders: z.string().nullable(),
});
const LineRow = z.object({
  fn_number: z.string(), number: z.number().int(), name: z.string(), price_minor: z.number().int(), quantity_milli: z.number().int(),
  amount_minor: z.number().int(), vat: VatRate.nullable(),
});
const Tenders = z.object({ cashMinor: z.number().int(), electronicMinor: z.number().int(), prepaymentMinor: z.number().int(), creditMinor: z.number().int(), counterMinor: z.number().int() });
const DismissalRow = z.object({ fn_number: z.string(), number: z.number().int(), sale_source: z.string(), sale_id: z.string() });
const PendingRow = z.object({ id: z.string(), total_minor: z.number().int(), doc_number_before: z.number().int().nullable() });

/**
 * The till's identity as its ФН sees it (tables from migration 005): per fiscal drive, the last document
 * number this database accounts for, and the refund receipts read back from the ФН that no refund row
 * explains. Writes never open their own transaction; the scan groups them.
 */
export class HistoryStore {
  private readonly q;

  constructor(readonly db: Database, private readonly now: () => number = Date.now) {
    this.q = {
      drive: db.prepare('SELECT last_known_document FROM till_fiscal_drives WHERE fn_number = ?'),
      advance: db.prepare(`
        INSERT INTO till_fiscal_drives (fn_number, last_known_document, first_seen_at, updated_at) VALUES (@fn, @number, @now, @now)
        ON CONFLICT (fn_number) DO UPDATE SET last_known_document = max(last_known_document, @number), updated_at = @now`),
      record: db.prepare(`
        INSERT INTO fiscal_refund_documents (fn_number, number, fiscal_sign, date_time, operation, total_minor, recovered_at)
        VALUES (@fn, @number, @sign, @dateTime, @operation, @total, @now) ON CONFLICT DO NOTHING`),
      recovered: db.prepare('SELECT * FROM fiscal_refund_documents ORDER BY fn_number, number'),
      lines: db.prepare('SELECT * FROM fiscal_refund_document_lines ORDER BY fn_number, number, line_no'),
      addLine: db.prepare(`
        INSERT INTO fiscal_refund_document_lines (fn_number, number, line_no, name, price_minor, quantity_milli, amount_minor, vat)
        VALUES (@fn, @number, @lineNo, @name, @price, @quantity, @amount, @vat) ON CONFLICT DO NOTHING`),
      positionsRead: db.prepare('UPDATE fiscal_refund_documents SET positions_read = 1, tenders = @tenders WHERE fn_number = @fn AND number = @number'),
      assign: db.prepare(`
        UPDATE fiscal_refund_documents SET sale_source = @source, sale_id = @saleId
         WHERE fn_number = @fn AND number = @number AND sale_id IS NULL`),
      dismiss: db.prepare(`
        INSERT INTO fiscal_refund_document_dismissals (fn_number, number, sale_source, sale_id, decided_at)
        VALUES (@fn, @number, @source, @saleId, @now) ON CONFLICT DO NOTHING`),
      dismissals: db.prepare('SELECT * FROM fiscal_refund_document_dismissals'),
      isRecovered: db.prepare('SELECT 1 FROM fiscal_refund_documents WHERE fn_number = ? AND number = ?'),
      attribute: db.prepare(`
        UPDATE fiscal_refund_documents SET refund_id = @refundId, sale_source = @source, sale_id = @saleId, lifepos_checked = 1
         WHERE fn_number = @fn AND number = @number`),
      checked: db.prepare('UPDATE fiscal_refund_documents SET lifepos_checked = 1 WHERE fn_number = ? AND number = ?'),
      // A refund owns a ФН document when one of its receipts recorded that number and that fiscal sign.
      ownedBy: db.prepare(`
        SELECT refund_id FROM refund_receipts WHERE json_extract(fiscal, '$.number') = @number AND json_extract(fiscal, '$.fiscalSign') = @sign
        UNION ALL
        SELECT id FROM refunds WHERE json_extract(fiscal, '$.number') = @number AND json_extract(fiscal, '$.fiscalSign') = @sign
        LIMIT 1`).pluck(),
      // Each receipt of a pending refund not recorded yet may still be the one a document is (issue 20).
      pending: db.prepare(`
        SELECT r.id, p.total_minor, p.doc_number_before FROM refunds r JOIN refund_receipts p ON p.refund_id = r.id
         WHERE r.state IN ('confirmed', 'fiscalizing', 'review') AND r.sale_source <> 'regos' AND p.fiscal IS NULL`),
    };
  }

  lastKnown(fnNumber: string): number | undefined {
    const row = this.q.drive.get(fnNumber);
    return row === undefined ? undefined : DriveRow.parse(row).last_known_document;
  }

  /** Never moves back: a scan that stopped early must not forget what a later one accounted for. */
  advance(fnNumber: string, number: number): void {
    this.q.advance.run({ fn: fnNumber, number, now: this.now() });
  }

  /** A lost refund receipt with the positions and tenders the ФН holds for it (one transaction: the scan's). */
  recordRecovered(fnNumber: string, doc: FiscalDocument, receipt: FfdReceipt): void {
    this.q.record.run({
      fn: fnNumber, number: doc.number, sign: doc.fiscalSign, dateTime: doc.dateTime, operation: doc.operation ?? 'unknown',
      total: doc.totalMinor ?? 0, now: this.now(),
    });
    this.recordPositions({ fnNumber, number: doc.number }, receipt);
  }

  recordPositions(r: Pick<RecoveredReceipt, 'fnNumber' | 'number'>, receipt: FfdReceipt): void {
    for (const [i, p] of receipt.positions.entries()) {
      this.q.addLine.run({
        fn: r.fnNumber, number: r.number, lineNo: i + 1, name: p.name, price: p.priceMinor, quantity: p.quantityMilli, amount: p.amountMinor, vat: p.vat,
      });
    }
    this.q.positionsRead.run({ fn: r.fnNumber, number: r.number, tenders: JSON.stringify(receipt.tenders) });
  }

  /**
   * The cashier's word on a recovered receipt no sale is known for: a refund of `sale` (it counts there
   * from now on), or not a refund of it (it stops counting there). Only an unattributed receipt is assigned.
   */
  decide(r: Pick<RecoveredReceipt, 'fnNumber' | 'number'>, sale: SaleRef, belongs: boolean): void {
    if (belongs) this.q.assign.run({ fn: r.fnNumber, number: r.number, source: sale.source, saleId: sale.id });
    else this.q.dismiss.run({ fn: r.fnNumber, number: r.number, source: sale.source, saleId: sale.id, now: this.now() });
  }

  /** `fn/number/source/id` of every receipt the cashier said is not a refund of that sale. */
  dismissals(): Set<string> {
    return new Set(this.q.dismissals.all().map((raw) => {
      const d = DismissalRow.parse(raw);
      return dismissalKey(d.fn_number, d.number, { source: d.sale_source, id: d.sale_id });
    }));
  }

  isRecovered(fnNumber: string, number: number): boolean {
    return this.q.isRecovered.get(fnNumber, number) !== undefined;
  }

  recovered(): RecoveredReceipt[] {
    const lines = new Map<string, RecoveredLine[]>();
    for (const raw of this.q.lines.all()) {
      const l = LineRow.parse(raw);
      const key = `${l.fn_number}/${l.number}`;
      lines.set(key, [...(lines.get(key) ?? []), { name: l.name, priceMinor: l.price_minor, quantityMilli: l.quantity_milli, amountMinor: l.amount_minor, vat: l.vat }]);
    }
    return this.q.recovered.all().map((raw) => {
      const r = ReceiptRow.parse(raw);
      return {
        fnNumber: r.fn_number, number: r.number, fiscalSign: r.fiscal_sign, dateTime: r.date_time, operation: r.operation,
        totalMinor: r.total_minor, refundId: r.refund_id,
        sale: r.sale_source !== null && r.sale_id !== null ? { source: r.sale_source, id: r.sale_id } : null,
        lifePosChecked: r.lifepos_checked === 1,
        positionsRead: r.positions_read === 1,
        positions: lines.get(`${r.fn_number}/${r.number}`) ?? [],
        tenders: r.tenders === null ? null : Tenders.parse(JSON.parse(r.tenders)),
      };
    });
  }

  attribute(r: Pick<RecoveredReceipt, 'fnNumber' | 'number'>, refundId: string, sale: SaleRef): void {
    this.q.attribute.run({ fn: r.fnNumber, number: r.number, refundId, source: sale.source, saleId: sale.id });
  }

  markLifePosChecked(r: Pick<RecoveredReceipt, 'fnNumber' | 'number'>): void {
    this.q.checked.run(r.fnNumber, r.number);
  }

  ownerOf(doc: Pick<FiscalDocument, 'number' | 'fiscalSign'>): string | undefined {
    return this.q.ownedBy.get({ number: doc.number, sign: doc.fiscalSign }) as string | undefined;
  }

  pendingPrints(): PendingPrint[] {
    return this.q.pending.all().map((raw) => {
      const r = PendingRow.parse(raw);
      return { id: r.id, totalMinor: r.total_minor, docNumberBefore: r.doc_number_before };
    });
  }
}

export const dismissalKey = (fnNumber: string, number: number, sale: { source: string; id: string }): string => `${fnNumber}/${number}/${sale.source}/${sale.id}`;
