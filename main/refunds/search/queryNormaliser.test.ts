import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { switchLayout } from './keyboardLayout';
import { canonicalNumber, digitsOf, numberMatches } from './queryNormaliser';

/**
 * Printed numbers the way the back ends spell them: series letters of one script (a number is typed on
 * one layout), a dash, digits.
 */
const cyrillic = fc.constantFrom('А', 'В', 'Е', 'К', 'М', 'Н', 'О', 'Р', 'С', 'Т', 'Х', 'Б', 'Д', 'Ж', 'Я');
const latin = fc.constantFrom('A', 'B', 'K', 'Q', 'Z', 'F');
const series = fc.oneof(fc.array(cyrillic, { maxLength: 2 }), fc.array(latin, { maxLength: 2 }));
const number = fc.tuple(series, fc.integer({ min: 1, max: 9_999_999 }))
  .map(([letters, n]) => (letters.length ? `${letters.join('')}-${n}` : String(n)));

const LATIN_OF: Record<string, string> = { А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X' };

describe('query normaliser (issue 13 point 1)', () => {
  it('the issue\'s spellings all find "А-1001" (Cyrillic А as LIFE POS prints it)', () => {
    for (const q of ['А-1001', 'A-1001', 'а-1001', 'a-1001', 'F-1001', 'f-1001', 'А1001', 'а 1001', 'А—1001', 'А-01001', '1001', '001001']) {
      expect(numberMatches(q, 'А-1001'), q).toBe(true);
    }
    for (const q of ['А-1002', 'Б-1001', '10011', '101', 'А-1001-2']) expect(numberMatches(q, 'А-1001'), q).toBe(false);
  });

  it('case never matters', () => {
    fc.assert(fc.property(number, (n) => numberMatches(n.toLowerCase(), n) && numberMatches(n.toUpperCase(), n)));
  });

  it('a Cyrillic letter and the Latin letter drawn the same are one letter', () => {
    fc.assert(fc.property(number, (n) => numberMatches([...n].map((c) => LATIN_OF[c] ?? c).join(''), n)));
  });

  it('the same keys typed on the other layout find the number', () => {
    fc.assert(fc.property(number, (n) => numberMatches(switchLayout(n), n)));
  });

  it('switching the layout twice gives the text back (the two layouts are one bijection)', () => {
    const keys = fc.string({ unit: fc.constantFrom(...'qwertyuiop[]asdfghjkl;\'zxcvbnm,./`QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?~1234567890-= ') });
    fc.assert(fc.property(keys, (s) => !/[a-z]/i.test(s) || switchLayout(switchLayout(s)) === s));
  });

  it('spaces and dashes anywhere are ignored', () => {
    const seps = fc.array(fc.constantFrom(' ', '-', '–', '—', '\u00a0'), { maxLength: 3 });
    fc.assert(fc.property(number, fc.array(seps, { minLength: 20, maxLength: 20 }), (n, inserts) => {
      const spaced = [...n].map((c, i) => `${(inserts[i] ?? []).join('')}${c}`).join('');
      return numberMatches(spaced, n);
    }));
  });

  it('leading zeros of a digit group are ignored', () => {
    fc.assert(fc.property(number, fc.integer({ min: 1, max: 4 }), (n, zeros) => numberMatches(n.replace(/(\d+)$/, `${'0'.repeat(zeros)}$1`), n)));
  });

  it('digits alone match exactly the numbers with those digits', () => {
    fc.assert(fc.property(number, number, (a, b) => numberMatches(digitsOf(a), b) === (digitsOf(a) === digitsOf(b))));
  });

  it('different numbers stay different', () => {
    fc.assert(fc.property(number, number, (a, b) => {
      fc.pre(canonicalNumber(a) !== canonicalNumber(b) && canonicalNumber(switchLayout(a)) !== canonicalNumber(b) && digitsOf(a) !== digitsOf(b));
      return !numberMatches(a, b);
    }));
  });
});
