import { z } from 'zod';

/**
 * Decimal ↔ integer conversions for the emulators' own books. The emulators keep money in minor units
 * and quantities in thousandths so their checks never add floats; the wire carries decimals where the
 * documents do (LIFE POS quantities, LIFE PAY rubles). A value with more digits than the unit holds is
 * reported as undefined, and the emulator refuses the request instead of rounding it.
 */
export function scaledInteger(value: unknown, factor: 100 | 1000): number | undefined {
  const n = typeof value === 'string' && /^-?\d+(?:[.,]\d+)?$/.test(value.trim()) ? Number(value.trim().replace(',', '.')) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  const scaled = Math.round(n * factor);
  // Binary floats cannot hold 0.001 exactly: a millionth of slack tells 1.254 from 1.2541.
  if (Math.abs(scaled - n * factor) > 1e-6 || !Number.isSafeInteger(scaled)) return undefined;
  return scaled;
}

export const toDecimal = (integer: number, factor: 100 | 1000): number => integer / factor;

/**
 * A wire decimal (number or numeric string) as an integer count of 1/factor units, refused when it has
 * more digits than the unit holds or falls below `min` (0 for money, 1 for a quantity).
 */
export function decimalAsInteger(factor: 100 | 1000, min: 0 | 1, what: string) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = scaledInteger(v, factor);
    if (n === undefined || n < min) {
      ctx.addIssue({ code: 'custom', message: `${what} ${String(v)}: ${min === 0 ? 'не меньше нуля' : 'больше нуля'}, не более ${factor === 100 ? 'двух' : 'трёх'} знаков после запятой` });
      return z.NEVER;
    }
    return n;
  });
}
