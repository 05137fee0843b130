import { z } from 'zod';
import type { Database } from '../queue/database';
import { RegosReceiptParams } from '../backends/regos/schemas';
import { storedMainText } from '../storedMainText';
import {
  InstalmentPhone, InstalmentState, InstalmentTender, SaleRef, type InstalmentPayment, type MainText,
} from '../../preload/contract';

const Row = z.object({
  id: z.string(),
  sale_source: z.string(),
  sale_id: z.string(),
  sale_number: z.string(),
  amount_minor: z.number().int(),
  tenders: z.string(),
  phone: z.string().nullable(),
  params: z.string(),
  state: InstalmentState,
  vcr_id: z.string().nullable(),
  reason: z.string().nullable(),
  reason_text: z.string().nullable(),
  created_at: z.number().int(),
  credited_to_date: z.number().int(),
});

/** A stored credit receipt and the exact request that goes (or went) to VCR under its code. */
export interface StoredInstalment {
  view: InstalmentPayment;
  params: RegosReceiptParams;
}

export interface NewInstalment {
  id: string;
  sale: z.infer<typeof SaleRef>;
  saleNumber: string;
  amountMinor: number;
  tenders: InstalmentTender[];
  phone: string | undefined;
  params: RegosReceiptParams;
}

// What this till registered for the sale up to this row (rowid order is the order of taking).
const SELECT = `
  SELECT p.*, (SELECT COALESCE(SUM(q.amount_minor), 0) FROM instalment_payments q
               WHERE q.sale_source = p.sale_source AND q.sale_id = p.sale_id AND q.state = 'registered' AND q.rowid <= p.rowid) AS credited_to_date
  FROM instalment_payments p`;

/** Instalment part-payments in SQLite (migration 006): one row per credit receipt code. */
export class InstalmentStore {
  private readonly q;

  constructor(db: Database, private readonly now: () => number = Date.now) {
    this.q = {
      insert: db.prepare(`INSERT INTO instalment_payments (id, sale_source, sale_id, sale_number, amount_minor, tenders, phone, params, state, created_at, updated_at)
                          VALUES (@id, @source, @saleId, @number, @amount, @tenders, @phone, @params, 'sending', @now, @now)`),
      get: db.prepare(`${SELECT} WHERE p.id = ?`),
      forSale: db.prepare(`${SELECT} WHERE p.sale_source = ? AND p.sale_id = ? ORDER BY p.rowid`),
      recent: db.prepare(`${SELECT} ORDER BY p.rowid DESC LIMIT ?`),
      sending: db.prepare(`${SELECT} WHERE p.state = 'sending' ORDER BY p.rowid`),
      registered: db.prepare(`UPDATE instalment_payments SET state = 'registered', vcr_id = ?, reason = NULL, reason_text = NULL, updated_at = ? WHERE id = ? AND state = 'sending'`),
      failed: db.prepare(`UPDATE instalment_payments SET state = 'failed', reason = ?, reason_text = ?, updated_at = ? WHERE id = ? AND state = 'sending'`),
      waiting: db.prepare(`UPDATE instalment_payments SET reason = ?, reason_text = NULL, updated_at = ? WHERE id = ? AND state = 'sending'`),
    };
  }

  /** Recorded before anything is sent: a receipt VCR may hold is never one this till does not know of. */
  insert(n: NewInstalment): void {
    this.q.insert.run({
      id: n.id, source: n.sale.source, saleId: n.sale.id, number: n.saleNumber, amount: n.amountMinor,
      tenders: JSON.stringify(n.tenders), phone: n.phone ?? null, params: JSON.stringify(n.params), now: this.now(),
    });
  }

  get(id: string): StoredInstalment | null {
    const row = this.q.get.get(id);
    return row === undefined ? null : parse(row);
  }

  forSale(ref: z.infer<typeof SaleRef>): StoredInstalment[] {
    return this.q.forSale.all(ref.source, ref.id).map(parse);
  }

  recent(limit: number): StoredInstalment[] {
    return this.q.recent.all(limit).map(parse);
  }

  sending(): StoredInstalment[] {
    return this.q.sending.all().map(parse);
  }

  /** Only a row still sending changes: a late answer never rewrites a settled one. */
  markRegistered(id: string, vcrId: string): void {
    this.q.registered.run(vcrId, this.now(), id);
  }

  /** said: the reason as a code with values when it quotes VCR's error (migration 13), beside the Russian text. */
  markFailed(id: string, reason: string, said?: MainText): void {
    this.q.failed.run(reason, said ? JSON.stringify(said) : null, this.now(), id);
  }

  markWaiting(id: string, reason: string): void {
    this.q.waiting.run(reason, this.now(), id);
  }
}

function parse(raw: unknown): StoredInstalment {
  const r = Row.parse(raw);
  return {
    view: {
      id: r.id,
      sale: SaleRef.parse({ source: r.sale_source, id: r.sale_id }),
      saleNumber: r.sale_number,
      amountMinor: r.amount_minor,
      tenders: z.array(InstalmentTender).parse(JSON.parse(r.tenders)),
      ...(r.phone ? { phone: InstalmentPhone.parse(r.phone) } : {}),
      state: r.state,
      ...(r.vcr_id ? { vcrId: r.vcr_id } : {}),
      ...(r.reason ? { reason: r.reason, ...storedMainText(r.reason_text) } : {}),
      createdAt: new Date(r.created_at).toISOString(),
      creditedToDateMinor: r.credited_to_date,
    },
    params: RegosReceiptParams.parse(JSON.parse(r.params)),
  };
}
