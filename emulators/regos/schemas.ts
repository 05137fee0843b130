import { z } from 'zod';

/**
 * What the REGOS VCR emulator accepts, from the tables and examples of seed 002 (Receipt.Refund) and
 * seed 003 (Receipt.Credit) and from BACKENDS.md ("REGOS VCR"). Units as in the examples: money in
 * tiyin (seed 002: "amount": 900000 for one Coca-Cola), quantities in thousandths ("quantity": 1000).
 * Fields the tables mark "Необязательный" stay optional, and so do position fields the seeds only show
 * in examples: the emulator checks what the documents say it must.
 */

const text = z.string().nullish();

/** Position fields as seed 002's and seed 003's examples spell them. */
export const Position = z.looseObject({
  amount: z.number().int().nonnegative(),
  articul: text,
  barcode: text,
  label: text,
  code: text,
  color_name: text,
  country_name: text,
  department_name: text,
  discount: z.number().int().nonnegative().nullish(),
  group_name: text,
  name: z.string().min(1),
  producer_name: text,
  quantity: z.number().int().positive(),
  size_name: text,
  type_name: text,
  unit_name: text,
  /** Seed 002 shows 1200, seed 003 shows 1500: any whole number is taken. */
  vat_value: z.number().int().nonnegative().nullish(),
  icps: text,
  package_code: text,
  brand_name: text,
  commission_inn: text,
  owner_type: text,
});
export type Position = z.infer<typeof Position>;

/**
 * Seed 003's example spells the card type "сard_type" with a Cyrillic "с" (U+0441); BACKENDS.md reads
 * that as a typo of the documentation. The emulator takes either spelling, so it refuses neither a
 * client that follows the example letter by letter nor one that follows the field's name.
 */
export const Payment = z.looseObject({
  type: z.number().int().positive(),
  value: z.number().int().positive(),
  payment_id: text,
  card_type: z.number().int().nullish(),
  ['\u0441ard_type']: z.number().int().nullish(),
  RRN: text,
});
export type Payment = z.infer<typeof Payment>;

/** Seed 002: "RefundInfo … Фискальные данные чека продажи"; with QRCodeURL the others are ignored. */
export const RefundInfo = z.looseObject({
  DateTime: text,
  FiscalSign: text,
  QRCodeURL: text,
  ReceiptNo: text,
  TerminalID: text,
});
export type RefundInfo = z.infer<typeof RefundInfo>;

/** Seed 003's input table (Receipt.Credit) and the fields seed 002 shares with it. */
export const ReceiptParams = z.looseObject({
  code: text,
  pos_id: text,
  session_code: text,
  cashier_name: text,
  seller_name: text,
  phone: text,
  positions: z.array(Position).min(1),
  payments: z.array(Payment).min(1),
  custom_variables: z.array(z.looseObject({ name: z.string(), value: z.string() })).nullish(),
});
export type ReceiptParams = z.infer<typeof ReceiptParams>;

/** Seed 002's input table: the same plus the optional `refund_info`. */
export const RefundParams = ReceiptParams.extend({ refund_info: RefundInfo.nullish() });

/** BACKENDS.md: "Body: {id, jsonrpc:"2.0", method, params, auth}". */
export const RpcRequest = z.object({
  id: z.union([z.number(), z.string()]),
  jsonrpc: z.literal('2.0'),
  method: z.string().min(1),
  params: z.unknown(),
  auth: z.string().optional(),
});
