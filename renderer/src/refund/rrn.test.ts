import { describe, expect, it } from 'vitest';
import { cleanRrn, isGtin, rrnProblem } from './rrn';

const none = { saleRrns: [], scanned: false };

describe('RRN field (issue 13 point 5)', () => {
  it('takes the 12 characters a terminal prints, digits or letters', () => {
    expect(rrnProblem('432109876599', none)).toBeNull();
    expect(rrnProblem(cleanRrn('a1b2 c3d4-e5f6'), none)).toBeNull();
  });

  it('refuses other lengths and says how many were typed', () => {
    expect(rrnProblem('43210987659', none)).toBe('RRN — ровно 12 символов (цифры и латинские буквы), введено 11');
    expect(rrnProblem('', none)).toMatch(/Введите RRN/);
  });

  it('refuses the sale\'s own RRN', () => {
    expect(rrnProblem('432109876543', { saleRrns: ['432109876543'], scanned: false })).toMatch(/RRN покупки/);
  });

  it('refuses a product barcode: EAN-13 typed or scanned, a 12-digit UPC only when scanned', () => {
    expect(isGtin('4607053470017')).toBe(true);
    expect(isGtin('4607053470016')).toBe(false);
    expect(rrnProblem('4607053470017', none)).toMatch(/штрихкод товара/);
    expect(rrnProblem('46070531', none)).toMatch(/штрихкод товара/); // EAN-8 with a valid check digit
    expect(isGtin('036000291452')).toBe(true);
    expect(rrnProblem('036000291452', { saleRrns: [], scanned: true })).toMatch(/штрихкод товара/);
    expect(rrnProblem('036000291452', none)).toBeNull();
  });
});
