import { describe, expect, it } from 'vitest';
import { formatSum, lineAmountTiyin, regosVatValue, tiyinFromSum, uzVatPercent } from './regosUnits';

describe('REGOS units (seed 002 example: amount 900000, quantity 1000, vat_value 1200)', () => {
  it('money is tiyin: 900000 tiyin = 9 000 sum', () => {
    expect(tiyinFromSum(9000)).toBe(900000);
    expect(formatSum(900000)).toBe('9\u00a0000');
    expect(formatSum(900050)).toBe('9\u00a0000,50');
    expect(() => tiyinFromSum(9000.5)).toThrow(RangeError);
  });

  it('quantity is thousandths and amount is the line total: 1000 = 1 piece', () => {
    expect(lineAmountTiyin(900000, 1000)).toBe(900000);
    expect(lineAmountTiyin(900000, 2000)).toBe(1800000);
    // 1.255 kg at 12 345 tiyin/kg = 15 492.975 tiyin → 15 493.
    expect(lineAmountTiyin(12345, 1255)).toBe(15493);
  });

  it('vat_value as rate × 100 reproduces the examples (12 % → 1200, 15 % → 1500)', () => {
    expect(regosVatValue(900000, 12, 'ratePercentTimes100')).toBe(1200);
    expect(regosVatValue(900000, 15, 'ratePercentTimes100')).toBe(1500);
    expect(regosVatValue(900000, 0, 'ratePercentTimes100')).toBe(0);
  });

  it('vat_value as the included VAT amount in tiyin', () => {
    // 9 000 sum with 12 % inside: 9000 × 12 / 112 = 964.2857 sum → 96 429 tiyin.
    expect(regosVatValue(900000, 12, 'amountTiyin')).toBe(96429);
    expect(regosVatValue(0, 12, 'amountTiyin')).toBe(0);
    expect(() => regosVatValue(-1, 12, 'amountTiyin')).toThrow(RangeError);
  });

  it('maps the app VAT rates to Uzbek percents', () => {
    expect(uzVatPercent('vat12')).toBe(12);
    expect(uzVatPercent('none')).toBe(0);
    expect(uzVatPercent('vat20')).toBeUndefined();
  });
});
