import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MainText } from '../../../preload/contract';
import { WAIT_TAIL_RU as WAIT_TAIL } from './mainSaid';
import { mainText, sayMain } from './mainTexts';

/**
 * Main's composed sentences said from their code and values (issue 15 point 1): the expected Russian and
 * Uzbek below are written by hand, not produced by the code under test.
 */
const paperOut = { code: 'FISCAL_PAPER_OUT', message: 'Нет бумаги: вставьте чековую ленту' };
const cyrillic = /[\u0400-\u04ff]/;
// The till's money formatter groups digits and sets the unit off with no-break spaces (format/money.ts).

describe('main sentences from a code with values', () => {
  it('the fixed reasons say in Russian exactly what main writes to the log and the journal (main/ read as text)', () => {
    const MAIN = join(import.meta.dirname, '..', '..', '..', 'main');
    const sources = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
    });
    const all = sources(MAIN).map((f) => readFileSync(f, 'utf8')).join('\n');
    const fixed = ['printer.waits', 'printer.earlierUnsettled', 'printer.programFault', 'printer.lost', 'printer.markingOffline', 'refund.review', 'lifepay.waits', 'lifepay.unknown', 'regos.waits', 'regos.notNow', 'regos.notRegistered'] as const;
    for (const code of fixed) {
      const ru = sayMain({ code, params: {} }, 'ru');
      const written = all.includes(`'${ru}'`) || all.includes(`\`${ru.replace(WAIT_TAIL, '${WAIT_TAIL}')}\``);
      expect(written, `${code}: ${ru}`).toBe(true);
    }
  });

  it('a refund waiting after two of three receipts, the printer out of paper', () => {
    const coded: MainText = { code: 'printer.partlyPrinted', params: { printed: 2, count: 3, fds: [57, 58], then: { code: 'printer.notPrintedWaits', params: { error: paperOut } } } };
    expect(sayMain(coded, 'ru')).toBe('Напечатано чеков: 2 из 3 (ФД № 57, 58), они остаются в силе. Чек возврата не напечатан: Нет бумаги: вставьте чековую ленту '
      + 'Чек напечатается сам, как только принтер ответит (Enter — «Повторить» сейчас). Это тот же возврат: второй чек не напечатается. Деньги выдайте после печати чека.');
    expect(sayMain(coded, 'uz')).toBe('Chop etilgan cheklar: 2 / 3 (FH № 57, 58), ular kuchda qoladi. Qaytarish cheki chop etilmadi: '
      + 'Printerda chek lentasi tugadi (yoki qopqogʻi ochiq). Yangi rulon qoʻying va qopqoqni yoping. '
      + 'Printer javob berishi bilan chek oʻzi chop etiladi (Enter — hozir «Qayta urinish»). Bu oʻsha qaytarish: ikkinchi chek chop etilmaydi. Pulni chek chop etilgandan keyin bering.');
  });

  it('a program fault while printing: the receipt not printed, the printer not blamed, printed by itself or on Enter, once; IT reads main.log', () => {
    const fault: MainText = { code: 'printer.programFault', params: {} };
    expect(sayMain(fault, 'ru')).toBe('Чек возврата не напечатан: внутренняя ошибка программы, принтер исправен. Программа повторит печать сама (Enter — «Повторить» сейчас). '
      + 'Если чек так и не напечатается, сообщите специалисту: причина записана в журнал программы main.log. Это тот же возврат: второй чек не напечатается. Деньги выдайте после печати чека.');
    expect(sayMain(fault, 'uz')).toBe('Qaytarish cheki chop etilmadi: dasturning ichki xatosi, printer soz. Dastur chop etishni oʻzi takrorlaydi (Enter — hozir «Qayta urinish»). '
      + 'Chek baribir chop etilmasa, mutaxassisga xabar bering: sabab dastur jurnaliga (main.log) yozilgan. Bu oʻsha qaytarish: ikkinchi chek chop etilmaydi. Pulni chek chop etilgandan keyin bering.');
    const afterOne: MainText = { code: 'printer.partlyPrinted', params: { printed: 1, count: 2, fds: [57], then: fault } };
    expect(sayMain(afterOne, 'ru')).toBe(`Напечатано чеков: 1 из 2 (ФД № 57), они остаются в силе. ${sayMain(fault, 'ru')}`);
  });

  it('a REGOS refusal: our sentence in Uzbek, what VCR said quoted as VCR said it; an unlisted VCR number in our words', () => {
    const known: MainText = { code: 'refund.refused', params: { error: { code: 'regos.704010', message: 'В REGOS не открыта смена. Откройте смену и повторите возврат. (Smena yopiq)', quote: 'Smena yopiq' } } };
    expect(sayMain(known, 'ru')).toBe('В REGOS не открыта смена. Откройте смену и повторите возврат. (Smena yopiq)');
    expect(sayMain(known, 'uz')).toBe('REGOS da smena ochilmagan. Smenani oching va qaytarishni takrorlang. (Smena yopiq)');
    const unlisted: MainText = { code: 'refund.refused', params: { error: { code: 'regos.709999', message: 'REGOS вернул ошибку 709999. (Kassa bloklangan)', quote: 'Kassa bloklangan' } } };
    expect(sayMain(unlisted, 'uz')).toBe('REGOS 709999 raqamli xatoni qaytardi. (Kassa bloklangan)');
    expect(sayMain({ code: 'regos.notRegistered', params: {} }, 'uz'))
      .toBe('REGOS VCR qaytarish cheki roʻyxatdan oʻtmaganini aytdi: qaytarish rasmiylashtirilmadi, u boʻyicha pul bermang. Qaytarishni qaytadan rasmiylashtiring.');
  });

  it('a dead outbox job (F4): a refusal by its code with VCR\'s words, every attempt failed, a failure that is not ours', () => {
    const refused: MainText = { code: 'outbox.refused', params: { error: { code: 'regos.701003', message: 'REGOS отклонил чек: неверные данные. (Summa xato)', quote: 'Summa xato' } } };
    expect(sayMain(refused, 'ru')).toBe('REGOS отклонил чек: неверные данные. (Summa xato)');
    expect(sayMain(refused, 'uz')).toBe('REGOS chekni rad etdi: maʼlumotlar notoʻgʻri. Pozitsiyalar, summalar va toʻlovlarni tekshiring. (Summa xato)');
    const gaveUp = (attempts: number): MainText => ({ code: 'outbox.gaveUp', params: { attempts, error: { code: 'lifepos.unreachable', message: 'Нет связи с LIFE POS' } } });
    expect(sayMain(gaveUp(3), 'ru')).toBe('Не удалось выполнить за 3 попытки. Последняя ошибка: Нет связи с LIFE POS');
    expect(sayMain(gaveUp(21), 'ru')).toBe('Не удалось выполнить за 21 попытку. Последняя ошибка: Нет связи с LIFE POS');
    expect(sayMain(gaveUp(11), 'ru')).toBe('Не удалось выполнить за 11 попыток. Последняя ошибка: Нет связи с LIFE POS');
    expect(sayMain(gaveUp(10), 'uz')).toBe('10 ta urinishda bajarib boʻlmadi. Oxirgi xato: Server bilan aloqa yoʻq. Internetni tekshiring va qaytadan urining.');
    expect(sayMain({ code: 'outbox.gaveUp', params: { attempts: 5 } }, 'ru')).toBe('Не удалось выполнить за 5 попыток. Последняя ошибка: внутренняя ошибка программы');
    expect(sayMain({ code: 'outbox.gaveUp', params: { attempts: 5 } }, 'uz')).toBe('5 ta urinishda bajarib boʻlmadi. Oxirgi xato: dasturning ichki xatosi');
    // A device error without an Uzbek text stays as main wrote it, for IT.
    const device: MainText = { code: 'outbox.refused', params: { error: { code: 'FISCAL_DEVICE_0x99', message: 'ККТ: ошибка 0x99' } } };
    expect(sayMain(device, 'uz')).toBe('ККТ: ошибка 0x99');
  });

  it('an instalment payment VCR refused: VCR\'s error by its code, its words quoted, then that nothing was taken', () => {
    const refused: MainText = { code: 'instalment.refused', params: { error: { code: 'regos.704010', message: 'В REGOS не открыта смена. Откройте смену и повторите возврат. (Smena yopiq)', quote: 'Smena yopiq' } } };
    expect(sayMain(refused, 'ru')).toBe('В REGOS не открыта смена. Откройте смену и повторите возврат. (Smena yopiq) Оплата не оформлена.');
    expect(sayMain(refused, 'uz')).toBe('REGOS da smena ochilmagan. Smenani oching va qaytarishni takrorlang. (Smena yopiq) Toʻlov rasmiylashtirilmadi.');
    // An HTTP refusal (the integration test's injected 400), by the any-back-end text.
    const http: MainText = { code: 'instalment.refused', params: { error: { code: 'regos.rejected', message: 'REGOS VCR отклонил запрос (ошибка 400): injected HTTP 400' } } };
    expect(sayMain(http, 'uz')).toBe('Server soʻrovni rad etdi. Doʻkon yordam xizmatiga xabar bering. Toʻlov rasmiylashtirilmadi.');
    expect(mainText('В REGOS не открыта смена. Откройте смену и повторите возврат. (Smena yopiq) Оплата не оформлена.', 'uz', refused)).toBe(sayMain(refused, 'uz'));
  });

  it('LIFE PAY hands a refund to the printer: why, in either language', () => {
    expect(sayMain({ code: 'lifepay.handedOver', params: { why: { kind: 'notConnected' } } }, 'ru'))
      .toBe('LIFE PAY не фискализировал чек (LIFE PAY не подключён): чек возврата печатает принтер этой кассы.');
    // A credit tender; also what refunds stored before the other two causes had their own kinds say (read back from SQLite).
    const stored = MainText.parse(JSON.parse('{"code":"lifepay.handedOver","params":{"why":{"kind":"noTenderField"}}}'));
    expect(sayMain(stored, 'ru')).toBe('LIFE PAY не фискализировал чек (в облачном чеке нет поля для такой оплаты): чек возврата печатает принтер этой кассы.');
    expect(sayMain(stored, 'uz'))
      .toBe('LIFE PAY chekni fiskallashtirmadi (bulutli chekda bunday toʻlov uchun maydon yoʻq): qaytarish chekini shu kassaning printeri chop etadi.');
    expect(sayMain({ code: 'lifepay.handedOver', params: { why: { kind: 'noVatRate' } } }, 'ru'))
      .toBe('LIFE PAY не фискализировал чек (в облачном чеке LIFE PAY нет ставки НДС Узбекистана): чек возврата печатает принтер этой кассы.');
    expect(sayMain({ code: 'lifepay.handedOver', params: { why: { kind: 'noVatRate' } } }, 'uz'))
      .toBe('LIFE PAY chekni fiskallashtirmadi (LIFE PAY bulutli chekida Oʻzbekiston QQS stavkasi yoʻq): qaytarish chekini shu kassaning printeri chop etadi.');
    expect(sayMain({ code: 'lifepay.handedOver', params: { why: { kind: 'noExactPrice' } } }, 'ru'))
      .toBe('LIFE PAY не фискализировал чек (для весового товара нет цены, которая даёт сумму строки точно до копейки): чек возврата печатает принтер этой кассы.');
    expect(sayMain({ code: 'lifepay.handedOver', params: { why: { kind: 'noExactPrice' } } }, 'uz'))
      .toBe('LIFE PAY chekni fiskallashtirmadi (tortib sotiladigan tovar uchun qator summasini kopeykagacha aniq beradigan narx yoʻq): qaytarish chekini shu kassaning printeri chop etadi.');
    expect(sayMain({ code: 'lifepay.handedOver', params: { why: { kind: 'refused', error: { code: 'lifepay.unauthorized', message: 'LIFE PAY не принял ключ' } } } }, 'uz'))
      .toBe('LIFE PAY chekni fiskallashtirmadi (Server login yoki kalitni qabul qilmadi. Administrator: sozlamalarda kalit yoki tokenni tekshiring.): qaytarish chekini shu kassaning printeri chop etadi.');
  });

  it('progress lines with numbers: receipts of a refund, the ФД numbers, VCR\'s receipt number', () => {
    expect(sayMain({ code: 'printer.printing', params: { seq: 2, count: 3 } }, 'ru')).toBe('Печать чека 2 из 3…');
    expect(sayMain({ code: 'printer.printing', params: { seq: 2, count: 3 } }, 'uz')).toBe('Chek chop etilmoqda: 2 / 3…');
    expect(sayMain({ code: 'printer.printedOf', params: { seq: 2, count: 3, fd: 418 } }, 'uz')).toBe('Chek 2 / 3 chop etildi: FH № 418');
    expect(sayMain({ code: 'printer.printedOne', params: { fd: 57 } }, 'ru')).toBe('Чек напечатан: ФД № 57');
    expect(sayMain({ code: 'printer.printedOne', params: { fd: 57 } }, 'uz')).toBe('Chek chop etildi: FH № 57');
    expect(sayMain({ code: 'printer.printedAll', params: { count: 2, fds: [57, 58] } }, 'ru')).toBe('Напечатано чеков: 2 (ФД № 57, 58)');
    expect(sayMain({ code: 'printer.printedAll', params: { count: 2, fds: [57, 58] } }, 'uz')).toBe('Chop etilgan cheklar: 2 (FH № 57, 58)');
    expect(sayMain({ code: 'regos.registered', params: { receiptNo: '1207' } }, 'ru')).toBe('REGOS зарегистрировал чек № 1207');
    expect(sayMain({ code: 'regos.registered', params: { receiptNo: '1207' } }, 'uz')).toBe('REGOS chekni roʻyxatdan oʻtkazdi: № 1207');
  });

  it('notices before a refund: several receipts, and a refund receipt rebuilt from the ФН (money and quantity by the till\'s formatter)', () => {
    const several: MainText = { code: 'preview.severalReceipts', params: { count: 3, max: 100 } };
    expect(sayMain(several, 'ru')).toBe('Возврат напечатается 3 чеками подряд (в одном чеке не больше 100 позиций): это один возврат, деньги выдайте после последнего чека.');
    expect(sayMain(several, 'uz')).toBe('Qaytarish ketma-ket 3 ta chek bilan chop etiladi (bir chekda 100 tadan ortiq pozitsiya boʻlmaydi): bu bitta qaytarish, pulni oxirgi chekdan keyin bering.');
    const receipt = { fd: 7, at: '02.03.2026 12:00', totalMinor: 1_250_000, currency: 'UZS' as const, positions: [{ name: 'Sut', quantityMilli: 2000 }] };
    expect(sayMain({ code: 'recovered.receipt', params: receipt }, 'uz').replace(/\s/g, ' ')).toBe('FH № 7, 02.03.2026 12:00, 12 500 soʻm: «Sut» 2');
    const counted = sayMain({ code: 'recovered.counted', params: { receipts: [receipt] } }, 'uz');
    expect(counted).toMatch(/^Fiskal jamgʻargich maʼlumotiga koʻra, .*: FH № 7, 02\.03\.2026 12:00, .*«Sut».*tiklangan cheklar roʻyxatida koʻrsating\.$/);
    expect(counted).not.toMatch(cyrillic);
    expect(sayMain({ code: 'recovered.unresolved', params: { receipts: [receipt] } }, 'uz')).not.toMatch(cyrillic);
  });

  it('printed but not told to LIFE POS, and a partly refused refund', () => {
    const unsynced: MainText = { code: 'printer.printedUnsynced', params: { fds: [41], saleNumber: '1001', error: { code: 'refund.payment_part_unknown', message: 'Не найдена оплата продажи для возврата.' } } };
    expect(sayMain(unsynced, 'uz')).toBe('Qaytarish cheki chop etildi: FH № 41. U kuchda — qaytarishni qayta rasmiylashtirmang, pulni xaridorga bering. '
      + 'Qaytarish LIFE POS ga yuborilmadi: Qaytarish uchun sotuv toʻlovi topilmadi. Sotuvni qaytadan oching (F2). (№ 1001 sotuv toʻlovida LIFE POS havola qilishni talab qiladigan toʻlov sessiyasi yoʻq). '
      + 'Katta kassir bu qaytarishni LIFE POS ga qoʻlda kiritadi (sotuv boʻyicha chek maʼlumotlari bilan teskari sessiya), soʻng uni tekshirilgan deb belgilaydi.');
    expect(sayMain({ code: 'printer.partlyRefused', params: { printed: 1, count: 2, fds: [57] } }, 'ru'))
      .toBe('Напечатано чеков: 1 из 2 (ФД № 57), они остаются в силе. Следующий чек принтер не принял. Не пробивайте возврат повторно: сверьте чеки с отчётом принтера вместе со старшим кассиром.');
    expect(sayMain({ code: 'printer.notPrinted', params: {} }, 'uz')).toBe('Chek chop etilmadi');
  });

  it('an overlap across tills: lines, tills, times and amounts with the till\'s money formatter', () => {
    const coded: MainText = {
      code: 'overlap.flagged',
      params: {
        saleNumber: 'T-1',
        lines: [{ name: 'Choynak', soldMilli: 1000, refundedMilli: 2000 }],
        refunds: [
          { thisTill: false, till: '7281440500112233', fd: 17, at: '01.12.2026 11:00', totalMinor: 24_900_000, currency: 'UZS' },
          { thisTill: true, till: null, fd: null, at: '01.12.2026 11:03', totalMinor: 24_900_000, currency: 'UZS' },
        ],
      },
    };
    expect(sayMain(coded, 'uz')).toBe('T-1 sotuvi sotilganidan koʻproq qaytarildi (aloqasiz turli kassalardagi qaytarishlar): «Choynak»: sotilgan 1, qaytarilgan 2. '
      + 'Qaytarishlar: fiskal jamgʻargichi № 7281440500112233 boʻlgan kassa, chek FH № 17 — 01.12.2026 11:00, 249\u00a0000\u00a0soʻm; shu kassa — 01.12.2026 11:03, 249\u00a0000\u00a0soʻm. '
      + 'Ikkala chek ham chop etilgan va kuchda qoladi; shu kassaning qaytarishi LIFE POS ga yozilgan. Katta kassirga: pul ikki marta berilmaganini tekshiring va buni LIFE POS da hal qiling. Hech narsani qayta rasmiylashtirmang.');
    expect(sayMain(coded, 'ru')).toContain('касса с ФН № 7281440500112233, чек ФД № 17 — 01.12.2026 11:00, 249\u00a0000\u00a0сум; эта касса — 01.12.2026 11:03, 249\u00a0000\u00a0сум.');
  });

  it('every code says something in Uzbek without Cyrillic (its values aside), and mainText prefers the code to the Russian text', () => {
    const samples = MainText.options.map((o) => o.shape.code.value);
    expect(samples.length).toBeGreaterThan(15);
    expect(mainText('Русский текст', 'uz', { code: 'regos.waits', params: {} })).not.toMatch(cyrillic);
    expect(mainText('Русский текст', 'uz')).toBe('Русский текст');
    expect(mainText('Старый текст', 'ru', { code: 'regos.notNow', params: {} })).toBe('REGOS VCR сейчас не смог зарегистрировать чек возврата, возврат не оформлен. Повторите его через минуту.');
    for (const code of ['printer.waits', 'printer.earlierUnsettled', 'printer.programFault', 'printer.lost', 'printer.markingOffline', 'refund.review', 'lifepay.waits', 'lifepay.unknown', 'regos.waits', 'regos.notNow', 'regos.notRegistered'] as const) {
      const text = sayMain({ code, params: {} }, 'uz');
      expect(text, code).not.toMatch(cyrillic);
      expect(text, code).not.toBe(sayMain({ code, params: {} }, 'ru'));
    }
  });
});
