import type { Migration } from '../database';

/**
 * Instalment part-payments registered with REGOS VCR as credit receipts (seed 003, Receipt.Credit;
 * main/instalments/). `id` is the receipt's `code` in VCR: one row, one receipt, exactly once.
 *
 * - `state`: 'sending' while VCR's answer is unknown (asked again with Receipt.GetInfo by code),
 *   'registered' with VCR's id, 'failed' when VCR registered nothing (the reason says why).
 * - `params`: the request as first sent; a resend after a definite "not registered" sends these bytes'
 *   content again, never a rebuilt request.
 */
export const instalmentPaymentsMigration: Migration = {
  version: 6,
  name: 'instalment part-payments (REGOS credit receipts)',
  up: `
    CREATE TABLE instalment_payments (
      id            TEXT    PRIMARY KEY,
      sale_source   TEXT    NOT NULL,
      sale_id       TEXT    NOT NULL,
      sale_number   TEXT    NOT NULL,
      amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
      tenders       TEXT    NOT NULL,
      phone         TEXT,
      params        TEXT    NOT NULL,
      state         TEXT    NOT NULL CHECK (state IN ('sending', 'registered', 'failed')),
      vcr_id        TEXT,
      reason        TEXT,
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL,
      CHECK ((state = 'registered') = (vcr_id IS NOT NULL))
    ) STRICT;
    CREATE INDEX instalment_payments_sale ON instalment_payments (sale_source, sale_id, created_at);
    CREATE INDEX instalment_payments_state ON instalment_payments (state) WHERE state = 'sending';
  `,
};
