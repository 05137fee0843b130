import type { RetentionSettings } from '../settings/retentionSettings';
import { immediateTransaction, type Database } from './database';

/**
 * Removes what the till no longer needs from its database: outbox jobs that finished long ago and sales
 * cached from a back end that nobody has looked at for months. Refunds, their lines and tenders are
 * never removed: they are the till's history. Dead, pending and running jobs are never removed either.
 *
 * - A done job is kept while another job names it in depends_on (its stored result feeds that job, and
 *   the foreign key forbids it). Candidates go newest first, so a chain's dependents go before the job
 *   they depend on, and each delete re-checks that nothing depends on it any more.
 * - A cached sale is kept while one of its refunds is still under way (not synced or failed): finishing
 *   that refund reads the sale again.
 * - Deletes run in short transactions with a turn of the event loop between them, so a first clean-up of
 *   a year-old database never holds the write lock for long while the cashier works.
 */
export type DatabaseRetention = Pick<RetentionSettings, 'doneJobsDays' | 'seenSalesDays'>;

export interface PrunedRows {
  doneJobs: number;
  seenSales: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Checked again at delete time: a cashier may have started a refund of that sale since it was picked. */
const NO_REFUND_UNDER_WAY = `NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sale_source = s.source AND r.sale_id = s.id AND r.state NOT IN ('synced', 'failed'))`;
const BATCH = 500;

export async function pruneDatabase(db: Database, policy: DatabaseRetention, now: number, stopped: () => boolean = () => false): Promise<PrunedRows> {
  const q = {
    oldJobs: db.prepare(`SELECT id FROM outbox_jobs WHERE state = 'done' AND updated_at < ? ORDER BY id DESC`).pluck(),
    deleteJob: db.prepare(`
      DELETE FROM outbox_jobs WHERE id = ? AND state = 'done'
        AND NOT EXISTS (SELECT 1 FROM outbox_jobs d WHERE d.depends_on = outbox_jobs.idempotency_key)`),
    oldSales: db.prepare(`SELECT rowid FROM sales_seen s WHERE seen_at < ? AND ${NO_REFUND_UNDER_WAY}`).pluck(),
    deleteSale: db.prepare(`DELETE FROM sales_seen AS s WHERE rowid = ? AND seen_at < ? AND ${NO_REFUND_UNDER_WAY}`),
  };
  const jobCutoff = now - policy.doneJobsDays * DAY_MS;
  const saleCutoff = now - policy.seenSalesDays * DAY_MS;
  const doneJobs = await inBatches(db, q.oldJobs.all(jobCutoff) as number[], (id) => q.deleteJob.run(id).changes, stopped);
  const seenSales = stopped() ? 0 : await inBatches(db, q.oldSales.all(saleCutoff) as number[], (rowid) => q.deleteSale.run(rowid, saleCutoff).changes, stopped);
  return { doneJobs, seenSales };
}

async function inBatches(db: Database, ids: number[], remove: (id: number) => number, stopped: () => boolean): Promise<number> {
  let removed = 0;
  for (let i = 0; i < ids.length && !stopped(); i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    removed += immediateTransaction(db, () => batch.reduce((n, id) => n + remove(id), 0));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return removed;
}
