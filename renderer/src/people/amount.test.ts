import { describe, expect, it } from 'vitest';
import { parseAmount } from './amount';

describe('typed amounts', () => {
  it('reads roubles with an optional comma or point and spaces between thousands', () => {
    expect(parseAmount('5000')).toBe(500_000);
    expect(parseAmount('5 000,5')).toBe(500_050);
    expect(parseAmount('0.07')).toBe(7);
  });
  it('refuses what is not an amount', () => {
    for (const t of ['', '12,345', '-5', '1e3', 'abc', '1,2,3']) expect(parseAmount(t)).toBeNull();
  });
});
