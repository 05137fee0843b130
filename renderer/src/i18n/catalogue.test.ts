import { describe, expect, it } from 'vitest';
import { MainText } from '../../../preload/contract';
import { CATALOGUES, translator } from './catalogue';
import type { MessageTable } from './messages';
import { ru } from './ru';
import { uz } from './uz';

/** Every entry as text: functions are called with a stand-in for each value they name. */
function texts(table: MessageTable): Map<string, string> {
  const anyArgs = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? `⟨${name}⟩` : undefined) });
  return new Map(Object.entries(table).map(([k, m]) => [k, typeof m === 'function' ? (m as (a: unknown) => string)(anyArgs) : m]));
}

describe('message catalogue', () => {
  it('Russian and Uzbek have the same keys, each a text or each a function (the type checks this too)', () => {
    expect(Object.keys(uz).sort()).toEqual(Object.keys(ru).sort());
    for (const key of Object.keys(ru) as (keyof typeof ru)[]) expect(typeof uz[key], key).toBe(typeof ru[key]);
  });

  it('a function entry uses the same values in both languages', () => {
    const ruTexts = texts(ru);
    for (const [key, text] of texts(uz)) {
      const names = (s: string | undefined) => [...(s ?? '').matchAll(/⟨(\w+)⟩/g)].map((m) => m[1]).sort();
      expect(names(text), key).toEqual(names(ruTexts.get(key)));
    }
  });

  it('every sentence main sends as a code (preload/contract/mainText.ts) has its entry `main.<code>` in both languages', () => {
    const codes = MainText.options.map((o) => o.shape.code.value);
    expect(codes).toContain('regos.waits');
    for (const [lang, table] of Object.entries(CATALOGUES)) {
      const missing = codes.filter((code) => !Object.hasOwn(table, `main.${code}`));
      expect(missing, lang).toEqual([]);
    }
  });

  it('no entry is empty', () => {
    for (const [lang, table] of Object.entries(CATALOGUES)) {
      for (const [key, text] of texts(table)) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('Uzbek is Latin: no Cyrillic letters, and oʻ/gʻ written with U+02BB, never an ASCII apostrophe, backtick or quote mark', () => {
    for (const [key, text] of texts(uz)) {
      expect(text, key).not.toMatch(/[\u0400-\u04ff]/);
      expect(text, key).not.toMatch(/[oOgG]['`‘’ʼ]/);
    }
  });

  it('translator picks the language and fills in values', () => {
    expect(translator('ru')('key.help')).toBe('Помощь');
    expect(translator('uz')('key.help')).toBe('Yordam');
    expect(translator('uz')('header.version', { version: '1.2.3' })).toBe('versiya 1.2.3');
    expect(translator('uz')('key.instalments')).toBe('Muddatli to\u02bbl\u006fv');
  });
});
