import { z } from 'zod';
import { decimalAsInteger } from '../http/units';

/**
 * What the LIFE PAY emulator keeps and accepts, from seed 001 and BACKENDS.md ("LIFE PAY") only. Seed
 * 001 names the services, the credentials, the error table and the prepayment fields (`type` 1 / 4,
 * `card_amount`, `prepayment_amount`); the paths and the rest of the field names are the project's
 * assumption recorded in the back-ends README. Money is kept in kopecks, quantities in thousandths.
 */

const kopecks = decimalAsInteger(100, 0, 'сумма');
const thousandths = decimalAsInteger(1000, 1, 'количество');

export const Product = z.object({
  name: z.string().min(1),
  /** Kopecks per unit. */
  price: z.number().int().nonnegative(),
  /** Thousandths. */
  quantity: z.number().int().positive(),
  tax: z.string().optional(),
  /** Seed 001: "Признак способа расчета type" (1 = полная предварительная оплата, 4 = полная оплата). */
  type: z.number().int().optional(),
  item_type: z.number().int().optional(),
});
export type Product = z.infer<typeof Product>;

export const StoredTransaction = z.object({
  uuid: z.string(),
  number: z.string().optional(),
  type: z.enum(['payment', 'refund']),
  status: z.string(),
  /** "YYYY-MM-DD HH:MM:SS", the merchant's local time. */
  created: z.string(),
  /** Kopecks actually paid: after any discount, so it may be less than the sum of price × quantity. */
  amount: z.number().int(),
  method: z.string(),
  employee: z.string().nullable(),
  rrn: z.string().nullable(),
  /** Seed 001: "ext_id - идентификатор заказа во внешней системе". */
  ext_id: z.string().nullable(),
  purchase: z.object({ products: z.array(Product) }).nullable(),
});
export type StoredTransaction = z.infer<typeof StoredTransaction>;

/** A create-receipt body: only what the emulator reads is checked; other fields are kept as sent. */
export const CreateReceiptBody = z.looseObject({
  test: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  type: z.string().min(1),
  ext_id: z.string().nullish(),
  tax_system: z.string().optional(),
  purchase: z.object({
    products: z.array(z.looseObject({ name: z.string().min(1), price: kopecks, quantity: thousandths, tax: z.string().optional(), type: z.number().int().optional(), item_type: z.number().int().optional() })).min(1),
  }),
  /** Seed 001: "Сумма, оплаченная клиентом по карте card_amount". */
  card_amount: kopecks.optional(),
  /** Seed 001: "Сумма, внесенная авансом prepayment_amount". */
  prepayment_amount: kopecks.optional(),
});

export const FiscalizedReceipt = z.object({
  uuid: z.string(),
  ext_id: z.string().nullable(),
  type: z.string(),
  totalMinor: z.number().int(),
  cardMinor: z.number().int(),
  prepaymentMinor: z.number().int(),
  products: z.array(z.object({ name: z.string(), priceMinor: z.number().int(), quantityMilli: z.number().int(), tax: z.string().optional(), type: z.number().int().optional(), item_type: z.number().int().optional() })),
  created: z.string(),
});
export type FiscalizedReceipt = z.infer<typeof FiscalizedReceipt>;
