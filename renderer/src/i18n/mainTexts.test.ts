import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_TEXT_UZ, mainText } from './mainTexts';

const MAIN = join(import.meta.dirname, '..', '..', '..', 'main');
const sources = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
});

describe('fixed main-process sentences in Uzbek', () => {
  it('each one listed is still written, word for word, by main/', () => {
    const all = sources(MAIN).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const russian of Object.keys(MAIN_TEXT_UZ)) expect(all, russian).toContain(`'${russian}'`);
  });

  it('Uzbek is Latin with U+02BB; Russian and unknown texts pass through', () => {
    for (const uz of Object.values(MAIN_TEXT_UZ)) {
      expect(uz).not.toMatch(/[\u0400-\u04ff]/);
      expect(uz).not.toMatch(/[oOgG]['`‘’ʼ]/);
    }
    expect(mainText('Чек возврата напечатает REGOS VCR.', 'uz')).toBe('Qaytarish chekini REGOS VCR chop etadi.');
    expect(mainText('Чек возврата напечатает REGOS VCR.', 'ru')).toBe('Чек возврата напечатает REGOS VCR.');
    expect(mainText('Возврат напечатается 3 чеками подряд', 'uz')).toBe('Возврат напечатается 3 чеками подряд');
  });
});
