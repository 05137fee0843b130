import type { Migration } from '../database';

/**
 * Marked goods (issue 21; main/marking/README.md): the marking code of each unit a refund gives back.
 *
 * - One row per unit: `unit` numbers the units of the line (1..N), `code` is the code as the ФН and
 *   REGOS take it, `code_key` the unit's identity (01 + GTIN + 21 + serial), the same however the
 *   scanner spelled the separators.
 * - A code is refunded while its refund is not `failed` (a failed refund is proven not printed): the
 *   check joins `refunds`, so a cancelled refund frees its codes without touching these rows.
 */
export const refundMarkingCodesMigration: Migration = {
  version: 11,
  name: 'marking codes of refunded units',
  up: `
    CREATE TABLE refund_marking_codes (
      refund_id TEXT    NOT NULL REFERENCES refunds (id),
      line_id   TEXT    NOT NULL,
      unit      INTEGER NOT NULL CHECK (unit >= 1),
      code      TEXT    NOT NULL,
      code_key  TEXT    NOT NULL,
      PRIMARY KEY (refund_id, line_id, unit)
    ) STRICT;

    CREATE INDEX refund_marking_codes_by_key ON refund_marking_codes (code_key);
  `,
};
