import type { CallOptions, LifePosClient } from '../../backends/lifepos/lifePosClient';
import { SESSION_TYPE } from '../../backends/lifepos/schemas';
import type { RecoveredReceipt } from './historyStore';

export interface Attribution {
  receipt: RecoveredReceipt;
  /** The session's external_id: the id this till gave the refund before its database was lost. */
  refundId: string;
  dealGuid: string;
}

/** The client calls the search uses (seed 000: deals by creation date, a deal's sessions, both paged). */
export type LifePosHistory = Pick<LifePosClient, 'deals' | 'sessions'>;

const DAY_MS = 86_400_000;

/**
 * Finds, for refund receipts read back from the ФН, the LIFE POS reversal sessions that carry them (the
 * receipt data our LIFE POS job PATCHed: fiscal document number and sign, seed 000). A found session
 * names the refund (external_id) and the sale (its deal). Seed 000 has no search by receipt, so the
 * search pages through the deals created from `lookbackDays` before the oldest receipt until now
 * (a sale is refunded after it was made) and through each deal's sessions, archived ones included.
 * A receipt found nowhere was never synced (a LIFE PAY or local sale, or a LIFE POS refund whose outbox
 * job was lost with the database); the caller records it as recovered without a sale.
 */
export async function findInLifePos(
  client: LifePosHistory, receipts: readonly RecoveredReceipt[], lookbackDays: number, call: CallOptions = {},
): Promise<Attribution[]> {
  if (receipts.length === 0) return [];
  const oldest = Math.min(...receipts.map((r) => new Date(r.dateTime).getTime()));
  const wanted = new Map(receipts.map((r) => [`${r.number}/${r.fiscalSign}`, r]));
  const found: Attribution[] = [];
  for await (const deal of client.deals({ createdFrom: new Date(oldest - lookbackDays * DAY_MS).toISOString() }, call)) {
    for await (const session of client.sessions(deal.guid, { selection: 'all' }, call)) {
      const data = session.receipt;
      if (session.type_of !== SESSION_TYPE.reversal || !data || !session.external_id) continue;
      // A refund printed as several receipts lists them all (main/backends/README.md, issue 20).
      for (const receipt of data.receipts ?? [data]) {
        const r = wanted.get(`${receipt.fiscal_document_number}/${receipt.fiscal_sign}`);
        if (!r || (receipt.fiscal_drive_number !== undefined && receipt.fiscal_drive_number !== r.fnNumber)) continue;
        found.push({ receipt: r, refundId: session.external_id, dealGuid: deal.guid });
        wanted.delete(`${receipt.fiscal_document_number}/${receipt.fiscal_sign}`);
      }
      if (wanted.size === 0) return found;
    }
  }
  return found;
}
