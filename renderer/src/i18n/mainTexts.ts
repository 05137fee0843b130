import type { MainText, MainTextCode, MainTextParams, SaidError, UiLanguage } from '../../../preload/contract';
import { formatMoney, formatQuantity } from '../format/money';
import { translator, type Translate } from './catalogue';
import { errorText } from './errorTexts';

/**
 * Fixed sentences the main process writes for the cashier outside an error (the refund preview's notices,
 * main/refunds/refundSaga.ts): their Uzbek form, looked up by the exact Russian text. A sentence main composes
 * from values comes with a code (sayMain below); the settings problems with a date are read back by
 * MAIN_PATTERNS_UZ; any other text shows in Russian. mainTexts.test.ts fails when main/ no
 * longer writes a sentence listed here, so a reworded Russian text cannot silently lose its Uzbek form.
 */
export const MAIN_TEXT_UZ: Readonly<Record<string, string>> = {
  'Нет связи с сервером: остаток к возврату посчитан по данным этой кассы.': 'Server bilan aloqa yoʻq: qaytarish qoldigʻi shu kassa maʼlumotlari boʻyicha hisoblangan.',
  'LIFE POS недоступен: возврат будет отправлен в LIFE POS автоматически, когда связь восстановится.': 'LIFE POS mavjud emas: aloqa tiklanganda qaytarish LIFE POS ga avtomatik yuboriladi.',
  'Чек возврата напечатает REGOS VCR.': 'Qaytarish chekini REGOS VCR chop etadi.',
  'Чек возврата фискализирует облачная касса LIFE PAY: возврат увидят все кассы.': 'Qaytarish chekini LIFE PAY bulutli kassasi fiskallashtiradi: qaytarishni barcha kassalar koʻradi.',
  'Облачная касса LIFE PAY недоступна: чек напечатает принтер этой кассы, и этот возврат будет виден только на ней.': 'LIFE PAY bulutli kassasi mavjud emas: chekni shu kassaning printeri chop etadi va bu qaytarish faqat shu kassada koʻrinadi.',
  // The printer's state as main/fiscal/printerConnection.ts describes it.
  'Принтер не отвечает: проверьте питание и кабель': 'Printer javob bermayapti: quvvat va kabelni tekshiring',
  'Вставьте чековую ленту — печать продолжится сама': 'Chek lentasini qoʻying — chop etish oʻzi davom etadi',
  'Закройте крышку принтера': 'Printer qopqogʻini yoping',
  'Принтер печатает…': 'Printer chop etmoqda…',
  'Принтер готов': 'Printer tayyor',
  'Состояние принтера неизвестно': 'Printer holati nomaʼlum',
  'На этой кассе нет принтера: чеки печатает REGOS VCR': 'Bu kassada printer yoʻq: cheklarni REGOS VCR chop etadi',
  // The printing screen's progress lines (main/refunds/*Channel.ts, refundSaga.ts).
  'Возврат подтверждён': 'Qaytarish tasdiqlandi',
  'Печать чека возврата…': 'Qaytarish cheki chop etilmoqda…',
  'Возврат отправлен в LIFE POS': 'Qaytarish LIFE POS ga yuborildi',
  'REGOS VCR печатает чек возврата…': 'REGOS VCR qaytarish chekini chop etmoqda…',
  'Облачная касса LIFE PAY фискализирует чек возврата…': 'LIFE PAY bulutli kassasi qaytarish chekini fiskallashtirmoqda…',
  'Чек возврата фискализирован облачной кассой LIFE PAY: возврат виден на всех кассах.': 'Qaytarish cheki LIFE PAY bulutli kassasida fiskallashtirildi: qaytarish barcha kassalarda koʻrinadi.',
  'Возврат отменён кассиром: чек не печатался, деньги не выдавались. Позиции снова можно вернуть.': 'Qaytarishni kassir bekor qildi: chek chop etilmadi, pul berilmadi. Pozitsiyalarni yana qaytarish mumkin.',
  // An instalment part-payment's reasons (main/instalments/instalmentService.ts).
  'REGOS VCR не ответил, зарегистрирован ли кредитный чек. Программа спрашивает VCR сама каждые несколько секунд и покажет ответ (Enter — спросить сейчас). Не принимайте эту оплату заново.': 'REGOS VCR kredit cheki roʻyxatdan oʻtgan-oʻtmaganini aytmadi. Dastur VCR dan har bir necha soniyada oʻzi soʻraydi va javobni koʻrsatadi (Enter — hozir soʻrash). Bu toʻlovni qayta qabul qilmang.',
  'REGOS VCR сейчас не смог зарегистрировать кредитный чек, оплата не оформлена. Верните деньги покупателю или повторите через минуту.': 'REGOS VCR hozir kredit chekini roʻyxatdan oʻtkaza olmadi, toʻlov rasmiylashtirilmadi. Pulni xaridorga qaytaring yoki bir daqiqadan keyin takrorlang.',
  'REGOS VCR ответил, что кредитный чек не зарегистрирован: оплата не оформлена. Верните деньги покупателю или примите оплату заново.': 'REGOS VCR kredit cheki roʻyxatdan oʻtmaganini aytdi: toʻlov rasmiylashtirilmadi. Pulni xaridorga qaytaring yoki toʻlovni qaytadan qabul qiling.',
  // The header's notices: the restart after a crash (main/crashMarker.ts) and settings that could not be read
  // (main/settings/settingsStore.ts; the ones with a date are in MAIN_PATTERNS_UZ).
  'Программа была перезапущена после сбоя. Незавершённые возвраты она проверяет сама, как после любого перезапуска: дождитесь готовности принтера и продолжайте работу. Если сбои повторяются, сообщите специалисту.': 'Dastur nosozlikdan keyin qayta ishga tushirildi. Yakunlanmagan qaytarishlarni u har qanday qayta ishga tushirishdan keyingidek oʻzi tekshiradi: printer tayyor boʻlishini kuting va ishni davom ettiring. Nosozliklar takrorlansa, mutaxassisga xabar bering.',
  'Настройки повреждены, исправной копии нет. Программа работает в учебном режиме: чеки не печатаются на кассе и не отправляются. Введите настройки заново и сохраните.': 'Sozlamalar buzilgan, sozlamalarning toʻgʻri nusxasi yoʻq. Dastur oʻquv rejimida ishlamoqda: cheklar kassada chop etilmaydi va yuborilmaydi. Sozlamalarni qaytadan kiriting va saqlang.',
};

