import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { roundedLineSum } from '../../../emulators/atol/model';
import { registerLine } from './commands';
import { atolLine, deviceLineSum } from './lineSum';
import type { FiscalPosition } from '../receipt';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** The message as [A4J] ItemRegistrationCommand counts it: the command code at byte 0 (after our 2-byte password). */
const message = (p: FiscalPosition, taxNumber = 3): Buffer => registerLine(atolLine(p, taxNumber)).request.subarray(2);

const weighed = (amountMinor: number, quantityMilli = 333): FiscalPosition => ({
  name: 'Сыр',
  priceMinor: 3_333,
  quantityMilli,
  amountMinor,
  vat: 'vat10',
  paymentMethod: 'fullPayment',
  itemSign: 'goods',
});

describe('E6 position sum: device rounding and the discount or markup that makes it the amount', () => {
  it('rounds price × quantity half up to the kopeck, also where the product passes 2^53', () => {
    expect(deviceLineSum(3_333, 333)).toBe(1_110); // 1 109.889
    expect(deviceLineSum(3_333, 337)).toBe(1_123); // 1 123.221
    expect(deviceLineSum(1, 500)).toBe(1); // half a kopeck rounds up
    expect(deviceLineSum(1, 499)).toBe(0);
    expect(deviceLineSum(99_999_999_99, 1_000_001)).toBe(10_000_009_999_000); // 10 000 009 998 999.999
  });

  it('is the rule the emulator rounds by, for any price and quantity E6 can carry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_99 }), fc.integer({ min: 1, max: 99_999_999 }), (price, quantity) => {
        expect(deviceLineSum(price, quantity)).toBe(roundedLineSum(price, quantity));
      }),
    );
  });

  it('lays E6 out at [A4J] offsets: discount type 77, sign 78, amount 79–84, tax 85, section 86, then ours', () => {
    const m = message(weighed(1_109));
    expect(m).toHaveLength(104);
    expect(m[0]).toBe(0xe6);
    expect(m[1]).toBe(0); // flags
    expect(m.subarray(2, 5)).toEqual(hex('91 EB E0')); // «Сыр» in CP866, then zeros to byte 65
    expect(m.subarray(5, 66)).toEqual(Buffer.alloc(61));
    expect(m.subarray(66, 72)).toEqual(hex('00 00 00 00 33 33')); // price 33.33
    expect(m.subarray(72, 77)).toEqual(hex('00 00 00 03 33')); // quantity 0.333
    expect(m[77]).toBe(1); // discount by sum
    expect(m[78]).toBe(0); // скидка: the device makes 11.10 of it, the amount is 11.09
    expect(m.subarray(79, 85)).toEqual(hex('00 00 00 00 00 01'));
    expect([m[85], m[86], m[87], m[88]]).toEqual([3, 0, 1, 4]); // tax, section, 1212 goods, 1214 full payment
    expect(m.subarray(89)).toEqual(Buffer.alloc(15));
  });

  it('a markup when the amount is above the device rounding, zero when they match', () => {
    const up = message(weighed(1_124, 337));
    expect([up[77], up[78]]).toEqual([1, 1]); // надбавка
    expect(up.subarray(79, 85)).toEqual(hex('00 00 00 00 00 01'));
    const same = message(weighed(1_110));
    expect([same[77], same[78]]).toEqual([1, 0]);
    expect(same.subarray(79, 85)).toEqual(Buffer.alloc(6));
    expect(atolLine(weighed(1_110), 3).adjustmentMinor).toBe(0);
    expect(atolLine(weighed(1_109), 3).adjustmentMinor).toBe(-1);
  });
});
