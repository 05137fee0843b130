import type { Migration } from '../database';

/**
 * The store's people at this till (issue 14; main/people/, main/journal/, main/cash/).
 *
 * - `cashiers`: a short list of who works here. `inn` is the 12-digit personal INN sent as tag 1203;
 *   `pin_hash`/`pin_salt` are Node's scrypt of the PIN with a random salt (hex), never the PIN itself.
 *   A person is never deleted (the journal names them): `removed_at` takes them off the list.
 * - `approvals`: every manager approval, who approved what for whom, and when (append-only).
 * - `refund_people`: who made a refund, and whether it was one without a receipt with its reason and the
 *   approval that allowed it. Written before the refund is recorded (a refund refused before recording
 *   leaves a row that nothing joins), so no foreign key to `refunds`.
 * - `cash_operations`: drawer openings, внесение and выплата, with the register's document number.
 * - `people_rules`: the store's approval rules (one row), changed only with a manager's approval.
 */
export const peopleMigration: Migration = {
  version: 9,
  name: 'cashiers, approvals, who made each refund, cash operations',
  up: `
    CREATE TABLE cashiers (
      id         TEXT    PRIMARY KEY,
      name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
      inn        TEXT    CHECK (inn IS NULL OR length(inn) = 12),
      role       TEXT    NOT NULL CHECK (role IN ('cashier', 'manager')),
      pin_hash   TEXT,
      pin_salt   TEXT,
      created_at INTEGER NOT NULL,
      removed_at INTEGER,
      CHECK ((pin_hash IS NULL) = (pin_salt IS NULL)),
      CHECK (role = 'cashier' OR pin_hash IS NOT NULL)
    ) STRICT;

    CREATE TABLE approvals (
      id           INTEGER PRIMARY KEY,
      at           INTEGER NOT NULL,
      manager_id   TEXT    NOT NULL REFERENCES cashiers (id),
      manager_name TEXT    NOT NULL,
      action       TEXT    NOT NULL,
      detail       TEXT    NOT NULL,
      cashier_name TEXT
    ) STRICT;
    CREATE INDEX approvals_at ON approvals (at);

    CREATE TABLE refund_people (
      refund_id       TEXT    PRIMARY KEY,
      cashier_name    TEXT    NOT NULL,
      cashier_inn     TEXT,
      without_receipt INTEGER NOT NULL DEFAULT 0 CHECK (without_receipt IN (0, 1)),
      reason          TEXT,
      approval_id     INTEGER REFERENCES approvals (id),
      CHECK (without_receipt = 0 OR (reason IS NOT NULL AND approval_id IS NOT NULL))
    ) STRICT;

    CREATE TABLE cash_operations (
      id              INTEGER PRIMARY KEY,
      kind            TEXT    NOT NULL CHECK (kind IN ('in', 'out', 'drawer')),
      amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
      document_number INTEGER,
      cashier_name    TEXT    NOT NULL,
      at              INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE people_rules (
      id                     INTEGER PRIMARY KEY CHECK (id = 1),
      approval_above_minor   INTEGER NOT NULL CHECK (approval_above_minor >= 0),
      check_drawer_for_cash  INTEGER NOT NULL CHECK (check_drawer_for_cash IN (0, 1))
    ) STRICT;
    INSERT INTO people_rules (id, approval_above_minor, check_drawer_for_cash) VALUES (1, 0, 1);
  `,
};
