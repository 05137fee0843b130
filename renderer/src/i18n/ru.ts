import type { MessageTable } from './messages';

/**
 * Russian: the reference catalogue. Keys are "area.what"; a new cashier-facing text gets its key here
 * and in uz.ts (which does not compile without it). Function entries take one object of named values.
 */
export const ru = {
  // The whole window
  'app.title': 'Касса возвратов',
  'app.refundRegion': 'Возврат',
  'app.panelRegion': 'Панель',
  'app.keysRegion': 'Клавиши',
  'common.understood': 'Понятно',
  'common.loading': 'Загружаю…',
  'common.wait': 'Подождите…',
  'common.yes': 'да',
  'common.no': 'нет',

  // Header
  'header.region': 'Состояние кассы',
  'header.training': 'УЧЕБНЫЙ РЕЖИМ — чеки не фискальные, данные учебные',
  'header.backends': 'Связь с серверами',
  'header.connecting': 'Подключение…',
  'header.version': ({ version }: { version: string }) => `версия ${version}`,
  'header.shiftNumber': ({ number }: { number: number }) => ` № ${number}`,
  'header.vcr': 'REGOS VCR',

  // Function keys (F-keys) and Esc
  'key.help': 'Помощь',
  'key.search': 'Поиск',
  'key.shift': 'Смена',
  'key.sync': 'Синхронизация',
  'key.recent': 'Продажи',
  'key.instalments': 'Рассрочка',

  // Instalments: the copy of a credit receipt
  'instalment.copyKey': 'F8 — копия кредитного чека',
  'instalment.copyTitle': 'Копия кредитного чека (не фискальная)',
  'instalment.copyPrinted': 'Копия с пометкой «КОПИЯ» напечатана на принтере кассы. Кредитный чек печатает только REGOS VCR.',
  'instalment.copyOnScreen': 'Принтера у этой кассы нет: покажите покупателю данные чека на экране.',
  'instalment.saleQr': 'Чек продажи в рассрочку (QR-ссылка, проверка на ofd.soliq.uz):',
  'key.reprint': 'Копия чека',
  'key.settings': 'Настройки',
  'key.back': 'Назад',
  'key.space': 'Пробел',

  // Connectivity, printer, shift
  'conn.online': 'на связи',
  'conn.offline': 'нет связи',
  'conn.degraded': 'с перебоями',
  'conn.unknown': 'не проверено',
  'printer.ready': 'Принтер готов',
  'printer.busy': 'Принтер печатает',
  'printer.paperOut': 'Закончилась чековая лента',
  'printer.coverOpen': 'Открыта крышка принтера',
  'printer.offline': 'Принтер не отвечает',
  'printer.error': 'Ошибка принтера',
  'printer.unknown': 'Принтер: состояние неизвестно',
  'shift.open': 'Смена открыта',
  'shift.closed': 'Смена закрыта',
  'shift.expired': 'Смена больше 24 ч',
  'shift.unknown': 'Смена: неизвестно',

  // How a sale was paid and how its money goes back
  'tender.cash': 'Наличные',
  'tender.card': 'Карта',
  'tender.sbp': 'СБП',
  'tender.transfer': 'Банковский перевод',
  'tender.link': 'Ссылка на оплату',
  'tender.bnpl': 'Оплата частями',
  'tender.prepayment': 'Предоплата (аванс)',
  'tender.credit': 'Кредит (рассрочка)',
  'tenderHow.cash': ' — из денежного ящика',
  'tenderHow.card': ' — через терминал, нужна карта покупателя',
  'tenderHow.sbp': ' — возврат по СБП через банк магазина, карта не нужна',
  'tenderHow.transfer': ' — переводом на счёт покупателя, карта не нужна',
  'tenderHow.link': ' — через сервис оплаты по ссылке, карта не нужна',
  'tenderHow.bnpl': ' — через сервис оплаты частями, карта не нужна',
  'tenderHow.prepayment': ' — зачётом аванса',
  'tenderHow.credit': ' — уменьшением долга покупателя',

  // Refund states
  'refundState.draft': 'Черновик',
  'refundState.confirmed': 'Подтверждён',
  'refundState.fiscalizing': 'Печать чека',
  'refundState.fiscalized': 'Чек напечатан',
  'refundState.synced': 'Отправлен на сервер',
  'refundState.failed': 'Не выполнен',
  'refundState.review': 'Требует проверки',

  // Where a sale comes from
  'source.lifepos': 'LIFE POS',
  'source.lifepay': 'LIFE PAY',
  'source.regos': 'REGOS',
  'source.local': 'эта касса',

  // VAT as a receipt names it (tag 1199 in Russia, ҚҚС/QQS in Uzbekistan)
  'vat.none': 'без НДС',
  'vat.rate': ({ rate }: { rate: string }) => `НДС ${rate}`,

  // Durations
  'duration.hoursMinutes': ({ h, m }: { h: number; m: number }) => `${h} ч ${m} мин`,
  'duration.minutes': ({ m }: { m: number }) => `${m} мин`,

  // Settings: language, time, till kind (issue 15)
  'settings.languageGroup': 'Язык, время, касса',
  'settings.language': 'Язык программы',
  'settings.timeZone': 'Часовой пояс кассы («сегодня», время продаж и чеков)',
  'settings.timeZoneSystem': ({ zone }: { zone: string }) => `Как в системе (${zone})`,
  'settings.till': 'Касса',
  'settings.tillFiscalPrinter': 'С фискальным принтером',
  'settings.tillRegosOnly': 'Только REGOS VCR (Узбекистан, без принтера): возвраты через VCR и только при связи',

  // Errors
  'error.itCode': ({ code }: { code: string }) => `Код для IT: ${code}`,
  'error.deviceCode': ({ code, hex }: { code: number; hex: string }) => ` · код устройства ${code} (0x${hex})`,
  // Issue 19: the key bar, F4 refunds that need help, where the money goes, the card screen, F9 sections
  'keybar.saleDate': 'Дата продажи',
  'keybar.retry': 'Повторить',
  'keybar.cancelRefund': 'Отменить возврат',
  'keybar.again': 'Оформить заново',
  'keybar.section': 'Раздел',
  'keybar.save': 'Сохранить',
  'keybar.refund': 'Возврат',
  'keybar.resend': 'Отправить ещё раз',
  'reprint.printing': ({ number }: { number: string }) => `Печатаю копию чека возврата по продаже № ${number}…`,
  'reprint.done': ({ number }: { number: string }) => `Копия чека возврата по продаже № ${number} напечатана`,
  'attention.header': ({ count }: { count: number }) => `Возвраты требуют внимания: ${count} — F4`,
  'attention.title': 'Возвраты, которым нужна помощь',
  'attention.sale': ({ number, amount }: { number: string; amount: string }) => `Продажа № ${number} · ${amount}`,
  'attention.unknownSale': 'Возврат, которого нет в журнале этой кассы',
  'attention.failedCreate': 'Чек возврата напечатан и деньги выданы, но LIFE POS не принял возврат: в учёте магазина его пока нет.',
  'attention.failedReceipt': 'Возврат записан в LIFE POS, но данные чека возврата к нему не приняты.',
  'attention.failedStatus': 'LIFE POS не отметил продажу как возвращённую.',
  'attention.failedOther': 'Сервер не принял данные возврата.',
  'attention.todo': 'Enter — отправить ещё раз. Деньги повторно не выдавайте и чек заново не печатайте.',
  'attention.callSupport': ({ contact }: { contact: string }) => `Если снова не получится — позвоните в поддержку: ${contact}. Назовите номер продажи.`,
  'attention.noSupport': 'Если снова не получится — сообщите номер продажи администратору магазина (контакт поддержки указывается в настройках, F9).',
  'attention.forIt': ({ detail }: { detail: string }) => `Для поддержки: ${detail}`,
  'attention.resending': 'Отправляю ещё раз…',
  'attention.resent': 'Возврат снова отправляется на сервер',
  'attention.pendingTodo': 'Ничего делать не нужно: возврат завершится сам, когда устройство ответит.',
  'attention.reviewTodo': 'Сверьте с отчётом принтера или позвоните в поддержку. Повторно деньги не выдавайте.',
  'attention.waiting': ({ count }: { count: number }) => `Ждут отправки: ${count}. Отправятся сами, когда будет связь.`,
  'attention.allFine': 'Все возвраты отправлены на сервер.',
  'attention.support': ({ contact }: { contact: string }) => `Поддержка магазина: ${contact}`,
  'money.allCard': 'Вся сумма возвращается на карту покупателя через терминал: наличные из ящика не выдавайте.',
  'money.allCash': 'Вся сумма выдаётся наличными из денежного ящика: карта не нужна.',
  'money.allOne': ({ tender }: { tender: string }) => `Вся сумма возвращается одним способом: ${tender}.`,
  'money.mixedRule': 'Продажа оплачена несколькими способами: деньги возвращаются теми же способами, и сумма делится между ними пропорционально тому, что по каждому ещё не возвращено. Ниже — сколько и куда.',
  'money.cashPart': 'выдайте наличными из денежного ящика',
  'money.cardPart': 'вернётся на карту покупателя через терминал',
  'card.oneLabel': ({ amount }: { amount: string }) => `Вернуть на карту ${amount}: RRN с чека возврата терминала`,
  'card.manyLabel': ({ index, count, amount }: { index: number; count: number; amount: string }) => `Карта ${index} из ${count}, вернуть ${amount}: RRN с чека возврата терминала`,
  'card.saleRrn': ({ rrn }: { rrn: string }) => `Эта часть продажи оплачена картой, RRN оплаты ${rrn}: попросите ту же карту.`,
  'card.saleMasked': ({ masked }: { masked: string }) => `Карта продажи: ${masked}.`,
  'card.noSaleCard': 'Сервер не передал данные карты продажи: попросите карту, которой покупатель платил.',
  'settings.sections': 'Разделы',
  'settings.saveKeys': 'Ctrl+S — сохранить из любого поля',
  'settings.supportGroup': 'Магазин',
  'settings.supportContact': 'Поддержка магазина: кому звонить, если возврат не отправился (телефон, имя)',
} satisfies MessageTable;
