import { z } from 'zod';
import type { Database } from '../queue/database';
import { Sale, SaleSummary, type SaleRef } from '../../preload/contract';

/**
 * Every sale this terminal has looked up or made, as the back end last described it. When the network
 * is down, a recent sale is still found here and refunded against this record plus the local refunds.
 */
export class SeenSales {
  private readonly q;

  constructor(db: Database, private readonly now: () => number = Date.now) {
    this.q = {
      upsert: db.prepare(`INSERT INTO sales_seen (source, id, number, sale, seen_at) VALUES (?, ?, ?, ?, ?)
                          ON CONFLICT (source, id) DO UPDATE SET number = excluded.number, sale = excluded.sale, seen_at = excluded.seen_at`),
      get: db.prepare('SELECT sale FROM sales_seen WHERE source = ? AND id = ?'),
      byNumber: db.prepare('SELECT sale FROM sales_seen WHERE number = ? OR id = ? ORDER BY seen_at DESC LIMIT 1'),
      recent: db.prepare('SELECT sale FROM sales_seen ORDER BY seen_at DESC LIMIT ?'),
    };
  }

  remember(sale: Sale): void {
    this.q.upsert.run(sale.ref.source, sale.ref.id, sale.number, JSON.stringify(sale), this.now());
  }

  get(ref: SaleRef): Sale | null {
    return this.parse(this.q.get.get(ref.source, ref.id));
  }

  findByNumber(query: string): Sale | null {
    return this.parse(this.q.byNumber.get(query, query));
  }

  recent(limit: number): Sale[] {
    return this.q.recent.all(limit).map((row) => this.parse(row)).filter((s): s is Sale => s !== null);
  }

  summaries(limit: number): SaleSummary[] {
    return this.recent(limit).map((s) => ({
      ref: s.ref, number: s.number, createdAt: s.createdAt, currency: s.currency, totalMinor: s.totalMinor,
      fullyRefunded: s.lines.every((l) => l.refundableMilli === 0),
    }));
  }

  private parse(row: unknown): Sale | null {
    if (row === undefined) return null;
    const { sale } = z.object({ sale: z.string() }).parse(row);
    return Sale.parse(JSON.parse(sale));
  }
}
