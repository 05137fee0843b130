import { z } from 'zod';
import { ItemSign, MAX_MARKED_UNITS, Milli, PaymentMethod, VatRate } from '../../../preload/contract/domain';
import { MAX_LEN } from '../../../preload/contract/limits';

const MARKING_CODE_MAX = MAX_LEN.mark;
import { QuantityAsMilli } from '../decimalUnits';

/**
 * LIFE POS API wire schemas.
 *
 * From seed 000 (the contract): reversal sessions under
 * {base_url}/orgs/{org_guid}/deals/sales/{deal_guid}/sessions[/reversal[/{session_guid}[:unarchive]]],
 * payment parts referencing `primary_sale_session` and `primary_payment_part` by `guid` + `type_of`,
 * 20 items per page with `page_token` / `next_page_token`, `selection` = alive_only | all | archived_only.
 * From BACKENDS.md: the three deal status fields, payment part fields, amounts {value, currency} in kopecks.
 *
 * ASSUMPTIONS (the seed does not define these; change here if the real API differs):
 * - Deal positions: {guid, name, good_type, barcode, quantity, sale_price, total_sum, tax, payment_method,
 *   item_sign}. `quantity` is a decimal number of units on the wire (a 2023 v4 integration sends
 *   `quantity: 1`, `sale_price`/`total_sum` as {value: rubles*100, currency}); it is parsed into integer
 *   thousandths. `tax`, `payment_method`, `item_sign` use the app's own enum spellings (VatRate,
 *   PaymentMethod, ItemSign of preload/contract/domain.ts) so a refund can mirror them 1:1.
 * - Session: {guid, type_of ('Sale' | 'Reversal' | 'Correction'), created_at, archived, external_id,
 *   total_sum, payment_parts[], positions[] (which deal positions and how much), receipt}. `external_id`
 *   is our client-generated idempotency key: after an unknown outcome we list the deal's sessions with
 *   selection=all and look for it before creating again.
 * - PATCH bodies are JSON Patch operations ([{op:'replace', path, value}]), as the same v4 integration
 *   sends for deals; the deal status change is such a PATCH on the deal and answers 204.
 * - Deal search: GET .../deals/sales with created_from / created_to and the same page envelope. The
 *   seed does not describe searching deals; finding a sale by number filters that list client-side.
 */

export const Amount = z.object({
  /** Kopecks. */
  value: z.number().int().safe(),
  currency: z.string().length(3),
});
export type Amount = z.infer<typeof Amount>;

/** A reference to another object, exactly as seed 000 asks: its `guid` and its `type_of`. */
export const Ref = z.object({ guid: z.string().min(1), type_of: z.string().min(1) });
export type Ref = z.infer<typeof Ref>;

export const Selection = z.enum(['alive_only', 'all', 'archived_only']);
export type Selection = z.infer<typeof Selection>;

export const DealState = z.enum(['New', 'InProgress', 'Completed', 'Cancelled']);
export const DealPaymentStatus = z.enum(['NotPaid', 'Paid', 'PartiallyPaid', 'Refunded', 'PartiallyRefunded']);
export const DealShippingStatus = z.enum(['NotShipped', 'Shipped', 'PartiallyShipped', 'Refunded', 'PartiallyRefunded']);

export const DealStatusChange = z.object({
  state: DealState.optional(),
  payment_status: DealPaymentStatus.optional(),
  shipping_status: DealShippingStatus.optional(),
});
export type DealStatusChange = z.infer<typeof DealStatusChange>;

export const DealPosition = z.object({
  guid: z.string().min(1),
  name: z.string().min(1),
  good_type: z.string().optional(),
  barcode: z.string().nullish(),
  /** Parsed into thousandths (1.5 on the wire → 1500). */
  quantity: QuantityAsMilli,
  sale_price: Amount,
  /** Line total as sold, discounts included. */
  total_sum: Amount,
  tax: VatRate,
  payment_method: PaymentMethod,
  item_sign: ItemSign,
  /**
   * ASSUMPTION (no seed or BACKENDS.md names a field): the Честный знак codes of the units sold, as the
   * sale's scanner read them. Present = the line is marked goods (main/marking/README.md §LIFE POS).
   */
  marking_codes: z.array(z.string().min(1).max(MARKING_CODE_MAX)).max(MAX_MARKED_UNITS).optional(),
});
export type DealPosition = z.infer<typeof DealPosition>;

