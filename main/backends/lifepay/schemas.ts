import { z } from 'zod';
import { ItemSign, Milli, Minor, PaymentMethod, VatRate } from '../../../preload/contract/domain';
import { QuantityAsMilli, RublesAsKopecks } from '../decimalUnits';

/**
 * LIFE PAY wire schemas.
 *
 * Seed 001 names the services (transactions list by date or by employee, remote fiscalization), the
 * credentials (login = phone number, API key from ЛК → Настройки → Разработчикам), the error table and
 * the prepayment tags (`type` 1 / 4, `card_amount`, `prepayment_amount`).
 *
 * ASSUMPTIONS (the seed links to a manual it does not include):
 * - Endpoints: GET {base}/v1/transactions with apikey, login and filters in the query; POST
 *   {base}/cloud-print/create-receipt with apikey and login in the JSON body (public integrations use
 *   https://sapi.life-pay.ru/cloud-print/create-receipt and https://api.life-pay.ru/v1/...).
 * - Answers are {code, message, data}; code 0 is success, any other code is one of seed 001's errors.
 * - Money is rubles with kopecks (123.45) on the wire, as public integrations send `price`; it is
 *   converted to integer kopecks at this boundary. Quantities are decimal units → thousandths.
 * - Per product: `type` = признак способа расчёта (tag 1214 codes 1..7, seed 001's "type 1 / type 4"),
 *   `item_type` = признак предмета расчёта (tag 1212 codes), `tax` = the VAT rate spelled like our VatRate.
 */

export const LifePayEnvelopeError = z.object({
  code: z.number().int().refine((c) => c !== 0, 'error code must be non-zero'),
  message: z.string().default(''),
});

/** Success is code 0 with `data`; any other code is an error the client maps through lifePayErrors. */
export function lifePayAnswer<T extends z.ZodType>(data: T) {
  return z.union([z.object({ code: z.literal(0), message: z.string().optional(), data }), LifePayEnvelopeError]);
}

export const LifePayProduct = z.object({
  name: z.string().min(1),
  price: RublesAsKopecks,
  quantity: QuantityAsMilli,
  tax: VatRate.optional(),
  type: z.number().int().min(1).max(7).optional(),
  item_type: z.number().int().positive().optional(),
});

export const LifePayTransaction = z.object({
  uuid: z.string().min(1),
  number: z.union([z.string(), z.number()]).transform(String).optional(),
  type: z.enum(['payment', 'refund']),
  status: z.string().min(1),
  /** "YYYY-MM-DD HH:MM:SS", local time of the merchant. */
  created: z.string().min(1),
  amount: RublesAsKopecks,
  method: z.string().min(1),
  employee: z.string().nullish(),
  rrn: z.string().nullish(),
  ext_id: z.string().nullish(),
  purchase: z.object({ products: z.array(LifePayProduct) }).nullish(),
});
export type LifePayTransaction = z.infer<typeof LifePayTransaction>;

export const TransactionsAnswer = lifePayAnswer(z.array(LifePayTransaction));
export const CreateReceiptAnswer = lifePayAnswer(z.object({ uuid: z.string().min(1) }));

/** Tag 1214 codes, in the order of 54-ФЗ (1 = предоплата 100 %, 4 = полный расчёт, as in seed 001). */
export const PAYMENT_METHOD_CODE: Record<PaymentMethod, number> = {
  prepayment100: 1, prepayment: 2, advance: 3, fullPayment: 4, partialPaymentCredit: 5, creditTransfer: 6, creditPayment: 7,
};

/** Tag 1212 codes. */
export const ITEM_SIGN_CODE: Record<ItemSign, number> = { goods: 1, excise: 2, work: 3, service: 4, payment: 10, other: 13 };

export const TaxSystem = z.enum(['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent']);

/** A refund receipt as the app builds it: kopecks and thousandths. */
export const LifePayRefundReceipt = z.object({
  /** Our refund id: lets LIFE PAY's notifications and our records meet. */
  extId: z.string().min(1),
  /** test=1: LIFE PAY checks the request and fiscalizes nothing. */
  test: z.boolean().default(false),
  mode: z.enum(['print', 'email', 'sms']).default('print'),
  taxSystem: TaxSystem.optional(),
  customerEmail: z.string().optional(),
  customerPhone: z.string().optional(),
  /** Serial number of the cloud register that should print, when the account has several. */
  targetSerial: z.string().optional(),
  products: z.array(z.object({
    name: z.string().min(1),
    priceMinor: Minor.nonnegative(),
    quantityMilli: Milli.positive(),
    /** LIFE PAY has no Uzbek rate (12 %, 15 %). */
    vat: VatRate.exclude(['vat12', 'vat15']),
    paymentMethod: PaymentMethod,
    itemSign: ItemSign,
  })).min(1),
  cardMinor: Minor.nonnegative().default(0),
  /** Seed 001: the advance already paid goes in prepayment_amount. */
  prepaymentMinor: Minor.nonnegative().default(0),
});
export type LifePayRefundReceipt = z.input<typeof LifePayRefundReceipt>;

/** The body of create-receipt as it travels (the emulator validates requests with it). */
export const CreateReceiptRequest = z.object({
  apikey: z.string().min(1),
  login: z.string().min(1),
  test: z.union([z.literal(0), z.literal(1)]),
  type: z.enum(['payment', 'refund']),
  mode: z.enum(['print', 'email', 'sms']),
  ext_id: z.string().min(1),
  purchase: z.object({ products: z.array(LifePayProduct).min(1) }),
  card_amount: RublesAsKopecks.optional(),
  prepayment_amount: RublesAsKopecks.optional(),
  tax_system: TaxSystem.optional(),
  customer_email: z.string().optional(),
  customer_phone: z.string().optional(),
  target_serial: z.string().optional(),
});
