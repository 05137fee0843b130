import type { Migration } from '../database';

/**
 * Issue 15 point 1: a refund's reason as a code with its values (preload/contract/mainText.ts, JSON), beside
 * the Russian `reason` the log and the journal keep, so the UI says it in the till's language. NULL for
 * a refund without a reason and for reasons written before: those are shown as their Russian text.
 */
export const refundReasonTextMigration: Migration = {
  version: 12,
  name: 'refund reason as a code with values',
  up: `
    ALTER TABLE refunds ADD COLUMN reason_text TEXT;
  `,
};