export const Deal = z.object({
  guid: z.string().min(1),
  number: z.union([z.string(), z.number().int()]).transform(String),
  created_at: z.string().min(1),
  state: DealState,
  payment_status: DealPaymentStatus,
  shipping_status: DealShippingStatus,
  total_sum: Amount,
  positions: z.array(DealPosition),
});
export type Deal = z.infer<typeof Deal>;

export const SESSION_TYPE = { sale: 'Sale', reversal: 'Reversal', correction: 'Correction' } as const;

export const PaymentTransaction = z.object({
  guid: z.string().optional(),
  /** Acquiring reference number of a card refund, typed by the cashier from the terminal slip. */
  rrn: z.string().nullish(),
  amount: Amount.optional(),
  created_at: z.string().optional(),
});

export const PaymentPart = z.object({
  guid: z.string().min(1),
  type_of: z.string().min(1),
  amount: Amount,
  status: z.enum(['Draft', 'Accepted', 'Refunded']),
  primary_payment_part: Ref.nullish(),
  primary_sale_session: Ref.nullish(),
  transactions: z.array(PaymentTransaction).default([]),
});
export type PaymentPart = z.infer<typeof PaymentPart>;

/** Which deal position a session moves and how much; `quantity` is parsed into thousandths. */
export const SessionPosition = z.object({
  position_guid: z.string().min(1),
  quantity: QuantityAsMilli,
  total_sum: Amount,
});
export type SessionPosition = z.infer<typeof SessionPosition>;

/** The same position as the app builds it: quantity already in thousandths. */
export const SessionPositionInput = SessionPosition.extend({ quantity: Milli.positive() });

const OneReceipt = z.object({
  fiscal_document_number: z.number().int().nonnegative(),
  fiscal_sign: z.string().min(1),
  fiscal_drive_number: z.string().optional(),
  registration_number: z.string().optional(),
  issued_at: z.string().min(1),
  total_sum: Amount,
  qr_code: z.string().optional(),
});

/**
 * The fiscal receipt's data, added to a reversal session once the printer has issued it. A refund
 * printed as several receipts (issue 20) sends the first receipt's fields with the whole refund's
 * total and lists every receipt in `receipts` (main/backends/README.md, "One refund, several receipts").
 */
export const ReceiptData = OneReceipt.extend({ receipts: z.array(OneReceipt).min(2).optional() });
export type ReceiptData = z.infer<typeof ReceiptData>;

export const Session = z.object({
  guid: z.string().min(1),
  type_of: z.string().min(1),
  created_at: z.string().min(1),
  archived: z.boolean(),
  external_id: z.string().nullish(),
  total_sum: Amount,
  payment_parts: z.array(PaymentPart),
  positions: z.array(SessionPosition).default([]),
  receipt: ReceiptData.nullish(),
});
export type Session = z.infer<typeof Session>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    /** Empty (or absent) on the last page: seed 000 says to continue until it comes back empty. */
    next_page_token: z.string().nullish(),
    page_number: z.number().int().nonnegative(),
    pages_total: z.number().int().nonnegative(),
    items_per_page: z.number().int().positive(),
    items_total: z.number().int().nonnegative(),
    items: z.array(item),
  });
}
export const SessionPage = pageOf(Session);
export type SessionPage = z.infer<typeof SessionPage>;
export const DealPage = pageOf(Deal);
export type DealPage = z.infer<typeof DealPage>;

export const NewReversalPaymentPart = z.object({
  type_of: z.string().min(1),
  amount: Amount,
  primary_payment_part: Ref,
  primary_sale_session: Ref,
  transactions: z.array(PaymentTransaction.pick({ rrn: true, amount: true })).optional(),
});

/** Body of POST .../sessions/reversal as the app builds it (quantities in thousandths). */
export const NewReversalSession = z.object({
  external_id: z.string().min(1),
  positions: z.array(SessionPositionInput).min(1),
  payment_parts: z.array(NewReversalPaymentPart).min(1),
});
export type NewReversalSession = z.infer<typeof NewReversalSession>;

/** The same body as it travels (decimal quantities); the emulator parses requests with this. */
export const NewReversalSessionWire = NewReversalSession.extend({ positions: z.array(SessionPosition).min(1) });
