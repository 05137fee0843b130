import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './retryAfter';

describe('parseRetryAfterMs (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfterMs('Sat, 28 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Sat, 28 Nov 2026 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read instead of guessing', () => {
    for (const v of [undefined, null, '', '-5', '1.5', 'soon', '2026-11-28']) expect(parseRetryAfterMs(v, now)).toBeUndefined();
  });
});
