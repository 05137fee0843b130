import { describe, expect, it } from 'vitest';
import { formatWallTime, newestFirst, saleWallTime } from './saleTime';

describe('sale times on the till clock', () => {
  it('shows an instant in the till zone, so a Tashkent till never sees a Moscow sale in the future', () => {
    expect(saleWallTime('2026-03-01T10:00:00Z', 'Asia/Tashkent')).toBe('2026-03-01 15:00:00');
    expect(saleWallTime('2026-03-01T10:00:00+03:00', 'Europe/Moscow')).toBe('2026-03-01 10:00:00');
    expect(saleWallTime('2026-03-01T23:30:00Z', 'Asia/Tashkent')).toBe('2026-03-02 04:30:00');
  });

  it('keeps a wall-clock time without offset as written (REGOS VCR)', () => {
    expect(saleWallTime('2026-03-01 14:05:00', 'Europe/Moscow')).toBe('2026-03-01 14:05:00');
    expect(saleWallTime('2026-03-01T14:05', undefined)).toBe('2026-03-01 14:05:00');
    expect(saleWallTime('вчера', 'Europe/Moscow')).toBeNull();
    expect(formatWallTime('2026-03-01 14:05:00', 'x')).toBe('01.03.2026 14:05');
    expect(formatWallTime(null, 'вчера')).toBe('вчера');
  });

  it('sorts newest first across zones and puts unreadable times last', () => {
    const sales = ['2026-03-01T08:00:00Z', 'bad', '2026-03-01 14:00:00', '2026-03-01T10:30:00+03:00'];
    // Till in Tashkent: 13:00, 14:00 (wall), 12:30.
    expect(newestFirst(sales, (s) => saleWallTime(s, 'Asia/Tashkent'))).toEqual(['2026-03-01 14:00:00', '2026-03-01T08:00:00Z', '2026-03-01T10:30:00+03:00', 'bad']);
  });
});
