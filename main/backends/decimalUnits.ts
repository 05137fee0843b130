import { z } from 'zod';

/**
 * Wire formats that carry decimals (LIFE POS quantities, LIFE PAY rubles) are converted to the app's
 * integers here and nowhere else. A value with more digits than the integer unit can hold is a
 * contract violation, not something to round silently.
 */
export function milliFromDecimal(value: number): number | undefined {
  return scaled(value, 1000);
}

export function decimalFromMilli(milli: number): number {
  return milli / 1000;
}

export function minorFromDecimal(value: number | string): number | undefined {
  if (typeof value === 'string') {
    const m = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(value.trim());
    if (!m) return undefined;
    const minor = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
    return Number.isSafeInteger(minor) ? (m[1] === '-' ? -minor : minor) : undefined;
  }
  return scaled(value, 100);
}

/** Rubles with exactly two decimals as a JSON number (123.45): built from integers, so no float drift. */
export function decimalFromMinor(minor: number): number {
  return minor / 100;
}

function scaled(value: number, factor: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const n = Math.round(value * factor);
  // Binary floats cannot hold 0.001 exactly: accept what is within a millionth of an integer count.
  if (Math.abs(n - value * factor) > 1e-6 || !Number.isSafeInteger(n)) return undefined;
  return n;
}

/** Parses a decimal quantity (1.5 pieces, 0.25 kg) into integer thousandths. */
export const QuantityAsMilli = z.number().transform((v, ctx) => {
  const milli = milliFromDecimal(v);
  if (milli === undefined || milli < 0) {
    ctx.addIssue({ code: 'custom', message: `quantity ${v} is not a non-negative multiple of 0.001` });
    return z.NEVER;
  }
  return milli;
});

/** Parses rubles given as 123.45 or "123.45" into integer kopecks. */
export const RublesAsKopecks = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const minor = minorFromDecimal(v);
  if (minor === undefined) {
    ctx.addIssue({ code: 'custom', message: `amount ${String(v)} is not a whole number of kopecks` });
    return z.NEVER;
  }
  return minor;
});
