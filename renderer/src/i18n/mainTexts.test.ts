import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_PATTERNS_UZ, MAIN_TEXT_UZ, mainText } from './mainTexts';

const MAIN = join(import.meta.dirname, '..', '..', '..', 'main');
const sources = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
});

describe('fixed main-process sentences in Uzbek', () => {
  it('each one listed is still written, word for word, by main/', () => {
    const all = sources(MAIN).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const russian of Object.keys(MAIN_TEXT_UZ)) expect(all, russian).toContain(`'${russian}'`);
    for (const { source } of MAIN_PATTERNS_UZ) expect(all, source).toContain(`\`${source}\``);
  });

  it('settings problems with a date are read back and said in Uzbek', () => {
    expect(mainText('Файл настроек не найден. Восстановлены последние исправные настройки (сохранены 2026-12-01T09:15:00.000Z).', 'uz'))
      .toBe('Sozlamalar fayli topilmadi. Oxirgi toʻgʻri sozlamalar tiklandi (saqlangan vaqti: 2026-12-01T09:15:00.000Z).');
    expect(mainText('Файл настроек повреждён или исправлен вручную с ошибкой. Программа работает с последними исправными настройками (сохранены 2026-12-01T09:15:00.000Z). Проверьте настройки и сохраните их.', 'uz'))
      .toBe('Sozlamalar fayli buzilgan yoki qoʻlda xato bilan tuzatilgan. Dastur oxirgi toʻgʻri sozlamalar bilan ishlamoqda (saqlangan vaqti: 2026-12-01T09:15:00.000Z). Sozlamalarni tekshiring va saqlang.');
    expect(mainText('Файл настроек не найден. Восстановлены последние исправные настройки (сохранены 2026-12-01T09:15:00.000Z).', 'ru'))
      .toBe('Файл настроек не найден. Восстановлены последние исправные настройки (сохранены 2026-12-01T09:15:00.000Z).');
    // A text that only starts like a known one stays Russian rather than lose its rest.
    const reason = 'Файл настроек не найден. Восстановлены последние исправные настройки (сохранены вчера). Ещё текст.';
    expect(mainText(reason, 'uz')).toBe(reason);
  });

  it('Uzbek is Latin with U+02BB; Russian and unknown texts pass through', () => {
    for (const uz of Object.values(MAIN_TEXT_UZ)) {
      expect(uz).not.toMatch(/[\u0400-\u04ff]/);
      expect(uz).not.toMatch(/[oOgG]['`‘’ʼ]/);
    }
    expect(mainText('Чек возврата напечатает REGOS VCR.', 'uz')).toBe('Qaytarish chekini REGOS VCR chop etadi.');
    expect(mainText('Настройки повреждены, исправной копии нет. Программа работает в учебном режиме: чеки не печатаются на кассе и не отправляются. Введите настройки заново и сохраните.', 'uz'))
      .toMatch(/^Sozlamalar buzilgan/);
    expect(mainText('Чек возврата напечатает REGOS VCR.', 'ru')).toBe('Чек возврата напечатает REGOS VCR.');
    expect(mainText('REGOS VCR ответил, что кредитный чек не зарегистрирован: оплата не оформлена. Верните деньги покупателю или примите оплату заново.', 'uz'))
      .toBe('REGOS VCR kredit cheki roʻyxatdan oʻtmaganini aytdi: toʻlov rasmiylashtirilmadi. Pulni xaridorga qaytaring yoki toʻlovni qaytadan qabul qiling.');
    expect(mainText('Возврат напечатается 3 чеками подряд', 'uz')).toBe('Возврат напечатается 3 чеками подряд');
  });
});
