import { z } from 'zod';
import { Minor, Sale, SaleRef } from './domain';
import { MAX_LEN } from './limits';
import { MainText } from './mainText';

/**
 * Instalment part-payments (REGOS VCR Receipt.Credit, seed 003): "Передав товар или оказав услугу в
 * рассрочку (кредит), выдается фискальный чек с помощью метода Receipt.Sale. Кредитный чек выдаётся
 * покупателю при получении части оплаты за товар или услугу." See main/instalments/README.md.
 */

const Rrn = z.string().regex(/^\d{12}$/, 'RRN — 12 цифр').max(12);
const PositiveMinor = Minor.refine((v) => v > 0, 'сумма должна быть больше нуля');

/**
 * How the part was paid. Cash and the card terminal (BACKENDS.md: type 1, type 2) are what a credit
 * receipt takes; a payment system (Click, Payme …) is named so the refusal can say the seed's reason:
 * "По кредитному чеку недоступна оплата через платёжные системы".
 */
export const InstalmentTender = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cash'), amountMinor: PositiveMinor }).strict(),
  z.object({
    kind: z.literal('terminal'),
    amountMinor: PositiveMinor,
    rrn: Rrn,
    /** BACKENDS.md: card_type 1 corporate, 2 personal. */
    cardType: z.enum(['corporate', 'personal']),
  }).strict(),
  z.object({ kind: z.literal('paymentSystem'), amountMinor: PositiveMinor, system: z.string().min(1).max(MAX_LEN.code) }).strict(),
]);
export type InstalmentTender = z.infer<typeof InstalmentTender>;

/** Seed 003's example phone "998918935861": digits only, country code first. */
export const InstalmentPhone = z.string().regex(/^\d{9,15}$/, 'телефон — от 9 до 15 цифр, с кодом страны (998…)').max(15);

export const InstalmentState = z.enum(['sending', 'registered', 'failed']);
export type InstalmentState = z.infer<typeof InstalmentState>;

export const InstalmentPayment = z.object({
  /** Our id, sent to VCR as the credit receipt's `code`. */
  id: z.string().min(1).max(MAX_LEN.id),
  sale: SaleRef,
  saleNumber: z.string().max(MAX_LEN.code),
  amountMinor: Minor,
  tenders: z.array(InstalmentTender).max(3),
  phone: InstalmentPhone.optional(),
  /** sending: VCR's answer is not known yet and is asked for by itself; registered; failed: nothing registered. */
  state: InstalmentState,
  /** VCR's id of the credit receipt (seed 003 output: "id созданного чека в REGOS: VCR"). */
  vcrId: z.string().max(MAX_LEN.id).optional(),
  /** Russian: why it waits or failed, and what the cashier does now. */
  reason: z.string().max(MAX_LEN.text).optional(),
  /** The reason as a code with values when it quotes VCR's error (the fixed ones are known by their Russian text). */
  reasonText: MainText.optional(),
  createdAt: z.string().max(MAX_LEN.dateTime),
  /** Everything this till registered for the sale up to and including this payment. */
  creditedToDateMinor: Minor,
});
export type InstalmentPayment = z.infer<typeof InstalmentPayment>;

/** The instalment sale as far as this till and VCR can tell. */
export const InstalmentSale = z.object({
  sale: Sale,
  /** Credit receipts this till registered for the sale, oldest first. VCR lists none by sale. */
  payments: z.array(InstalmentPayment),
  creditedMinor: Minor,
  /** The phone of the last credit receipt for this sale, to go on the next one. */
  phone: InstalmentPhone.optional(),
});
export type InstalmentSale = z.infer<typeof InstalmentSale>;

export const InstalmentPayInput = z.object({
  /** Made by the UI before the first attempt: a double Enter or a retried request is one receipt. */
  paymentId: z.uuid(),
  sale: SaleRef,
  amountMinor: PositiveMinor,
  tenders: z.array(InstalmentTender).min(1).max(3),
  phone: InstalmentPhone.optional(),
}).strict();
export type InstalmentPayInput = z.infer<typeof InstalmentPayInput>;

/**
 * A copy of a registered credit receipt (main/instalments/README.md "Reprint"): the lines printed as a
 * non-fiscal text copy marked КОПИЯ where the till has a printer, shown on screen where it has none (a
 * REGOS-only till) or the printer failed. The credit receipt itself has no QR (seed 003: "не регистрируется
 * в фискальном модуле"); `saleQrCodeUrl` is the instalment sale's fiscal receipt, which the customer can check.
 */
export const CreditReceiptCopy = z.object({
  printed: z.boolean(),
  lines: z.array(z.string().max(MAX_LEN.text)).max(60),
  saleQrCodeUrl: z.string().max(MAX_LEN.url).optional(),
  /** Russian: why the printer did not print it (the copy is on screen instead). */
  printerProblem: z.string().max(MAX_LEN.text).optional(),
});
export type CreditReceiptCopy = z.infer<typeof CreditReceiptCopy>;
