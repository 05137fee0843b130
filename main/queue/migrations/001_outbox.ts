import type { Migration } from '../database';

/**
 * The outbox table, shaped like graphile-worker's jobs table: a unique idempotency key made by the
 * caller, attempts against max_attempts, run_at for backoff, last_error, and a lease (locked_at /
 * locked_by) so a crash's orphans are found by who claimed them, not by when they were created.
 * depends_on names another job's idempotency key; its stored `result` feeds the dependent job.
 */
export const outboxMigration: Migration = {
  version: 1,
  name: 'outbox',
  up: `
    CREATE TABLE outbox_jobs (
      id              INTEGER PRIMARY KEY,
      kind            TEXT    NOT NULL,
      backend         TEXT    NOT NULL,
      idempotency_key TEXT    NOT NULL UNIQUE,
      payload         TEXT    NOT NULL,
      depends_on      TEXT    REFERENCES outbox_jobs (idempotency_key),
      state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'dead')),
      attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts    INTEGER CHECK (max_attempts IS NULL OR max_attempts > 0),
      run_at          INTEGER NOT NULL,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL,
      locked_at       INTEGER,
      locked_by       TEXT,
      last_error      TEXT,
      dead_reason     TEXT,
      result          TEXT
    ) STRICT;
    CREATE INDEX outbox_jobs_pending ON outbox_jobs (backend, id) WHERE state = 'pending';
    CREATE INDEX outbox_jobs_state ON outbox_jobs (state);
    CREATE INDEX outbox_jobs_depends_on ON outbox_jobs (depends_on) WHERE depends_on IS NOT NULL;
  `,
};
