import { z } from 'zod';
import { decimalAsInteger } from '../http/units';

/**
 * What the LIFE POS emulator keeps and accepts, written from seed 000 and BACKENDS.md ("LIFE POS API
 * v6") only. The emulator keeps money in kopecks and quantities in thousandths; on the wire quantities
 * are decimals.
 *
 * Where the documents are silent (deal positions, session positions, the receipt data a PATCH adds) the
 * emulator holds the shape the back-ends README records as the project's assumption, and checks only
 * what it needs to keep its books.
 */

/** BACKENDS.md: "amount {value, currency} … Amounts appear to be in kopecks". Any currency code is kept. */
export const Amount = z.object({ value: z.number().int().safe(), currency: z.string().min(1) });
export type Amount = z.infer<typeof Amount>;

/** Seed 000: references carry the "guid и type_of объектов, на которые хотите сослаться". */
export const Ref = z.object({ guid: z.string().min(1), type_of: z.string().min(1) });
export type Ref = z.infer<typeof Ref>;

/** Seed 000: "selection … alive_only … all или archived_only". */
export const Selection = z.enum(['alive_only', 'all', 'archived_only']);

/** BACKENDS.md: "Deal status is three fields: state (…), payment_status (…), shipping_status (…)". */
export const DealState = z.enum(['New', 'InProgress', 'Completed', 'Cancelled']);
export const DealPaymentStatus = z.enum(['NotPaid', 'Paid', 'PartiallyPaid', 'Refunded', 'PartiallyRefunded']);
export const DealShippingStatus = z.enum(['NotShipped', 'Shipped', 'PartiallyShipped', 'Refunded', 'PartiallyRefunded']);
export const DealStatusFields = z.object({
  state: DealState.optional(),
  payment_status: DealPaymentStatus.optional(),
  shipping_status: DealShippingStatus.optional(),
}).strict();

/** Not in the documents: the position spellings the README records (VAT, payment-method and item signs). */
export const VatSpelling = z.enum(['none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat12', 'vat15', 'vat20', 'vat22', 'vat105', 'vat107', 'vat110', 'vat120', 'vat122']);
export const PaymentMethodSpelling = z.enum(['prepayment100', 'prepayment', 'advance', 'fullPayment', 'partialPaymentCredit', 'creditTransfer', 'creditPayment']);
export const ItemSignSpelling = z.enum(['goods', 'excise', 'work', 'service', 'payment', 'other']);

export const DealPosition = z.object({
  guid: z.string(),
  name: z.string(),
  good_type: z.string().optional(),
  barcode: z.string().nullish(),
  /** Thousandths. */
  quantity: z.number().int(),
  sale_price: Amount,
  total_sum: Amount,
  tax: VatSpelling,
  payment_method: PaymentMethodSpelling,
  item_sign: ItemSignSpelling,
  /**
   * Marked goods: the Честный знак code of each unit sold. Not in seed 000 or BACKENDS.md: the same
   * assumption as the client's (main/marking/README.md §LIFE POS), so training mode has a marked line.
   */
  marking_codes: z.array(z.string()).optional(),
});
export type DealPosition = z.infer<typeof DealPosition>;

export const Deal = z.object({
  guid: z.string(),
  number: z.string(),
  created_at: z.string(),
  state: DealState,
  payment_status: DealPaymentStatus,
  shipping_status: DealShippingStatus,
  total_sum: Amount,
  positions: z.array(DealPosition),
});
export type Deal = z.infer<typeof Deal>;

/** BACKENDS.md lists "transactions[]" without fields: kept as sent. */
export const Transaction = z.looseObject({ guid: z.string().optional(), rrn: z.string().nullish(), amount: Amount.optional(), created_at: z.string().optional() });

/** BACKENDS.md: "guid, type_of (…), amount {value, currency}, status (Draft|Accepted|Refunded), primary_payment_part, primary_sale_session, transactions[]". */
export const PaymentPart = z.object({
  guid: z.string(),
  type_of: z.string(),
  amount: Amount,
  status: z.enum(['Draft', 'Accepted', 'Refunded']),
  primary_payment_part: Ref.nullish(),
  primary_sale_session: Ref.nullish(),
  transactions: z.array(Transaction),
});
export type PaymentPart = z.infer<typeof PaymentPart>;

export const SessionPosition = z.object({ position_guid: z.string(), quantity: z.number().int(), total_sum: Amount });
export type SessionPosition = z.infer<typeof SessionPosition>;

/** Seed 000 does not say what the receipt data look like: whatever the PATCH adds is kept as sent. */
export const ReceiptRecord = z.record(z.string(), z.unknown());

export const Session = z.object({
  guid: z.string(),
  type_of: z.string(),
  created_at: z.string(),
  archived: z.boolean(),
  external_id: z.string().nullish(),
  total_sum: Amount,
  payment_parts: z.array(PaymentPart),
  positions: z.array(SessionPosition),
  receipt: ReceiptRecord.nullish(),
});
export type Session = z.infer<typeof Session>;

/** A decimal quantity on the wire (1.254 kg) as thousandths; more than three decimals is refused. */
const WireQuantity = decimalAsInteger(1000, 1, 'количество');

/**
 * POST …/sessions/reversal. Seed 000: "каждая часть платежа — на соответствующую часть платежа в этой
 * прямой сессии … используются объекты primary_sale session и primary_payment_part": both references
 * are required. Everything else (external_id, positions, transactions) is optional: the seed names
 * none of it.
 */
export const NewReversal = z.looseObject({
  external_id: z.string().nullish(),
  positions: z.array(z.looseObject({ position_guid: z.string().min(1), quantity: WireQuantity, total_sum: Amount })).optional(),
  payment_parts: z.array(z.looseObject({
    type_of: z.string().min(1),
    amount: Amount,
    primary_payment_part: Ref,
    primary_sale_session: Ref,
    transactions: z.array(Transaction).optional(),
  })).min(1),
});
export type NewReversal = z.infer<typeof NewReversal>;

/**
 * The seed says "добавьте данные чека в описание сессии PATCH-запросом" without a body format. The
 * emulator takes either JSON Patch replace operations or a plain object of fields to set.
 */
export const PatchBody = z.union([
  z.array(z.object({ op: z.literal('replace'), path: z.string().regex(/^\/[a-z_]+$/), value: z.unknown() })).min(1),
  z.record(z.string(), z.unknown()),
]);

export function patchFields(body: z.infer<typeof PatchBody>): Record<string, unknown> {
  return Array.isArray(body) ? Object.fromEntries(body.map((op) => [op.path.slice(1), op.value])) : body;
}
