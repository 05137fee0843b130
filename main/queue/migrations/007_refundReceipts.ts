import type { Migration } from '../database';

/**
 * One refund, as many receipts as the device needs (issue 20): a refund larger than one receipt is split
 * into whole lines (main/refunds/receiptPlan.ts) when it is recorded, and each receipt is a row here.
 *
 * - `line_ids`, `tenders`: the receipt's share of the refund, fixed at record time — a resumed refund
 *   prints exactly the receipts it planned, whatever the code that splits does later.
 * - `doc_number_before`: the ФН's last document number read just before this receipt was sent. Set and
 *   `fiscal` empty = this receipt may be in the ФН (judged by the device, as a single receipt is);
 *   empty = nothing of it was sent. `fiscal` set = printed: never sent again.
 * Every refund recorded before this step becomes its own single receipt, with its N0 and fiscal data.
 */
export const refundReceiptsMigration: Migration = {
  version: 7,
  name: 'refund receipts',
  up: `
    CREATE TABLE refund_receipts (
      refund_id         TEXT    NOT NULL REFERENCES refunds (id),
      seq               INTEGER NOT NULL CHECK (seq >= 1),
      line_ids          TEXT    NOT NULL,
      tenders           TEXT    NOT NULL,
      total_minor       INTEGER NOT NULL CHECK (total_minor >= 0),
      doc_number_before INTEGER,
      fiscal            TEXT,
      PRIMARY KEY (refund_id, seq)
    ) STRICT;

    INSERT INTO refund_receipts (refund_id, seq, line_ids, tenders, total_minor, doc_number_before, fiscal)
    SELECT r.id, 1,
           (SELECT json_group_array(l.line_id) FROM refund_lines l WHERE l.refund_id = r.id),
           (SELECT json_group_array(json_object('paymentPartId', t.payment_part_id, 'amountMinor', t.amount_minor))
              FROM refund_tenders t WHERE t.refund_id = r.id),
           r.total_minor, r.doc_number_before, r.fiscal
      FROM refunds r;
  `,
};
