import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_PATTERNS_UZ, MAIN_TEXT_UZ, WAIT_TAIL, mainText } from './mainTexts';

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
    expect(all, 'WAIT_TAIL').toContain(`'${WAIT_TAIL}'`);
  });

  it('progress lines with numbers are read back and said in Uzbek', () => {
    expect(mainText('Печать чека 2 из 3…', 'uz')).toBe('Chek chop etilmoqda: 2 / 3…');
    expect(mainText('Чек 2 из 3 напечатан: ФД № 418', 'uz')).toBe('Chek 2 / 3 chop etildi: FH № 418');
    expect(mainText('Чек напечатан: ФД № 57', 'uz')).toBe('Chek chop etildi: FH № 57');
    expect(mainText('Напечатано чеков: 2 (ФД № 57, 58)', 'uz')).toBe('Chop etilgan cheklar: 2 (FH № 57, 58)');
    expect(mainText('REGOS зарегистрировал чек № 1207', 'uz')).toBe('REGOS chekni roʻyxatdan oʻtkazdi: № 1207');
    expect(mainText('Файл настроек не найден. Восстановлены последние исправные настройки (сохранены 2026-12-01T09:15:00.000Z).', 'uz'))
      .toBe('Sozlamalar fayli topilmadi. Oxirgi toʻgʻri sozlamalar tiklandi (saqlangan vaqti: 2026-12-01T09:15:00.000Z).');
    expect(mainText('Файл настроек повреждён или исправлен вручную с ошибкой. Программа работает с последними исправными настройками (сохранены 2026-12-01T09:15:00.000Z). Проверьте настройки и сохраните их.', 'uz'))
      .toBe('Sozlamalar fayli buzilgan yoki qoʻlda xato bilan tuzatilgan. Dastur oxirgi toʻgʻri sozlamalar bilan ishlamoqda (saqlangan vaqti: 2026-12-01T09:15:00.000Z). Sozlamalarni tekshiring va saqlang.');
    expect(mainText('Печать чека 2 из 3…', 'ru')).toBe('Печать чека 2 из 3…');
    // The printer's waiting reasons, a device message inside one said in Uzbek too.
    expect(mainText(`Принтер не отвечает, чек возврата ещё не печатался. Проверьте питание и кабель принтера. ${WAIT_TAIL}`, 'uz'))
      .toBe('Printer javob bermayapti, qaytarish cheki hali chop etilmagan. Printerning quvvati va kabelini tekshiring. Printer javob berishi bilan chek oʻzi chop etiladi (Enter — hozir «Qayta urinish»). Bu oʻsha qaytarish: ikkinchi chek chop etilmaydi. Pulni chek chop etilgandan keyin bering.');
    expect(mainText(`Чек возврата не напечатан: Закройте крышку принтера ${WAIT_TAIL}`, 'uz')).toMatch(/^Qaytarish cheki chop etilmadi: Printer qopqogʻini yoping Printer javob berishi bilan/);
    expect(mainText(`Чек возврата не напечатан: Нет бумаги (код 107) ${WAIT_TAIL}`, 'uz')).toMatch(/^Qaytarish cheki chop etilmadi: Нет бумаги \(код 107\) Printer javob/);
    expect(mainText('Чек возврата не напечатан: нет бумаги', 'uz')).toBe('Чек возврата не напечатан: нет бумаги');
    // A reason that only starts like a progress line stays Russian rather than lose its rest.
    const reason = 'Напечатано чеков: 1 из 2 (ФД № 57), они остаются в силе.';
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
    expect(mainText('Возврат напечатается 3 чеками подряд', 'uz')).toBe('Возврат напечатается 3 чеками подряд');
  });
});
