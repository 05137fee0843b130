import { describe, expect, it } from 'vitest';
import { DETAIL_LIMIT, redactSecrets, truncateForDetail } from './redact';

describe('redactSecrets', () => {
  it('masks every occurrence, URL-encoded and JSON-escaped forms included', () => {
    const key = 'ab+c/d=="x';
    const text = `key=${key} url?apikey=${encodeURIComponent(key)} json:${JSON.stringify(key)} again ${key}`;
    const out = redactSecrets(text, [key]);
    expect(out).not.toContain(key);
    expect(out).not.toContain(encodeURIComponent(key));
    expect(out).not.toContain(JSON.stringify(key).slice(1, -1));
    expect(out.match(/\*\*\*/g)).toHaveLength(4);
  });

  it('does not search for trivially short values', () => {
    expect(redactSecrets('a b c', ['a'])).toBe('a b c');
  });
});

describe('truncateForDetail', () => {
  it('bounds raw bodies and says how much was cut', () => {
    const long = 'x'.repeat(DETAIL_LIMIT + 10);
    expect(truncateForDetail(long)).toMatch(/… \[10 more chars\]$/);
    expect(truncateForDetail('short')).toBe('short');
  });
});
