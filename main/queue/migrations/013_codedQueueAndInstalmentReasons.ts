import type { Migration } from '../database';

/**
 * Issue 15 point 1, as migration 12 did for refunds: a dead outbox job's reason and an instalment payment's
 * reason as a code with values (preload/contract/mainText.ts, JSON) beside the Russian text the log keeps,
 * so the UI says them in the till's language. NULL for reasons written before and for fixed Russian ones
 * (the renderer's MAIN_TEXT_UZ knows those by their text).
 */
export const codedQueueAndInstalmentReasonsMigration: Migration = {
  version: 13,
  name: 'dead job and instalment reasons as a code with values',
  up: `
    ALTER TABLE outbox_jobs ADD COLUMN dead_text TEXT;
    ALTER TABLE instalment_payments ADD COLUMN reason_text TEXT;
  `,
};
