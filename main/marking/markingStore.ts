import { z } from 'zod';
import type { Database } from '../queue/database';
import { markingKey } from '../../preload/contract/markingCode';
import type { RefundLine } from '../../preload/contract';

/**
 * The codes each refund gives back, one row per unit (README.md §Exactly once). Written in the refund's
 * own transaction; a code counts as refunded while its refund is anything but failed (a failed refund is
 * proven not printed, and a cancelled one is failed), so a code is never refunded twice on this till.
 */
const CodeRow = z.object({ line_id: z.string(), code: z.string() });
const TakenRow = z.object({ code_key: z.string(), refund_id: z.string() });

export class MarkingStore {
  private readonly q;

  constructor(private readonly db: Database) {
    this.q = {
      insert: db.prepare('INSERT INTO refund_marking_codes (refund_id, line_id, unit, code, code_key) VALUES (?, ?, ?, ?, ?)'),
      ofRefund: db.prepare('SELECT line_id, code FROM refund_marking_codes WHERE refund_id = ? ORDER BY line_id, unit'),
    };
  }

  /** Inside the caller's transaction, with the refund's own rows. */
  record(refundId: string, lines: readonly RefundLine[]): void {
    for (const l of lines) (l.markingCodes ?? []).forEach((code, i) => this.q.insert.run(refundId, l.lineId, i + 1, code, markingKey(code)));
  }

  /** Of these code keys, those a refund not failed holds: key → refund id. */
  refundedKeys(keys: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT c.code_key, c.refund_id FROM refund_marking_codes c JOIN refunds r ON r.id = c.refund_id
                WHERE r.state <> 'failed' AND c.code_key IN (${keys.map(() => '?').join(',')})`)
      .all(...keys);
    for (const raw of rows) {
      const row = TakenRow.parse(raw);
      out.set(row.code_key, row.refund_id);
    }
    return out;
  }

  /** The refund's lines with their codes back on them (the refund tables keep lines without codes). */
  withCodes<T extends { id: string; lines: readonly RefundLine[] }>(r: T): T {
    const byLine = new Map<string, string[]>();
    for (const raw of this.q.ofRefund.all(r.id)) {
      const row = CodeRow.parse(raw);
      byLine.set(row.line_id, [...(byLine.get(row.line_id) ?? []), row.code]);
    }
    if (byLine.size === 0) return r;
    return { ...r, lines: r.lines.map((l) => (byLine.has(l.lineId) ? { ...l, markingCodes: byLine.get(l.lineId) } : l)) };
  }
}
