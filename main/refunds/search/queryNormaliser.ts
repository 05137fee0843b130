import { switchLayout } from './keyboardLayout';

/**
 * One rule for "is this the number the cashier means": printed receipt and deal numbers are compared
 * in a canonical form, so the ways a number reaches the search field all find it (issue 13):
 * - case: "а-1001" is "А-1001";
 * - Latin and Cyrillic letters that look the same: "A-1001" (Latin, what a scanner in the English layout
 *   sends) is "А-1001" (Cyrillic, as printed);
 * - the other keyboard layout: "F-1001" is "А-1001" typed with QWERTY active (see keyboardLayout.ts);
 * - spaces, dashes and other separators: "А 1001", "А—1001", "А1001";
 * - leading zeros of a digit group: "А-01001";
 * - digits only: "1001" is every number whose digits are 1001 (several such sales → a list to pick from).
 */

/** Cyrillic capitals drawn like a Latin capital; both sides end up Latin. */
const LOOK_ALIKE: Readonly<Record<string, string>> = {
  А: 'A', В: 'B', Е: 'E', Ё: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  І: 'I', Ј: 'J', Ѕ: 'S',
};

const SEPARATORS = /[\s\-‐-―−_./\\#№]+/g;

/** The canonical form of a receipt or deal number. Two numbers are the same when these are equal. */
export function canonicalNumber(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKC').toUpperCase().replace(SEPARATORS, '')) out += LOOK_ALIKE[ch] ?? ch;
  // Leading zeros of every digit group: "A-0042" and "A-42" are one number.
  return out.replace(/(^|\D)0+(?=\d)/g, '$1');
}

/** The digits of a number without leading zeros ("А-01001" → "1001"), or "" when it has none. */
export function digitsOf(text: string): string {
  return text.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
}

const DIGITS_ONLY = /^[\d\s-]+$/;

/** What a query may mean, as canonical numbers: as typed, and as typed on the other layout. */
export function queryKeys(query: string): ReadonlySet<string> {
  return new Set([canonicalNumber(query), canonicalNumber(switchLayout(query))].filter((k) => k !== ''));
}

/** True when a query (typed or scanned) names this sale number. */
export function numberMatches(query: string, saleNumber: string): boolean {
  if (DIGITS_ONLY.test(query.trim())) {
    const digits = digitsOf(query);
    if (digits !== '' && digitsOf(saleNumber) === digits) return true;
  }
  return queryKeys(query).has(canonicalNumber(saleNumber));
}
