import { describe, expect, it } from 'vitest';
import { decimalFromMilli, decimalFromMinor, milliFromDecimal, minorFromDecimal, QuantityAsMilli, RublesAsKopecks } from './decimalUnits';

describe('decimal wire values ↔ integers', () => {
  it('quantities: 1 → 1000, 1.254 → 1254, 0.001 → 1; more than 3 decimals is refused', () => {
    expect(milliFromDecimal(1)).toBe(1000);
    expect(milliFromDecimal(1.254)).toBe(1254);
    expect(milliFromDecimal(0.001)).toBe(1);
    expect(milliFromDecimal(1.0005)).toBeUndefined();
    expect(decimalFromMilli(1254)).toBe(1.254);
    for (let m = 0; m < 5000; m += 7) expect(milliFromDecimal(decimalFromMilli(m))).toBe(m);
  });

  it('rubles: 123.45 and "123,45" → 12345 kopecks; fractions of a kopeck are refused', () => {
    expect(minorFromDecimal(123.45)).toBe(12345);
    expect(minorFromDecimal('123.45')).toBe(12345);
    expect(minorFromDecimal('123,4')).toBe(12340);
    expect(minorFromDecimal('-0.01')).toBe(-1);
    expect(minorFromDecimal(0.1 + 0.2)).toBe(30);
    expect(minorFromDecimal('1.005')).toBeUndefined();
    expect(minorFromDecimal(1.005)).toBeUndefined();
    expect(decimalFromMinor(12345)).toBe(123.45);
    for (let k = 0; k < 100_000; k += 97) expect(minorFromDecimal(decimalFromMinor(k))).toBe(k);
  });

  it('schemas report bad values as issues', () => {
    expect(QuantityAsMilli.safeParse(-1).success).toBe(false);
    expect(QuantityAsMilli.parse(2.5)).toBe(2500);
    expect(RublesAsKopecks.safeParse('12.345').success).toBe(false);
    expect(RublesAsKopecks.parse('9000')).toBe(900000);
  });
});
