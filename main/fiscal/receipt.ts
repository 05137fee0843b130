import { z } from 'zod';
import { AppError } from '../appError';
import { minorText } from '../decimalText';
import { ItemSign, PaymentMethod, VatRate } from '../../preload/contract/domain';
import type { TaxGroupPlan } from './taxGroups';

/**
 * What the product asks the printer to fiscalize. Tag values (1054 operation, 1214 payment method,
 * 1212 item sign, 1055 tax system) come from the ФФД and the Shtrih-M FN command set (PROTOCOL.md §Receipt).
 */
// The sale's tags are the domain's own: a refund line carries them unchanged to the printer.
export { ItemSign, PaymentMethod } from '../../preload/contract/domain';

export const ReceiptOperation = z.enum(['income', 'refundOfIncome']);
export type ReceiptOperation = z.infer<typeof ReceiptOperation>;

export const TaxSystem = z.enum(['osn', 'usnIncome', 'usnIncomeMinusExpense', 'envd', 'esxn', 'patent']);
export type TaxSystem = z.infer<typeof TaxSystem>;

const minor = z.number().int().nonnegative().max(99_999_999_99);

export const FiscalPosition = z.object({
  name: z.string().trim().min(1).max(128),
  priceMinor: minor,
  quantityMilli: z.number().int().positive().max(99_999_999),
  amountMinor: minor,
  vat: VatRate,
  paymentMethod: PaymentMethod,
  itemSign: ItemSign,
  /** ФФД 1.2 marking code of this one unit, as main/marking normalised it (FF61/FF67 carry it; PROTOCOL.md §Marking codes). */
  markingCode: z.string().min(1).max(255).optional(),
}).refine((p) => p.markingCode === undefined || p.quantityMilli === 1000, { message: 'a position with a marking code is one piece', path: ['quantityMilli'] });
export type FiscalPosition = z.infer<typeof FiscalPosition>;

export const Tenders = z.object({
  cashMinor: minor.default(0),
  electronicMinor: minor.default(0),
  prepaymentMinor: minor.default(0),
  creditMinor: minor.default(0),
});
export type Tenders = z.infer<typeof Tenders>;

/**
 * Positions (FF46 operations) in one receipt. No public source gives the Shtrih-M's or the ФН's number
 * (PROTOCOL.md §Receipt limits): 100 is our documented assumption; a refund with more is split into
 * several receipts (main/refunds/receiptPlan.ts).
 */
export const MAX_RECEIPT_POSITIONS = 100;

export const FiscalReceipt = z.object({
  operation: ReceiptOperation,
  cashier: z.string().trim().min(1).max(64),
  /** Tag 1203 ИНН кассира: 12 digits, sent only when the signed-in cashier has one (main/people/). */
  cashierInn: z.string().regex(/^\d{12}$/).optional(),
  taxSystem: TaxSystem.optional(),
  positions: z.array(FiscalPosition).min(1).max(MAX_RECEIPT_POSITIONS),
  tenders: Tenders,
  customerContact: z.string().trim().min(1).max(64).optional(),
});
export type FiscalReceipt = z.infer<typeof FiscalReceipt>;
export type FiscalReceiptInput = z.input<typeof FiscalReceipt>;

export const FiscalCorrection = z.object({
  /** 'self' = by the business's own decision, 'prescribed' = by an order of the tax office. */
  kind: z.enum(['self', 'prescribed']),
  operation: z.enum(['income', 'expense']),
  totalMinor: minor,
  tenders: Tenders.extend({ counterMinor: minor.default(0) }),
  taxSystem: TaxSystem,
  vatTotals: z
    .object({ vat20: minor, vat10: minor, vat0: minor, none: minor, vat120: minor, vat110: minor })
    .partial()
    .default({}),
});
export type FiscalCorrection = z.infer<typeof FiscalCorrection>;
export type FiscalCorrectionInput = z.input<typeof FiscalCorrection>;

export const OPERATION_CODE: Record<ReceiptOperation, number> = { income: 1, refundOfIncome: 2 };
/** Document type of command 0x8D (open receipt): 0 sale, 2 return of sale. */
export const OPEN_RECEIPT_TYPE: Record<ReceiptOperation, number> = { income: 0, refundOfIncome: 2 };
export const PAYMENT_METHOD_CODE: Record<PaymentMethod, number> = {
  prepayment100: 1,
  prepayment: 2,
  advance: 3,
  fullPayment: 4,
  partialPaymentCredit: 5,
  creditTransfer: 6,
  creditPayment: 7,
};
export const ITEM_SIGN_CODE: Record<ItemSign, number> = { goods: 1, excise: 2, work: 3, service: 4, payment: 10, other: 13 };
export const TAX_SYSTEM_CODE: Record<TaxSystem, number> = { osn: 1, usnIncome: 2, usnIncomeMinusExpense: 4, envd: 8, esxn: 16, patent: 32 };

export function validationError(message: string, detail: string): AppError {
  return new AppError({ code: 'FISCAL_VALIDATION', message, retry: 'permanent', detail });
}


/** Checks sums before anything is sent: a receipt the device would reject must not half-print. */
export function checkReceipt(r: FiscalReceipt, plan: TaxGroupPlan): { totalMinor: number } {
  let total = 0;
  for (const p of r.positions) {
    // The device accepts a line sum within ±1 kopeck of price × quantity (PROTOCOL.md §FF46).
    const exact = BigInt(p.priceMinor) * BigInt(p.quantityMilli);
    const diff = exact - BigInt(p.amountMinor) * 1000n;
    if (diff > 1000n || diff < -1000n) {
      throw validationError(
        `Сумма позиции «${p.name}» (${minorText(p.amountMinor)}) не равна цене × количество.`,
        `position amount ${p.amountMinor} != price ${p.priceMinor} x qty ${p.quantityMilli}/1000`,
      );
    }
    // The rate is the sale's own (never today's); one this device would print wrong stops the whole receipt.
    const refused = plan.refused[p.vat];
    if (refused !== undefined || plan.groups[p.vat] === undefined) {
      throw new AppError({
        code: 'FISCAL_VAT_RATE',
        message: `«${p.name}»: ${refused ?? `для ставки НДС ${p.vat} не найдена налоговая группа ККТ.`}`,
        retry: 'permanent',
        detail: `${p.vat}: ${refused === undefined ? 'no tax group' : 'refused by the device tax table check'}`,
      });
    }
    total += p.amountMinor;
  }
  const t = r.tenders;
  const paid = t.cashMinor + t.electronicMinor + t.prepaymentMinor + t.creditMinor;
  if (paid !== total) {
    throw validationError(`Сумма оплат (${minorText(paid)}) не равна сумме чека (${minorText(total)}).`, `tenders ${paid} != total ${total}`);
  }
  return { totalMinor: total };
}

export function parseReceipt(input: unknown): FiscalReceipt {
  const r = FiscalReceipt.safeParse(input);
  if (!r.success) {
    throw validationError('Данные чека заполнены неверно.', `receipt schema: ${r.error.message}`);
  }
  return r.data;
}
