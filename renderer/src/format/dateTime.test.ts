import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, isoDay } from './dateTime';

describe('dates on the till (dd.mm.yyyy, 24 h, the till\'s zone)', () => {
  it('writes an instant in the zone asked for, hand-checked against the zones\' offsets', () => {
    // 19:30 UTC is 00:30 the next day in Tashkent (UTC+5) and 22:30 in Moscow (UTC+3).
    expect(formatDateTime('2026-03-01T19:30:00Z', 'Asia/Tashkent')).toBe('02.03.2026 00:30');
    expect(formatDateTime('2026-03-01T19:30:00Z', 'Europe/Moscow')).toBe('01.03.2026 22:30');
    expect(formatDateTime('2026-03-01T19:30:00Z', 'UTC')).toBe('01.03.2026 19:30');
    expect(formatDate('2026-12-31T20:00:00Z', 'Asia/Tashkent')).toBe('01.01.2027');
  });

  it('"today" is the zone\'s day, not the machine clock\'s', () => {
    const now = new Date('2026-03-01T21:00:00Z');
    expect(isoDay(now, 'Asia/Tashkent')).toBe('2026-03-02');
    expect(isoDay(now, 'UTC')).toBe('2026-03-01');
  });

  it('shows a text that is not a time as it came', () => {
    expect(formatDateTime('вчера', 'UTC')).toBe('вчера');
  });
});
