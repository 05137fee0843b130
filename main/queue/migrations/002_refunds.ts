import type { Migration } from '../database';

/**
 * Refunds live in the outbox's database so a refund's state change and the jobs it starts commit in one
 * transaction. `doc_number_before` is the ФН's last document number read just before printing: on
 * restart a refund left in 'fiscalizing' is judged against it (DESIGN.md, recovery recipe).
 * `sales_seen` keeps every sale this terminal has looked up, so a recent sale can be refunded offline.
 */
export const refundsMigration: Migration = {
  version: 2,
  name: 'refunds',
  up: `
    CREATE TABLE refunds (
      id                TEXT    PRIMARY KEY,
      sale_source       TEXT    NOT NULL,
      sale_id           TEXT    NOT NULL,
      sale_number       TEXT    NOT NULL,
      currency          TEXT    NOT NULL,
      state             TEXT    NOT NULL CHECK (state IN ('draft', 'confirmed', 'fiscalizing', 'fiscalized', 'synced', 'failed', 'review')),
      total_minor       INTEGER NOT NULL CHECK (total_minor >= 0),
      doc_number_before INTEGER,
      fiscal            TEXT,
      reason            TEXT,
      print_attempts    INTEGER NOT NULL DEFAULT 0,
      created_at        INTEGER NOT NULL,
      updated_at        INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX refunds_sale ON refunds (sale_source, sale_id);
    CREATE INDEX refunds_state ON refunds (state);

    CREATE TABLE refund_lines (
      refund_id      TEXT    NOT NULL REFERENCES refunds (id),
      line_id        TEXT    NOT NULL,
      name           TEXT    NOT NULL,
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
      amount_minor   INTEGER NOT NULL CHECK (amount_minor >= 0),
      vat            TEXT    NOT NULL,
      payment_method TEXT    NOT NULL,
      item_sign      TEXT    NOT NULL,
      PRIMARY KEY (refund_id, line_id)
    ) STRICT;

    CREATE TABLE refund_tenders (
      refund_id       TEXT    NOT NULL REFERENCES refunds (id),
      payment_part_id TEXT    NOT NULL,
      kind            TEXT    NOT NULL,
      amount_minor    INTEGER NOT NULL CHECK (amount_minor > 0),
      rrn             TEXT,
      PRIMARY KEY (refund_id, payment_part_id)
    ) STRICT;

    CREATE TABLE sales_seen (
      source   TEXT    NOT NULL,
      id       TEXT    NOT NULL,
      number   TEXT    NOT NULL,
      sale     TEXT    NOT NULL,
      -- Our refund ids the server already counted in this sale view: never counted twice offline.
      known_refunds TEXT NOT NULL DEFAULT '[]',
      seen_at  INTEGER NOT NULL,
      PRIMARY KEY (source, id)
    ) STRICT;
    CREATE INDEX sales_seen_number ON sales_seen (number);
    CREATE INDEX sales_seen_at ON sales_seen (seen_at);
  `,
};
