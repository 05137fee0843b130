import { describe, expect, it } from 'vitest';
import { localDayBounds, localDayOf } from './localDay';

// Expectations are read from the same local clock the code uses, so the tests hold in any TZ
// (checked under UTC, Europe/Moscow and Asia/Tashkent).
describe('the till\'s local day', () => {
  it('bounds cover exactly one local day', () => {
    const { createdFrom, createdTo } = localDayBounds('2026-11-28');
    expect(localDayOf(createdFrom)).toBe('2026-11-28');
    expect(localDayOf(createdTo)).toBe('2026-11-28');
    expect(localDayOf(new Date(new Date(createdFrom).getTime() - 1).toISOString())).toBe('2026-11-27');
    expect(localDayOf(new Date(new Date(createdTo).getTime() + 1).toISOString())).toBe('2026-11-29');
  });

  it('reads a zone-less REGOS time as local and a UTC stamp in the local day', () => {
    expect(localDayOf('2026-11-28 23:59:59'.replace(' ', 'T'))).toBe('2026-11-28');
    const utc = new Date(2026, 10, 28, 0, 30).toISOString();
    expect(localDayOf(utc)).toBe('2026-11-28');
  });
});
