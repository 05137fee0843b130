import { describe, expect, it } from 'vitest';
import { localDayOf } from './localDay';

/**
 * The day a sale or refund is listed under (F-key day filters, the journal, the cashier's totals), in any TZ:
 * expectations come from Intl's own local date (sv-SE writes it as YYYY-MM-DD), not from the code's arithmetic.
 */
const intlDay = (timestamp: string) => new Date(timestamp).toLocaleDateString('sv-SE');

describe('the local day of a timestamp', () => {
  it('is the day on the till\'s clock, not the date written in a stamp from another zone', () => {
    // 23:30 at UTC−12 is already the 29th nearly everywhere (in UTC, Moscow and Tashkent alike).
    const late = '2026-11-28T23:30:00-12:00';
    expect(localDayOf(late)).toBe(intlDay(late));
  });

  it('writes month and day with two digits, as the day filter sends them', () => {
    const stamp = new Date(2026, 0, 5, 12).toISOString();
    expect(localDayOf(stamp)).toBe('2026-01-05');
  });

  it('an unreadable time keeps its written date, so the sale is still listed under that day', () => {
    expect(localDayOf('2026-11-28T25:00:00')).toBe('2026-11-28');
  });
});