/**
 * Settings problems with a date in them, as main/ writes them (`source`, its template literal word for
 * word, which mainTexts.test.ts looks for) and how they are read back and said in Uzbek. Refund reasons
 * and progress lines with values come as a code instead (sayMain below).
 */
export const MAIN_PATTERNS_UZ: readonly { source: string; read: RegExp; uz: (m: RegExpExecArray) => string }[] = [
  { source: 'Файл настроек повреждён или исправлен вручную с ошибкой. Программа работает с последними исправными настройками (сохранены ${savedAt}). Проверьте настройки и сохраните их.', read: /^Файл настроек повреждён или исправлен вручную с ошибкой\. Программа работает с последними исправными настройками \(сохранены (.+)\)\. Проверьте настройки и сохраните их\.$/, uz: (m) => `Sozlamalar fayli buzilgan yoki qoʻlda xato bilan tuzatilgan. Dastur oxirgi toʻgʻri sozlamalar bilan ishlamoqda (saqlangan vaqti: ${m[1]}). Sozlamalarni tekshiring va saqlang.` },
  { source: 'Файл настроек не найден. Восстановлены последние исправные настройки (сохранены ${savedAt}).', read: /^Файл настроек не найден\. Восстановлены последние исправные настройки \(сохранены (.+)\)\.$/, uz: (m) => `Sozlamalar fayli topilmadi. Oxirgi toʻgʻri sozlamalar tiklandi (saqlangan vaqti: ${m[1]}).` },
];

interface Speaker {
  t: Translate;
  language: UiLanguage;
  /** An error inside a sentence, said as the error box says it. */
  error(e: SaidError): string;
}

/**
 * An error inside a sentence: its Uzbek text by code (errorTexts.ts) with what a back end said quoted as
 * it is, VCR's own error numbers in our words; any other in Russian as main wrote it (device texts for IT).
 */
function sayError(e: SaidError, language: UiLanguage, t: Translate): string {
  if (language === 'ru') return e.message;
  const quote = e.quote ? ` (${e.quote})` : '';
  const said = errorText(e, language);
  if (said.original !== undefined) return `${said.message}${quote}`;
  const vcr = /^regos\.(\d+)$/.exec(e.code);
  return vcr ? `${t('main.regos.unknownError', { number: vcr[1] ?? '' })}${quote}` : e.message;
}

const fdList = (fds: readonly number[]): string => fds.join(', ');

/** A refund receipt rebuilt from the ФН: ФД number, the ФН's time, total, positions (names as printed). */
function sayReceipt(r: MainTextParams<'recovered.receipt'>, { t, language }: Speaker): string {
  return t('main.recovered.receipt', {
    fd: r.fd, at: r.at, total: formatMoney(r.totalMinor, r.currency, language),
    positions: r.positions.map((p) => `«${p.name}» ${formatQuantity(p.quantityMilli, r.currency)}`).join(', '),
  });
}

