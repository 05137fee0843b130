import type { Migration } from '../database';

/**
 * Indexes shaped so a job that simply succeeds changes as few pages as possible. The worker commits
 * once per job (outcome of one, claim of the next), and on the drain bench each 4 KB page in that commit
 * cost about 5 µs in a tight loop and more between HTTP calls (bench/queue.bench.ts). Version 1 indexed
 * `state` over every row and `pending` jobs per back end, so every job moved entries pending → running
 * → done through three regions of one index and out of another: about 4 WAL frames per commit.
 *
 * - outbox_jobs_open keeps a job from enqueue until it is done or dead with a key that never changes
 *   (back end, id): claiming it writes nothing here and completing it deletes one entry, on the same
 *   leaf as the next job's. Claims, due checks, reclaims and the pending/running counts read it.
 *   Written as OR, not IN: SQLite uses a partial index only when the query's WHERE implies the
 *   index's, and its implication check handles OR terms, not IN lists.
 * - outbox_jobs_dead lists the few dead jobs for the sync panel; a job that succeeds never touches it.
 * - `done` is counted as all rows minus the others (SQLite counts a whole table from its smallest
 *   index, as the old GROUP BY state did from the state index).
 *
 * Result: about 2 frames per commit.
 */
export const outboxIndexesMigration: Migration = {
  version: 3,
  name: 'outbox indexes',
  up: `
    DROP INDEX outbox_jobs_pending;
    DROP INDEX outbox_jobs_state;
    CREATE INDEX outbox_jobs_open ON outbox_jobs (backend, id) WHERE state = 'pending' OR state = 'running';
    CREATE INDEX outbox_jobs_dead ON outbox_jobs (id) WHERE state = 'dead';
  `,
};
