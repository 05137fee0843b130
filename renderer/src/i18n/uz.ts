import type { Messages } from './catalogue';

/**
 * Uzbek, Latin script. Oʻ and gʻ are written with U+02BB (ʻ, as the 1995 alphabet and Uzbek software
 * write them), the tutuq belgisi with U+02BC (ʼ, "maʼlumot"); catalogue.test.ts refuses ASCII
 * apostrophes and backticks in their place. Terms follow Uzbek fiscal usage: chek, fiskal belgi, naqd
 * pul, kassir, smena, qaytarish (refund), muddatli toʻlov (instalment), soʻm.
 */
export const uz: Messages = {
  'app.title': 'Qaytarish kassasi',
  'app.refundRegion': 'Qaytarish',
  'app.panelRegion': 'Panel',
  'app.keysRegion': 'Tugmalar',
  'common.understood': 'Tushunarli',
  'common.loading': 'Yuklanmoqda…',
  'common.wait': 'Kuting…',
  'common.yes': 'ha',
  'common.no': 'yoʻq',

  'header.region': 'Kassa holati',
  'header.training': 'OʻQUV REJIMI — cheklar fiskal emas, maʼlumotlar oʻquv uchun',
  'header.backends': 'Serverlar bilan aloqa',
  'header.connecting': 'Ulanmoqda…',
  'header.version': ({ version }) => `versiya ${version}`,
  'header.shiftNumber': ({ number }) => ` № ${number}`,
  'header.vcr': 'REGOS VCR',

  'key.help': 'Yordam',
  'key.search': 'Qidirish',
  'key.shift': 'Smena',
  'key.sync': 'Sinxronlash',
  'key.recent': 'Sotuvlar',
  'key.instalments': 'Muddatli toʻlov',

  'instalment.copyKey': 'F8 — kredit chekining nusxasi',
  'instalment.copyTitle': 'Kredit chekining nusxasi (fiskal emas)',
  'instalment.copyPrinted': 'Nusxa belgisi bilan kassa printerida chop etildi. Kredit chekini faqat REGOS VCR chop etadi.',
  'instalment.copyOnScreen': 'Bu kassada printer yoʻq: chek maʼlumotlarini xaridorga ekranda koʻrsating.',
  'instalment.saleQr': 'Muddatli toʻlovga sotuv cheki (QR-havola, ofd.soliq.uz da tekshiriladi):',
  'key.reprint': 'Chek nusxasi',
  'key.settings': 'Sozlamalar',
  'key.back': 'Orqaga',
  'key.space': 'Boʻsh joy',

  'conn.online': 'aloqa bor',
  'conn.offline': 'aloqa yoʻq',
  'conn.degraded': 'uzilishlar bilan',
  'conn.unknown': 'tekshirilmagan',
  'printer.ready': 'Printer tayyor',
  'printer.busy': 'Printer chop etmoqda',
  'printer.paperOut': 'Chek lentasi tugadi',
  'printer.coverOpen': 'Printer qopqogʻi ochiq',
  'printer.offline': 'Printer javob bermayapti',
  'printer.error': 'Printer xatosi',
  'printer.unknown': 'Printer: holati nomaʼlum',
  'shift.open': 'Smena ochiq',
  'shift.closed': 'Smena yopiq',
  'shift.expired': 'Smena 24 soatdan oshdi',
  'shift.unknown': 'Smena: nomaʼlum',

  'tender.cash': 'Naqd pul',
  'tender.card': 'Karta',
  'tender.sbp': 'SBP (tezkor toʻlov tizimi)',
  'tender.transfer': 'Bank oʻtkazmasi',
  'tender.link': 'Toʻlov havolasi',
  'tender.bnpl': 'Boʻlib toʻlash',
  'tender.prepayment': 'Oldindan toʻlov (avans)',
  'tender.credit': 'Kredit (muddatli toʻlov)',
  'tenderHow.cash': ' — pul qutisidan',
  'tenderHow.card': ' — terminal orqali, xaridorning kartasi kerak',
  'tenderHow.sbp': ' — SBP orqali doʻkon banki bilan, karta kerak emas',
  'tenderHow.transfer': ' — xaridorning hisobiga oʻtkazma bilan, karta kerak emas',
  'tenderHow.link': ' — havola orqali toʻlov xizmati bilan, karta kerak emas',
  'tenderHow.bnpl': ' — boʻlib toʻlash xizmati orqali, karta kerak emas',
  'tenderHow.prepayment': ' — avansni hisobga olish bilan',
  'tenderHow.credit': ' — xaridorning qarzini kamaytirish bilan',

  'refundState.draft': 'Qoralama',
  'refundState.confirmed': 'Tasdiqlangan',
  'refundState.fiscalizing': 'Chek chop etilmoqda',
  'refundState.fiscalized': 'Chek chop etildi',
  'refundState.synced': 'Serverga yuborildi',
  'refundState.failed': 'Bajarilmadi',
  'refundState.review': 'Tekshirish kerak',

  'source.lifepos': 'LIFE POS',
  'source.lifepay': 'LIFE PAY',
  'source.regos': 'REGOS',
  'source.local': 'shu kassa',

  'vat.none': 'QQSsiz',
  'vat.rate': ({ rate }) => `QQS ${rate}`,

  'duration.hoursMinutes': ({ h, m }) => `${h} soat ${m} daq`,
  'duration.minutes': ({ m }) => `${m} daq`,

  'settings.languageGroup': 'Til, vaqt, kassa',
  'settings.language': 'Dastur tili',
  'settings.timeZone': 'Kassaning vaqt mintaqasi («bugun», sotuv va chek vaqtlari)',
  'settings.timeZoneSystem': ({ zone }) => `Tizimdagidek (${zone})`,
  'settings.till': 'Kassa',
  'settings.tillFiscalPrinter': 'Fiskal printer bilan',
  'settings.tillRegosOnly': 'Faqat REGOS VCR (Oʻzbekiston, printersiz): qaytarish VCR orqali va faqat aloqa boʻlganda',

  'error.itCode': ({ code }) => `IT uchun kod: ${code}`,
  'error.deviceCode': ({ code, hex }) => ` · qurilma kodi ${code} (0x${hex})`,
};
