import { z } from 'zod';
import { Currency, Milli, Minor, SaleRef } from './domain';
import { MAX_LEN } from './limits';

/**
 * A sale refunded beyond what was sold across tills (issue 22): two tills offline at the same time both
 * refunded the last of it, each printed its receipt (the law allows an offline refund), and the back end
 * showed the overlap when this till's reversal session joined the other's. Listed for F4 and the journal;
 * the refund itself is in `review` with the same facts in its reason.
 */
export const OverlapRefund = z.object({
  /** The refund id as the back end lists it (our refund ids are LIFE POS `external_id`s); null if it has none. */
  refundId: z.string().max(MAX_LEN.id).nullable(),
  /** This till's own refund (the one flagged here), or another till's. */
  thisTill: z.boolean(),
  /** The till as the back end can tell it: the ФН number its receipt carries, when it sent one. */
  till: z.string().max(MAX_LEN.field).nullable(),
  /** When the back end recorded the refund (its session's created_at). */
  at: z.string().max(MAX_LEN.dateTime),
  totalMinor: Minor,
  currency: Currency,
  fiscalDocumentNumber: z.number().int().nullable(),
});
export type OverlapRefund = z.infer<typeof OverlapRefund>;

export const OverlapLine = z.object({
  lineId: z.string().max(MAX_LEN.id),
  name: z.string().max(MAX_LEN.name),
  soldMilli: Milli,
  refundedMilli: Milli,
});
export type OverlapLine = z.infer<typeof OverlapLine>;

export const RefundOverlap = z.object({
  /** This till's refund that made the sale go over (it is in `review`). */
  refundId: z.string().min(1).max(MAX_LEN.id),
  sale: SaleRef,
  saleNumber: z.string().max(MAX_LEN.code),
  /** The lines refunded beyond what was sold. */
  lines: z.array(OverlapLine).max(1000),
  /** Every refund that took from those lines, this till's among them, oldest first. */
  refunds: z.array(OverlapRefund).max(1000),
  detectedAt: z.string().max(MAX_LEN.dateTime),
  acknowledged: z.boolean(),
});
export type RefundOverlap = z.infer<typeof RefundOverlap>;
