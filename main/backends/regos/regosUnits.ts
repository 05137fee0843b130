import type { VatRate } from '../../../preload/contract/domain';

/**
 * REGOS VCR units, as its examples use them (seed 002: amount 900000, quantity 1000, vat_value 1200 for
 * one Coca-Cola at 9 000 sum):
 * - money (`amount`, `discount`, payment `value`, result `Amount`) in tiyin, 1/100 sum: 900000 = 9 000 sum;
 * - `quantity` in thousandths: 1000 = 1 piece, 1500 = 1.5 kg;
 * - a position's `amount` is the line total (price × quantity), not the unit price.
 */
export const TIYIN_PER_SUM = 100;
export const QUANTITY_PER_UNIT = 1000;

export function tiyinFromSum(sum: number): number {
  if (!Number.isSafeInteger(sum)) throw new RangeError(`sum must be a whole number, got ${sum}`);
  return sum * TIYIN_PER_SUM;
}

/** "9 000" or "9 000,50" sum, for messages and logs. */
export function formatSum(tiyin: number): string {
  const sign = tiyin < 0 ? '-' : '';
  const abs = Math.abs(tiyin);
  const whole = Math.floor(abs / TIYIN_PER_SUM).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const frac = abs % TIYIN_PER_SUM;
  return `${sign}${whole}${frac === 0 ? '' : `,${String(frac).padStart(2, '0')}`}`;
}

/** Line total in tiyin for a unit price and a quantity in thousandths, rounded half up. */
export function lineAmountTiyin(unitPriceTiyin: number, quantityMilli: number): number {
  const product = BigInt(unitPriceTiyin) * BigInt(quantityMilli);
  return Number((product * 2n + BigInt(QUANTITY_PER_UNIT)) / BigInt(2 * QUANTITY_PER_UNIT));
}

/**
 * What `vat_value` means is ambiguous (BACKENDS.md): the seeds' examples read as the rate × 100
 * (1200 = 12 %, 1500 = 15 %, Uzbekistan's rate before 2023), while one integrator reports VCR expecting
 * the VAT amount of the line in tiyin. The choice is a setting; this is the one place that applies it.
 */
export type RegosVatMode = 'ratePercentTimes100' | 'amountTiyin';

export function regosVatValue(lineAmountTiyin: number, vatPercent: number, mode: RegosVatMode): number {
  if (!Number.isSafeInteger(lineAmountTiyin) || lineAmountTiyin < 0) throw new RangeError(`line amount must be whole tiyin, got ${lineAmountTiyin}`);
  if (!Number.isInteger(vatPercent) || vatPercent < 0 || vatPercent > 100) throw new RangeError(`VAT percent must be 0..100, got ${vatPercent}`);
  if (mode === 'ratePercentTimes100') return vatPercent * 100;
  // VAT included in the line total: amount × p / (100 + p), half up, in integers.
  const num = BigInt(lineAmountTiyin) * BigInt(vatPercent);
  const den = BigInt(100 + vatPercent);
  return Number((num * 2n + den) / (den * 2n));
}

/** Uzbek receipts know 12 %, the earlier 15 % (seed 003's "vat_value": 1500) and no VAT; anything else cannot be a REGOS line. */
export function uzVatPercent(vat: VatRate): number | undefined {
  switch (vat) {
    case 'vat12': return 12;
    case 'vat15': return 15;
    case 'vat0':
    case 'none': return 0;
    default: return undefined;
  }
}
