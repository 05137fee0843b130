import { describe, expect, it } from 'vitest';
import { canonicalNumber, numberMatches } from './queryNormaliser';

/** The canonical number itself and the edges of "which sale does this query name" (issue 11 point 7). */
describe('query normaliser: the canonical form and empty queries', () => {
  it('the canonical form is the printed number without separators, Latin, with no leading zeros', () => {
    expect(canonicalNumber('а-01001')).toBe('A1001');
    expect(canonicalNumber('0042')).toBe('42');
    expect(canonicalNumber('0')).toBe('0');
  });

  it('leading zeros at the very start of a number with letters do not hide it', () => {
    expect(numberMatches('01001А', '1001-А')).toBe(true);
    expect(numberMatches('1001А', '01001-А')).toBe(true);
  });

  it('a query of separators only names no sale: not one without digits, not one without a number', () => {
    for (const query of ['-', ' - ', '—']) {
      expect(numberMatches(query, 'АБ')).toBe(false);
      expect(numberMatches(query, '')).toBe(false);
      expect(numberMatches(query, '№')).toBe(false);
    }
  });
});
