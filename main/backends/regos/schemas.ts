import { z } from 'zod';

/**
 * REGOS VCR JSON-RPC 2.0 schemas: every field of the Receipt.Refund (seed 002) and Receipt.Credit
 * (seed 003) tables and examples. Units: see regosUnits.ts.
 *
 * Seed notes kept deliberately:
 * - seed 003's only example spells the card type key "сard_type", its first letter the Cyrillic "с"
 *   (U+0441); neither seed's parameter table lists the field at all. BACKENDS.md reads it as a typo of
 *   the documentation: we send the Latin `card_type` (the REGOS emulator takes either spelling).
 * - `label` is left out when a line has no marking code, and `refund_info` when the sale has no fiscal
 *   data (both "Необязательный" or shown only in examples); see "REGOS decisions" in README.md.
 * - `vat_value` takes any whole number: seed 002's example has 1200, seed 003's 1500.
 * - the refund answer's table says `id`, its example says `Id`: both are accepted and normalized.
 * - `phone` appears in the refund example though not in its table; it is sent when given.
 *
 * ASSUMPTIONS (from BACKENDS.md, not the seeds): Receipt.GetInfo {code} answers the receipt or
 * result null when no receipt has that code; ZReport.GetInfo answers {IsOpen, Number?, OpenedAt?}.
 */

const text = z.string().nullish();

export const RegosPosition = z.object({
  /** Line total in tiyin. */
  amount: z.number().int().nonnegative(),
  articul: text,
  barcode: text,
  /** Marking code; unique within one request when given (seeds 002, 003). */
  label: text,
  code: text,
  color_name: text,
  country_name: text,
  department_name: text,
  discount: z.number().int().nonnegative().nullish(),
  group_name: text,
  name: z.string().min(1),
  producer_name: text,
  /** Thousandths: 1000 = one piece. */
  quantity: z.number().int().positive(),
  size_name: text,
  type_name: text,
  unit_name: text,
  /** See regosVatValue(): rate × 100 in the seeds' examples. */
  vat_value: z.number().int().nonnegative(),
  /** ИКПУ (MXIK) product code; VCR checks it (error 705511). */
  icps: text,
  package_code: text,
  brand_name: text,
  commission_inn: text,
  owner_type: text,
});
export type RegosPosition = z.infer<typeof RegosPosition>;

/** BACKENDS.md: type 1 = cash, 2 = card terminal; other types are payment systems (ЭПС: Click, Payme …). */
export const REGOS_PAYMENT_TYPE = { cash: 1, terminal: 2 } as const;

export const RegosPayment = z.object({
  type: z.number().int().positive(),
  /** Tiyin. */
  value: z.number().int().positive(),
  payment_id: text,
  /** 1 corporate card, 2 personal card (BACKENDS.md). */
  card_type: z.union([z.literal(1), z.literal(2)]).nullish(),
  RRN: text,
});
export type RegosPayment = z.infer<typeof RegosPayment>;

export const RegosCustomVariable = z.object({ name: z.string().min(1), value: z.string() });

/** Fiscal data of the sale being refunded; with `QRCodeURL` the other fields are ignored (seed 002). */
export const RegosRefundInfo = z.object({
  DateTime: text,
  FiscalSign: text,
  QRCodeURL: text,
  ReceiptNo: text,
  TerminalID: text,
});
export type RegosRefundInfo = z.infer<typeof RegosRefundInfo>;

/** Fields common to Receipt.Sale, Receipt.Refund and Receipt.Credit. */
export const RegosReceiptParams = z.object({
  /** Our idempotency key: VCR refuses a second receipt with the same code (seeds 002, 003). */
  code: z.string().min(1),
  pos_id: text,
  session_code: text,
  cashier_name: text,
  seller_name: text,
  phone: text,
  positions: z.array(RegosPosition).min(1),
  payments: z.array(RegosPayment).min(1),
  custom_variables: z.array(RegosCustomVariable).nullish(),
});
export type RegosReceiptParams = z.infer<typeof RegosReceiptParams>;

export const RegosRefundParams = RegosReceiptParams.extend({ refund_info: RegosRefundInfo.nullish() });
export type RegosRefundParams = z.infer<typeof RegosRefundParams>;

export const RegosEnvelope = z.object({
  id: z.union([z.number(), z.string()]),
  ok: z.boolean(),
  result: z.unknown(),
  jsonrpc: z.literal('2.0'),
});

export const RegosRpcError = z.object({ error: z.number().int(), description: z.string().default('') });

const idField = { id: z.string().min(1).optional(), Id: z.string().min(1).optional() };

function normalizeId<T extends { id?: string | undefined; Id?: string | undefined }>(
  r: T, ctx: z.core.$RefinementCtx<T>,
): Omit<T, 'id' | 'Id'> & { id: string } {
  const { id, Id, ...rest } = r;
  const value = id ?? Id;
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'id is missing' });
    return z.NEVER;
  }
  return { ...rest, id: value };
}

/** Receipt.Refund / Receipt.Sale / Receipt.FullRefund answer (seed 002 output table). */
export const RegosFiscalResult = z.object({
  ...idField,
  Amount: z.number().int(),
  QRCodeURL: z.string().min(1),
  TerminalID: z.string().min(1),
  ReceiptNo: z.string().min(1),
  /** "YYYY-MM-DD HH:MM:SS". */
  DateTime: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
  FiscalSign: z.string().min(1),
}).transform(normalizeId);
export type RegosFiscalResult = z.infer<typeof RegosFiscalResult>;

/** Receipt.Credit answer (seed 003): only the id; a credit receipt is not fiscal. */
export const RegosCreditResult = z.object(idField).transform(normalizeId);
export type RegosCreditResult = z.infer<typeof RegosCreditResult>;

export const RegosReceiptInfo = z.object({
  ...idField,
  code: z.string().nullish(),
  Amount: z.number().int().optional(),
  QRCodeURL: z.string().nullish(),
  TerminalID: z.string().nullish(),
  ReceiptNo: z.string().nullish(),
  DateTime: z.string().nullish(),
  FiscalSign: z.string().nullish(),
}).transform(normalizeId);
export type RegosReceiptInfo = z.infer<typeof RegosReceiptInfo>;

export const RegosShiftInfo = z.object({
  IsOpen: z.boolean(),
  Number: z.union([z.number().int(), z.string()]).nullish(),
  OpenedAt: z.string().nullish(),
});
export type RegosShiftInfo = z.infer<typeof RegosShiftInfo>;
