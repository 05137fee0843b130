import type { Migration } from '../database';

/**
 * Many tills, one truth (issue 22): two facts a till must keep about refunds other tills can see.
 *
 * - `lifepay_cloud_refunds`: a LIFE PAY refund sent to LIFE PAY's remote fiscalization (seed 001,
 *   "Удаленная фискализация") instead of the local printer. The row is written in the same transaction
 *   as the refund, before anything is sent: it is what makes a resumed refund go back to LIFE PAY (never
 *   to the printer, which would fiscalize it a second time). `ext_id` is what LIFE PAY lists the refund
 *   under; `uuid` is LIFE PAY's answer once known.
 * - `refund_overlaps`: a sale that LIFE POS holds as refunded beyond what was sold once this till's own
 *   reversal session joined it (two tills refunded the same goods while offline). `details` is the JSON of
 *   both refunds (till, time, amounts) as the check saw them; `acknowledged_at` once a person has looked.
 */
export const manyTillsMigration: Migration = {
  version: 8,
  name: 'LIFE PAY cloud refunds, refund overlaps between tills',
  up: `
    CREATE TABLE lifepay_cloud_refunds (
      refund_id  TEXT    PRIMARY KEY REFERENCES refunds (id),
      ext_id     TEXT    NOT NULL UNIQUE,
      uuid       TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE refund_overlaps (
      refund_id       TEXT    PRIMARY KEY REFERENCES refunds (id),
      sale_source     TEXT    NOT NULL,
      sale_id         TEXT    NOT NULL,
      details         TEXT    NOT NULL,
      detected_at     INTEGER NOT NULL,
      acknowledged_at INTEGER
    ) STRICT;
  `,
};
