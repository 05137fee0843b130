import type { Migration } from '../database';

/**
 * Two facts that must outlive a retry, a restart and a clean-up.
 *
 * - `outbox_jobs.sent_attempts`: attempts ever started, the "maybe sent" mark (DESIGN.md, outbox). A
 *   manual retry of a dead job resets `attempts` (its budget), never this: a job whose earlier attempt
 *   may have reached its server looks before it creates again, however many times it is retried. Rows
 *   from before this step take their attempts so far as the mark.
 * - `till_fiscal_drives`: the till's identity as its ФН sees it — each fiscal drive this database has
 *   worked with and the last of its document numbers the database accounts for. A database that is
 *   missing, emptied or older than the ФН is noticed from the ФН's own numbers (main/refunds/history/).
 * - `fiscal_refund_documents`: refund receipts read back from the ФН that no refund row explains (a lost
 *   or stale database): their totals, and the LIFE POS reversal session that names them once found.
 */
export const sentMarkAndTillMigration: Migration = {
  version: 5,
  name: 'maybe-sent mark, till identity, recovered refund receipts',
  up: `
    ALTER TABLE outbox_jobs ADD COLUMN sent_attempts INTEGER NOT NULL DEFAULT 0 CHECK (sent_attempts >= 0);
    UPDATE outbox_jobs SET sent_attempts = attempts;

    CREATE TABLE till_fiscal_drives (
      fn_number           TEXT    PRIMARY KEY,
      last_known_document INTEGER NOT NULL CHECK (last_known_document >= 0),
      first_seen_at       INTEGER NOT NULL,
      updated_at          INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE fiscal_refund_documents (
      fn_number       TEXT    NOT NULL,
      number          INTEGER NOT NULL CHECK (number > 0),
      fiscal_sign     TEXT    NOT NULL,
      date_time       TEXT    NOT NULL,
      operation       TEXT    NOT NULL,
      total_minor     INTEGER NOT NULL CHECK (total_minor >= 0),
      -- Filled when a LIFE POS reversal session carries this receipt: its external_id is our refund id.
      refund_id       TEXT,
      sale_source     TEXT,
      sale_id         TEXT,
      lifepos_checked INTEGER NOT NULL DEFAULT 0 CHECK (lifepos_checked IN (0, 1)),
      recovered_at    INTEGER NOT NULL,
      PRIMARY KEY (fn_number, number)
    ) STRICT;
  `,
};
