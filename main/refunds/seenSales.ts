import { z } from 'zod';
import type { Database } from '../queue/database';
import { Sale, type SaleRef } from '../../preload/contract';

const Row = z.object({ sale: z.string(), known_refunds: z.string(), seen_at: z.number() });

export interface SeenSale {
  sale: Sale;
  /** Our refund ids already counted in `sale` by its back end. */
  knownToServer: ReadonlySet<string>;
  /** When the back end last described it (ms since epoch); set on reading, not by the caller. */
  seenAt?: number;
}

/**
 * Every sale this terminal has looked up or made, as the back end last described it. When the network
 * is down, a recent sale is still found here and refunded against this record plus the local refunds.
 */
export class SeenSales {
  private readonly q;

  constructor(db: Database, private readonly now: () => number = Date.now) {
    this.q = {
      upsert: db.prepare(`INSERT INTO sales_seen (source, id, number, sale, known_refunds, seen_at) VALUES (?, ?, ?, ?, ?, ?)
                          ON CONFLICT (source, id) DO UPDATE SET number = excluded.number, sale = excluded.sale,
                            known_refunds = excluded.known_refunds, seen_at = excluded.seen_at`),
      get: db.prepare('SELECT sale, known_refunds, seen_at FROM sales_seen WHERE source = ? AND id = ?'),
      byNumber: db.prepare('SELECT sale, known_refunds, seen_at FROM sales_seen WHERE number = ? OR id = ? ORDER BY seen_at DESC LIMIT 1'),
      recent: db.prepare('SELECT sale, known_refunds, seen_at FROM sales_seen ORDER BY seen_at DESC LIMIT ?'),
    };
  }

  /** Stores the sale as the back end described it, before this terminal's own refunds are added. */
  remember(record: SeenSale): void {
    const { sale } = record;
    this.q.upsert.run(sale.ref.source, sale.ref.id, sale.number, JSON.stringify(sale), JSON.stringify([...record.knownToServer]), this.now());
  }

  get(ref: SaleRef): SeenSale | null {
    return this.parse(this.q.get.get(ref.source, ref.id));
  }

  findByNumber(query: string): SeenSale | null {
    return this.parse(this.q.byNumber.get(query, query));
  }

  recent(limit: number): SeenSale[] {
    return this.q.recent.all(limit).map((row) => this.parse(row)).filter((s): s is SeenSale => s !== null);
  }

  private parse(row: unknown): SeenSale | null {
    if (row === undefined) return null;
    const { sale, known_refunds, seen_at } = Row.parse(row);
    return { sale: Sale.parse(JSON.parse(sale)), knownToServer: new Set(z.array(z.string()).parse(JSON.parse(known_refunds))), seenAt: seen_at };
  }
}
