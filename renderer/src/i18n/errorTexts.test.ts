import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendName, MainText } from '../../../preload/contract';
import { ERROR_TEXT_UZ, ERRORS_FOR_IT_ONLY, errorText } from './errorTexts';

const MAIN = join(import.meta.dirname, '..', '..', '..', 'main');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** The codes of main's composed sentences (preload/contract/mainText.ts): not errors, said by mainSaid.ts. */
const SENTENCE_CODES = new Set(MainText.options.map((o) => o.shape.code.value));

/** Every error code main/ can throw: the literal ones, the back-end ones for each back end, REGOS's list. */
function codesThrownByMain(): string[] {
  const codes = new Set<string>();
  for (const file of sources(MAIN)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/code: '([A-Za-z_][\w.]*)'/g)) if (m[1] !== 'custom' && !SENTENCE_CODES.has(m[1] as MainText['code'])) codes.add(m[1] ?? '');
    for (const m of text.matchAll(/code: `\$\{(?:this\.opts\.)?backend\}\.(\w+)`/g)) {
      for (const b of BackendName.options) codes.add(`${b}.${m[1]}`);
    }
  }
  // REGOS's own error numbers (regosErrors.ts, read as text: the renderer never imports main/).
  const regosList = readFileSync(join(MAIN, 'backends', 'regos', 'regosErrors.ts'), 'utf8');
  for (const m of regosList.matchAll(/^\s+(\d{6}): \{ message/gm)) codes.add(`regos.${m[1]}`);
  return [...codes].sort();
}

describe('main-process errors in Uzbek', () => {
  it('finds the codes it checks (the scan itself works)', () => {
    const codes = codesThrownByMain();
    expect(codes).toContain('sale.not_found');
    expect(codes).toContain('regos.timeout');
    expect(codes).toContain('regos.705002');
    expect(codes).toContain('FISCAL_NO_ANSWER');
  });

  it('every code main/ throws has an Uzbek text, or is named as one only IT reads', () => {
    const missing = codesThrownByMain().filter((c) => !ERRORS_FOR_IT_ONLY.has(c) && errorText({ code: c, message: 'ru' }, 'uz').original === undefined);
    expect(missing).toEqual([]);
  });

  it('Uzbek texts are Latin, with oʻ/gʻ in U+02BB', () => {
    for (const [code, text] of Object.entries(ERROR_TEXT_UZ)) {
      expect(text, code).not.toMatch(/[\u0400-\u04ff]/);
      expect(text, code).not.toMatch(/[oOgG]['`‘’ʼ]/);
    }
  });

  it('Russian UI shows the message as main wrote it; Uzbek UI the text for the code, the Russian kept as the original', () => {
    const e = { code: 'sale.not_found', message: 'Продажа «123» не найдена.' };
    expect(errorText(e, 'ru')).toEqual({ message: 'Продажа «123» не найдена.' });
    expect(errorText(e, 'uz')).toEqual({ message: ERROR_TEXT_UZ['sale.not_found'], original: 'Продажа «123» не найдена.' });
    expect(errorText({ code: 'lifepay.timeout', message: 'x' }, 'uz').message).toBe(ERROR_TEXT_UZ['*.timeout']);
    expect(errorText({ code: 'no.such_code', message: 'Что-то' }, 'uz')).toEqual({ message: 'Что-то' });
  });
});
