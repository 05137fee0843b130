import { translator, type Translate } from '../i18n/catalogue';

/**
 * The RRN the cashier types from the acquiring terminal's refund slip. ISO 8583 field 37 (Retrieval
 * Reference Number) is 12 characters, letters and digits ("an 12"); Russian terminals print it in a line
 * "RRN" or "Номер ссылки". Issue 13 point 5: exactly that is accepted; the sale's own RRN (copied from
 * the sale slip by mistake) and a product barcode scanned into the field are refused in words.
 */
export const RRN_LENGTH = 12;

/** GS1 check digit (EAN-8, UPC-A, EAN-13, GTIN-14): weights 3 and 1 from the right, before the check digit. */
export function isGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false;
  const digits = [...code].map(Number);
  const check = digits.pop() ?? -1;
  const sum = digits.reverse().reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

/** What the field keeps of a keystroke or a paste: letters and digits, upper case. */
export const cleanRrn = (text: string): string => text.toUpperCase().replace(/[^0-9A-Z]/g, '');

/** Why this RRN cannot be the refund's, in the UI's language; null when it can. */
export function rrnProblem(rrn: string, opts: { saleRrns: readonly string[]; scanned: boolean }, t: Translate = translator('ru')): string | null {
  if (rrn === '') return t('rrn.empty');
  if ((opts.scanned || rrn.length !== RRN_LENGTH) && isGtin(rrn)) {
    return t('rrn.barcode');
  }
  if (rrn.length !== RRN_LENGTH) return t('rrn.length', { typed: rrn.length });
  if (opts.saleRrns.includes(rrn)) return t('rrn.saleRrn');
  return null;
}
