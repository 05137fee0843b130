import type { Migration } from '../database';

/**
 * Refund receipts rebuilt from the ФН keep their positions (issue 11 point 4; main/refunds/history/).
 *
 * - `fiscal_refund_document_lines`: each position of a recovered receipt as the ФН recorded it (read back
 *   with 0xFF3A/0xFF3B): name, price, quantity, sum, rate. A recovered receipt that no sale is known for
 *   counts against any sale with matching lines (main/refunds/README.md, "Recovered refunds").
 * - `fiscal_refund_documents.positions_read`: 1 once its lines and `tenders` (JSON: cash, electronic,
 *   prepayment, credit, counter in minor units) are stored; rows from before this step are read back
 *   from the ФН at the next history check.
 * - `fiscal_refund_document_dismissals`: the cashier's word that a recovered receipt is not a refund of a
 *   given sale (only a person frees money a receipt might have refunded; the program never guesses).
 *   A cashier's "it is a refund of this sale" sets the receipt's sale_source/sale_id with no refund_id.
 */
export const recoveredReceiptLinesMigration: Migration = {
  version: 10,
  name: 'positions of recovered refund receipts',
  up: `
    ALTER TABLE fiscal_refund_documents ADD COLUMN positions_read INTEGER NOT NULL DEFAULT 0 CHECK (positions_read IN (0, 1));
    ALTER TABLE fiscal_refund_documents ADD COLUMN tenders TEXT;

    CREATE TABLE fiscal_refund_document_lines (
      fn_number      TEXT    NOT NULL,
      number         INTEGER NOT NULL,
      line_no        INTEGER NOT NULL CHECK (line_no >= 1),
      name           TEXT    NOT NULL,
      price_minor    INTEGER NOT NULL CHECK (price_minor >= 0),
      quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
      amount_minor   INTEGER NOT NULL CHECK (amount_minor >= 0),
      vat            TEXT,
      PRIMARY KEY (fn_number, number, line_no),
      FOREIGN KEY (fn_number, number) REFERENCES fiscal_refund_documents (fn_number, number)
    ) STRICT;

    CREATE TABLE fiscal_refund_document_dismissals (
      fn_number   TEXT    NOT NULL,
      number      INTEGER NOT NULL,
      sale_source TEXT    NOT NULL,
      sale_id     TEXT    NOT NULL,
      decided_at  INTEGER NOT NULL,
      PRIMARY KEY (fn_number, number, sale_source, sale_id),
      FOREIGN KEY (fn_number, number) REFERENCES fiscal_refund_documents (fn_number, number)
    ) STRICT;
  `,
};
