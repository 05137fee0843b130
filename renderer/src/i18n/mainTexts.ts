import type { UiLanguage } from '../../../preload/contract';

/**
 * Fixed sentences the main process writes for the cashier outside an error (the refund preview's notices,
 * main/refunds/refundSaga.ts): their Uzbek form, looked up by the exact Russian text. A sentence with
 * values in it (a count, a name) is not here and shows in Russian. mainTexts.test.ts fails when main/ no
 * longer writes a sentence listed here, so a reworded Russian text cannot silently lose its Uzbek form.
 */
export const MAIN_TEXT_UZ: Readonly<Record<string, string>> = {
  'Нет связи с сервером: остаток к возврату посчитан по данным этой кассы.': 'Server bilan aloqa yoʻq: qaytarish qoldigʻi shu kassa maʼlumotlari boʻyicha hisoblangan.',
  'LIFE POS недоступен: возврат будет отправлен в LIFE POS автоматически, когда связь восстановится.': 'LIFE POS mavjud emas: aloqa tiklanganda qaytarish LIFE POS ga avtomatik yuboriladi.',
  'Чек возврата напечатает REGOS VCR.': 'Qaytarish chekini REGOS VCR chop etadi.',
  'Чек возврата фискализирует облачная касса LIFE PAY: возврат увидят все кассы.': 'Qaytarish chekini LIFE PAY bulutli kassasi fiskallashtiradi: qaytarishni barcha kassalar koʻradi.',
  'Облачная касса LIFE PAY недоступна: чек напечатает принтер этой кассы, и этот возврат будет виден только на ней.': 'LIFE PAY bulutli kassasi mavjud emas: chekni shu kassaning printeri chop etadi va bu qaytarish faqat shu kassada koʻrinadi.',
};

export function mainText(text: string, language: UiLanguage): string {
  return language === 'uz' ? (MAIN_TEXT_UZ[text] ?? text) : text;
}
