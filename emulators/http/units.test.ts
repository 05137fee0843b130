import { describe, expect, it } from 'vitest';
import { decimalAsInteger, scaledInteger } from './units';

describe('emulator decimal units', () => {
  it('reads decimals exactly and refuses digits the unit cannot hold', () => {
    expect(scaledInteger(1.254, 1000)).toBe(1254);
    expect(scaledInteger(0.1 + 0.2, 100)).toBe(30);
    expect(scaledInteger('123,45', 100)).toBe(12345);
    expect(scaledInteger(1.2541, 1000)).toBeUndefined();
    expect(scaledInteger('12.3.4', 100)).toBeUndefined();
    expect(scaledInteger(Number.NaN, 100)).toBeUndefined();
  });

  it('a quantity must be positive, money may be zero; the refusal says why in Russian', () => {
    expect(decimalAsInteger(100, 0, 'сумма').parse(0)).toBe(0);
    const q = decimalAsInteger(1000, 1, 'количество').safeParse(0);
    expect(q.success).toBe(false);
    expect(q.error?.issues[0]?.message).toContain('больше нуля');
    expect(decimalAsInteger(100, 0, 'сумма').safeParse(1.001).error?.issues[0]?.message).toContain('двух знаков');
  });
});
