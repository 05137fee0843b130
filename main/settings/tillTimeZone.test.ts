import { describe, expect, it } from 'vitest';
import { tillTimeZone, vcrTimeToIso, wallTimeToInstant, zoneOffsetMinutes } from './tillTimeZone';

describe("the till's time zone", () => {
  it('is the setting, or the system\'s own when the setting is empty', () => {
    expect(tillTimeZone('Asia/Tashkent')).toBe('Asia/Tashkent');
    expect(tillTimeZone('')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('knows the offsets (hand-checked: Tashkent +5 all year, Moscow +3, Berlin +1 in winter and +2 in summer)', () => {
    expect(zoneOffsetMinutes('Asia/Tashkent', new Date('2026-07-01T00:00:00Z'))).toBe(300);
    expect(zoneOffsetMinutes('Europe/Moscow', new Date('2026-01-01T00:00:00Z'))).toBe(180);
    expect(zoneOffsetMinutes('Europe/Berlin', new Date('2026-01-15T12:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes('Europe/Berlin', new Date('2026-07-15T12:00:00Z'))).toBe(120);
  });

  it('reads a wall time in the zone, also right after a daylight-saving change', () => {
    expect(wallTimeToInstant({ year: 2026, month: 3, day: 29, hour: 3, minute: 30, second: 0 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(wallTimeToInstant({ year: 2026, month: 3, day: 28, hour: 3, minute: 30, second: 0 }, 'Europe/Berlin').toISOString()).toBe('2026-03-28T02:30:00.000Z');
  });

  it("REGOS VCR's zone-less receipt time is the store's wall clock: 14:05 in Tashkent is 09:05 UTC", () => {
    expect(vcrTimeToIso('2026-03-01 14:05:00', 'Asia/Tashkent')).toBe('2026-03-01T09:05:00.000Z');
    expect(vcrTimeToIso('2026-03-01 02:00:00', 'Asia/Tashkent')).toBe('2026-02-28T21:00:00.000Z');
    expect(vcrTimeToIso('2026-03-01 14:05:00', 'UTC')).toBe('2026-03-01T14:05:00.000Z');
    expect(vcrTimeToIso(null, 'UTC')).toBe('');
    expect(vcrTimeToIso('вчера', 'UTC')).toBe('вчера');
  });
});