/** Each code's sentence from its values: a code without one here does not compile. */
const SAY: { [C in MainTextCode]: (p: MainTextParams<C>, s: Speaker) => string } = {
  'printer.waits': (_p, { t }) => t('main.printer.waits'),
  'printer.earlierUnsettled': (_p, { t }) => t('main.printer.earlierUnsettled'),
  'printer.notPrintedWaits': (p, { t, error }) => t('main.printer.notPrintedWaits', { error: error(p.error) }),
  'printer.programFault': (_p, { t }) => t('main.printer.programFault'),
  'printer.lost': (_p, { t }) => t('main.printer.lost'),
  'printer.printing': (p, { t }) => t('main.printer.printing', p),
  'printer.printedOf': (p, { t }) => t('main.printer.printedOf', p),
  'printer.printedOne': (p, { t }) => t('main.printer.printedOne', p),
  'printer.printedAll': (p, { t }) => t('main.printer.printedAll', { count: p.count, fds: fdList(p.fds) }),
  'printer.notPrinted': (p, { t, error }) => (p.error ? t('main.printer.notPrintedBecause', { error: error(p.error) }) : t('main.printer.notPrinted')),
  'printer.partlyPrinted': (p, s) => s.t('main.printer.partlyPrinted', { printed: p.printed, count: p.count, fds: fdList(p.fds), then: say(p.then, s) }),
  'printer.partlyRefused': (p, { t, error }) => (p.error
    ? t('main.printer.partlyRefusedBecause', { printed: p.printed, count: p.count, fds: fdList(p.fds), error: error(p.error) })
    : t('main.printer.partlyRefused', { printed: p.printed, count: p.count, fds: fdList(p.fds) })),
  'printer.printedUnsynced': (p, { t, error }) => t('main.printer.printedUnsynced', { fds: fdList(p.fds), error: error(p.error), saleNumber: p.saleNumber }),
  'printer.markingOffline': (_p, { t }) => t('main.printer.markingOffline'),
  'refund.review': (_p, { t }) => t('main.refund.review'),
  'refund.refused': (p, { t, error }) => t('main.refund.refused', { error: error(p.error) }),
  'lifepay.waits': (_p, { t }) => t('main.lifepay.waits'),
  'lifepay.unknown': (_p, { t }) => t('main.lifepay.unknown'),
  'lifepay.handedOver': ({ why }, { t, error }) => t('main.lifepay.handedOver', {
    why: why.kind === 'refused' ? error(why.error) : t(`main.lifepay.${why.kind}`),
  }),
  'outbox.refused': (p, { t, error }) => t('main.outbox.refused', { error: error(p.error) }),
  'outbox.gaveUp': (p, { t, error }) => t('main.outbox.gaveUp', { attempts: p.attempts, error: p.error ? error(p.error) : t('main.outbox.internalError') }),
  'instalment.refused': (p, { t, error }) => t('main.instalment.refused', { error: error(p.error) }),
  'regos.waits': (_p, { t }) => t('main.regos.waits'),
  'regos.registered': (p, { t }) => t('main.regos.registered', p),
  'regos.notNow': (_p, { t }) => t('main.regos.notNow'),
  'regos.notRegistered': (_p, { t }) => t('main.regos.notRegistered'),
  'preview.severalReceipts': (p, { t }) => t('main.preview.severalReceipts', p),
  'recovered.counted': (p, s) => s.t('main.recovered.counted', { receipts: p.receipts.map((r) => sayReceipt(r, s)).join('; ') }),
  'recovered.unresolved': (p, s) => s.t('main.recovered.unresolved', { receipts: p.receipts.map((r) => sayReceipt(r, s)).join('; ') }),
  'recovered.receipt': (p, s) => sayReceipt(p, s),
  'overlap.flagged': (p, { t, language }) => {
    const currency = p.refunds[0]?.currency ?? 'RUB';
    const who = (r: (typeof p.refunds)[number]): string => {
      if (r.thisTill) return t('main.overlap.thisTill');
      const till = r.till ? t('main.overlap.till', { fn: r.till }) : t('main.overlap.otherTill');
      return r.fd === null ? till : t('main.overlap.withFd', { till, fd: r.fd });
    };
    return t('main.overlap.flagged', {
      saleNumber: p.saleNumber,
      lines: p.lines.map((l) => t('main.overlap.line', { name: l.name, sold: formatQuantity(l.soldMilli, currency), refunded: formatQuantity(l.refundedMilli, currency) })).join('; '),
      refunds: p.refunds.map((r) => t('main.overlap.refund', { who: who(r), at: r.at, amount: formatMoney(r.totalMinor, r.currency, language) })).join('; '),
    });
  },
};

function say(coded: MainText, s: Speaker): string {
  return (SAY[coded.code] as (p: MainText['params'], s: Speaker) => string)(coded.params, s);
}

/** A sentence main sent as a code with values, in the UI's language (preload/contract/mainText.ts). */
export function sayMain(coded: MainText, language: UiLanguage): string {
  const t = translator(language);
  return say(coded, { t, language, error: (e) => sayError(e, language, t) });
}

/**
 * What the cashier reads of a text from main: the coded sentence when main sent one, else the Russian
 * text, said in Uzbek when it is one of the fixed sentences or progress patterns above.
 */
export function mainText(text: string, language: UiLanguage, coded?: MainText): string {
  if (coded) return sayMain(coded, language);
  if (language !== 'uz') return text;
  const fixed = MAIN_TEXT_UZ[text];
  if (fixed) return fixed;
  for (const p of MAIN_PATTERNS_UZ) {
    const m = p.read.exec(text);
    if (m) return p.uz(m);
  }
  return text;
}
