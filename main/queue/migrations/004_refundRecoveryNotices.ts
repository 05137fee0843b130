import type { Migration } from '../database';

/**
 * A refund that recovery settled without the cashier watching (after a restart, or in the background
 * while the till waited for the printer or VCR) is shown to the cashier once (issue 11, point 5).
 * `recovered` says how ('restart' | 'background'); `recovered_seen` turns 1 when the cashier has read it.
 * Kept on the refund row itself, so the notice commits in the same transaction as the state it reports.
 */
export const refundRecoveryNoticesMigration: Migration = {
  version: 4,
  name: 'refund recovery notices',
  up: `
    ALTER TABLE refunds ADD COLUMN recovered TEXT CHECK (recovered IN ('restart', 'background'));
    ALTER TABLE refunds ADD COLUMN recovered_seen INTEGER NOT NULL DEFAULT 0 CHECK (recovered_seen IN (0, 1));
    CREATE INDEX refunds_recovered_unseen ON refunds (recovered) WHERE recovered IS NOT NULL AND recovered_seen = 0;
  `,
};
