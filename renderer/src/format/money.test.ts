import { describe, expect, it } from 'vitest';
import { formatMoney, formatQuantity, parseQuantity, pickLocale } from './money';

// Intl puts no-break and narrow no-break spaces between groups; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('formats kopecks as roubles in ru-RU', () => {
    expect(plain(formatMoney(123456, 'RUB'))).toBe('1 234,56 ₽');
    expect(plain(formatMoney(5, 'RUB'))).toBe('0,05 ₽');
    expect(plain(formatMoney(0, 'RUB'))).toBe('0,00 ₽');
  });

  it('shows sums as Uzbek tills do: space groups, the unit in the UI language, tiyin only when there are some (issue 15)', () => {
    // Hand-written: the no-break spaces keep an amount on one line.
    expect(formatMoney(125_000_000, 'UZS', 'uz')).toBe('1\u00a0250\u00a0000\u00a0so\u02bbm');
    expect(formatMoney(125_000_000, 'UZS', 'ru')).toBe('1\u00a0250\u00a0000\u00a0сум');
    expect(plain(formatMoney(123456750, 'UZS', 'uz'))).toBe('1 234 567,50 soʻm');
    expect(plain(formatMoney(2_200_000, 'UZS', 'uz'))).toBe('22 000 soʻm');
    expect(plain(formatMoney(99_999_999_999_900, 'UZS', 'uz'))).toBe('999 999 999 999 soʻm');
    expect(plain(formatMoney(100, 'UZS', 'ru'))).toBe('1 сум');
    expect(plain(formatMoney(5, 'UZS', 'uz'))).toBe('0,05 soʻm');
    expect(plain(formatMoney(0, 'UZS', 'uz'))).toBe('0 soʻm');
    expect(plain(formatMoney(-50_000, 'UZS', 'ru'))).toBe('-500 сум');
    expect(plain(formatMoney(100_000, 'UZS'))).toBe('1 000 сум');
  });

  it('leaves roubles as they were in either UI language', () => {
    expect(plain(formatMoney(123456, 'RUB', 'uz'))).toBe('1 234,56 ₽');
    expect(plain(formatMoney(100000, 'RUB', 'ru'))).toBe('1 000,00 ₽');
  });

  it('keeps every digit of the largest safe integer (a float would round it)', () => {
    expect(plain(formatMoney(Number.MAX_SAFE_INTEGER, 'RUB'))).toBe('90 071 992 547 409,91 ₽');
    expect(plain(formatMoney(-Number.MAX_SAFE_INTEGER, 'UZS', 'uz'))).toBe('-90 071 992 547 409,91 soʻm');
  });

  it('keeps the sign of amounts below one unit', () => {
    expect(plain(formatMoney(-50, 'RUB'))).toBe('-0,50 ₽');
    expect(plain(formatMoney(-123456, 'RUB'))).toBe('-1 234,56 ₽');
  });

  it('refuses values that are not safe integers instead of printing a wrong figure', () => {
    expect(() => formatMoney(1.5, 'RUB')).toThrow(RangeError);
    expect(() => formatMoney(2 ** 60, 'RUB')).toThrow(RangeError);
  });
});

describe('formatQuantity', () => {
  it('drops trailing zeros of thousandths', () => {
    expect(formatQuantity(1000, 'RUB')).toBe('1');
    expect(formatQuantity(1500, 'RUB')).toBe('1,5');
    expect(formatQuantity(250, 'RUB')).toBe('0,25');
    expect(formatQuantity(1, 'UZS')).toBe('0,001');
    expect(plain(formatQuantity(12_345_678_000, 'RUB'))).toBe('12 345 678');
  });
});

describe('parseQuantity', () => {
  it('reads typed quantities into thousandths without floats', () => {
    expect(parseQuantity('2')).toBe(2000);
    expect(parseQuantity('0,25')).toBe(250);
    expect(parseQuantity('1.5')).toBe(1500);
    expect(parseQuantity('3,')).toBe(3000);
    expect(parseQuantity('0,001')).toBe(1);
  });

  it('rejects what is not a quantity', () => {
    expect(parseQuantity('')).toBeNull();
    expect(parseQuantity('1,2345')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('abc')).toBeNull();
  });
});

describe('pickLocale', () => {
  it('uses the currency’s home locale where the engine has it, the Russian pattern where it does not', () => {
    expect(pickLocale('uz-UZ', () => true)).toBe('uz-UZ');
    expect(pickLocale('uz-UZ', () => false)).toBe('ru-RU');
    expect(plain(new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'UZS' }).format(9000))).toBe('9 000,00 UZS');
  });
});
