import { z } from 'zod';
import { ItemSign, Milli, Minor, PaymentMethod, VatRate } from './domain';
import { MAX_LEN } from './limits';

/**
 * A line of a refund without a receipt (issue 14 point 5), typed by the cashier: no back end documents a
 * catalogue read (main/refunds/README.md, "Refund without a receipt"), so everything the refund receipt
 * needs is entered, nothing guessed.
 */
export const ManualLine = z.object({
  name: z.string().trim().min(1).max(MAX_LEN.name),
  priceMinor: Minor.positive(),
  quantityMilli: Milli.positive(),
  vat: VatRate,
  paymentMethod: PaymentMethod,
  itemSign: ItemSign,
});
export type ManualLine = z.infer<typeof ManualLine>;

export const WithoutReceiptInput = z.object({
  lines: z.array(ManualLine).min(1).max(150),
  payment: z.enum(['cash', 'card']),
}).strict();
export type WithoutReceiptInput = z.infer<typeof WithoutReceiptInput>;

/** Why the customer has no receipt: required, printed nowhere, kept in the journal. */
export const RefundReason = z.string().trim().min(1, 'Укажите причину возврата без чека').max(MAX_LEN.text);
