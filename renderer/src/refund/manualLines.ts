import type { Currency, ManualLine, PaymentMethod, VatRate } from '../../../preload/contract';
import { parseQuantity } from '../format/money';
import type { Translate } from '../i18n/catalogue';
import { parseSum } from './enteredLines';

/** One line of a refund without a receipt as the cashier types it, before it is checked. */
export interface ManualDraft {
  name: string;
  price: string;
  quantity: string;
  vat: VatRate;
  sign: PaymentMethod;
}

/** The rates a till of each country prints (tag 1199 in Russia; REGOS's 12 % / 15 % in Uzbekistan), most usual first. */
export const VAT_CHOICES: Record<Currency, readonly VatRate[]> = {
  RUB: ['vat22', 'vat20', 'vat10', 'vat7', 'vat5', 'vat0', 'none'],
  UZS: ['vat12', 'vat15', 'vat0', 'none'],
};
export const SIGN_CHOICES: readonly PaymentMethod[] = ['fullPayment', 'prepayment100', 'prepayment', 'advance', 'partialPaymentCredit', 'creditTransfer', 'creditPayment'];

export const emptyManualDraft = (currency: Currency): ManualDraft => ({ name: '', price: '', quantity: '1', vat: VAT_CHOICES[currency][0] ?? 'none', sign: 'fullPayment' });

/** The line, or why it cannot be one (what to fix, in the UI's language). */
export function checkManualDraft(d: ManualDraft, t: Translate): { line: ManualLine } | { problem: string } {
  if (d.name.trim() === '') return { problem: t('noReceipt.noName') };
  const priceMinor = parseSum(d.price);
  if (priceMinor === null || priceMinor === 0) return { problem: t('noReceipt.badPrice', { text: d.price }) };
  const quantityMilli = parseQuantity(d.quantity);
  if (quantityMilli === null || quantityMilli === 0) return { problem: t('entry.badQuantity', { text: d.quantity }) };
  return { line: { name: d.name.trim(), priceMinor, quantityMilli, vat: d.vat, paymentMethod: d.sign, itemSign: 'goods' } };
}

export const manualAmount = (l: ManualLine): number => Math.round((l.priceMinor * l.quantityMilli) / 1000);
