import { describe, expect, it } from 'vitest';
import { innProblem, isPersonalInn } from './inn';

describe('personal INN check digits', () => {
  it('accepts INNs whose two check digits fit (the cashier INNs of javapos_shtrih PrinterTest.java among them)', () => {
    for (const inn of ['500100732259', '164807134931', '538022374423']) expect(isPersonalInn(inn)).toBe(true);
  });

  it('refuses a changed digit, swapped digits, a company INN and non-digits', () => {
    expect(isPersonalInn('500100732258')).toBe(false);
    expect(isPersonalInn('500100732295')).toBe(false);
    expect(isPersonalInn('050010073225')).toBe(false);
    expect(isPersonalInn('012345678912')).toBe(false); // the example javapos sends is not a valid INN
    expect(isPersonalInn('7707083893')).toBe(false);
    expect(isPersonalInn('50010073225a')).toBe(false);
  });

  it('says in Russian what is wrong', () => {
    expect(innProblem('12345')).toMatch(/12 цифр, введено 5/);
    expect(innProblem('5001007322x9')).toMatch(/только цифры/);
    expect(innProblem('500100732258')).toMatch(/контрольное число/);
    expect(innProblem('500100732259')).toBeNull();
  });
});
