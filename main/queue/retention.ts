import type { RetentionSettings } from '../settings/retentionSettings';
import { immediateTransaction, type Database } from './database';

/**
 * Removes what the till no longer needs from its database: outbox jobs that finished long ago and sales
 * cached from a back end that nobody has looked at for months. Refunds, their lines and tenders are
 * never removed: they are the till's history. Dead, pending and running jobs are never removed either.
 *
 * - A done job is kept while another job names it in depends_on (its stored result feeds that job, and
 *   the foreign key forbids it). Jobs are visited in windows of ids, oldest first, and within a window
 *   newest first, so a chain's dependents go before the job they depend on; a chain cut by a window's
 *   edge leaves its first job for the next clean-up. Each delete re-checks that nothing depends on it.
 * - A cached sale is kept while one of its refunds is still under way (not synced or failed): finishing
 *   that refund reads the sale again.
 * - Work goes in short steps — one window of jobs (a range scan of the primary key, never the whole
 *   table) or one batch of sales (by the seen_at index), each in its own transaction — with a turn of the
 *   event loop between them, so even the first clean-up of a year-old database never holds the thread or
 *   the write lock for long while the cashier works.
 */
export type DatabaseRetention = Pick<RetentionSettings, 'doneJobsDays' | 'seenSalesDays'>;

export interface PrunedRows {
  doneJobs: number;
  seenSales: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Checked again at delete time: a cashier may have started a refund of that sale since it was picked. */
const NO_REFUND_UNDER_WAY = `NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sale_source = s.source AND r.sale_id = s.id AND r.state NOT IN ('synced', 'failed'))`;

export interface PruneOptions {
  /** Asked before every step: true ends the clean-up there (the database is about to close). */
  stopped?: () => boolean;
  /** Rows per step: ids per window of jobs, sales per batch. */
  stepRows?: number;
}

export async function pruneDatabase(db: Database, policy: DatabaseRetention, now: number, opts: PruneOptions = {}): Promise<PrunedRows> {
  const stopped = opts.stopped ?? (() => false);
  const step = opts.stepRows ?? 1000;
  const q = {
    firstFrom: db.prepare('SELECT id, created_at FROM outbox_jobs WHERE id >= ? ORDER BY id LIMIT 1'),
    oldJobsIn: db.prepare(`SELECT id FROM outbox_jobs WHERE id >= ? AND id < ? AND state = 'done' AND updated_at < ? ORDER BY id DESC`).pluck(),
    deleteJob: db.prepare(`
      DELETE FROM outbox_jobs WHERE id = ? AND state = 'done'
        AND NOT EXISTS (SELECT 1 FROM outbox_jobs d WHERE d.depends_on = outbox_jobs.idempotency_key)`),
    oldSales: db.prepare(`SELECT rowid FROM sales_seen s WHERE seen_at < ? AND ${NO_REFUND_UNDER_WAY} ORDER BY seen_at LIMIT ?`).pluck(),
    deleteSale: db.prepare(`DELETE FROM sales_seen AS s WHERE rowid = ? AND seen_at < ? AND ${NO_REFUND_UNDER_WAY}`),
  };
  const jobCutoff = now - policy.doneJobsDays * DAY_MS;
  const saleCutoff = now - policy.seenSalesDays * DAY_MS;
  const pruned: PrunedRows = { doneJobs: 0, seenSales: 0 };

  // Ids grow with created_at, and a job is done after it was created: past the first job created after
  // the cut-off, no job can be old enough.
  for (let from = 0; !stopped();) {
    const first = q.firstFrom.get(from) as { id: number; created_at: number } | undefined;
    if (!first || first.created_at >= jobCutoff) break;
    const ids = q.oldJobsIn.all(first.id, first.id + step, jobCutoff) as number[];
    pruned.doneJobs += immediateTransaction(db, () => ids.reduce((n, id) => n + q.deleteJob.run(id).changes, 0));
    from = first.id + step;
    await nextTurn();
  }
  while (!stopped()) {
    const rowids = q.oldSales.all(saleCutoff, step) as number[];
    pruned.seenSales += immediateTransaction(db, () => rowids.reduce((n, rowid) => n + q.deleteSale.run(rowid, saleCutoff).changes, 0));
    if (rowids.length < step) break;
    await nextTurn();
  }
  return pruned;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
