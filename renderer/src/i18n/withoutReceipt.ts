/**
 * Texts of the refund without a receipt (issue 14 point 5), spread into ru.ts and uz.ts like people.ts.
 * Uzbek: Latin, oʻ/gʻ with U+02BB.
 */
export const withoutReceiptRu = {
  'keys.withoutReceipt': 'Возврат без чека',
  'noReceipt.title': 'Возврат без чека: введите товары',
  'noReceipt.instruction': 'Покупатель без чека. Введите каждый возвращаемый товар (Enter — следующее поле). Когда всё введено, нажмите Enter в пустом поле «Наименование», выберите, как выдать деньги, напишите причину и нажмите Enter. Возврат подтверждает управляющий своим PIN.',
  'noReceipt.price': 'Цена за единицу',
  'noReceipt.noName': 'Введите наименование товара',
  'noReceipt.payment': 'Как выдать деньги',
  'help.withoutReceipt': 'На экране поиска: возврат без чека (причина и PIN управляющего)',
  'noReceipt.sign': 'Признак способа расчёта',
  'noReceipt.reason': 'Причина возврата без чека',
  'noReceipt.total': ({ total }: { total: string }) => `Итого к возврату: ${total}`,
  'noReceipt.badPrice': ({ text }: { text: string }) => `Неверная цена: «${text}». Например 1499 или 1499,90`,
  'noReceipt.noReason': 'Напишите причину возврата без чека: без неё возврат не оформляется',
  'noReceipt.keyNext': 'Следующее поле / добавить строку; в причине — к возврату',
  'sign.fullPayment': 'Полный расчёт',
  'sign.prepayment100': 'Предоплата 100 %',
  'sign.prepayment': 'Предоплата',
  'sign.advance': 'Аванс',
  'sign.partialPaymentCredit': 'Частичный расчёт и кредит',
  'sign.creditTransfer': 'Передача в кредит',
  'sign.creditPayment': 'Оплата кредита',
};

export const withoutReceiptUz: { [K in keyof typeof withoutReceiptRu]: (typeof withoutReceiptRu)[K] } = {
  'keys.withoutReceipt': 'Cheksiz qaytarish',
  'noReceipt.title': 'Cheksiz qaytarish: tovarlarni kiriting',
  'noReceipt.instruction': 'Xaridorda chek yoʻq. Qaytariladigan har bir tovarni kiriting (Enter — keyingi maydon). Hammasi kiritilgach, boʻsh «Nomi» maydonida Enter bosing, pul qanday qaytarilishini tanlang, sababini yozing va Enter bosing. Qaytarishni boshqaruvchi oʻz PIN kodi bilan tasdiqlaydi.',
  'noReceipt.price': 'Bir dona narxi',
  'noReceipt.noName': 'Tovar nomini kiriting',
  'noReceipt.payment': 'Pul qanday qaytariladi',
  'help.withoutReceipt': 'Qidiruv ekranida: cheksiz qaytarish (sabab va boshqaruvchining PIN kodi)',
  'noReceipt.sign': 'Hisob-kitob usuli belgisi',
  'noReceipt.reason': 'Cheksiz qaytarish sababi',
  'noReceipt.total': ({ total }) => `Jami qaytariladi: ${total}`,
  'noReceipt.badPrice': ({ text }) => `Notoʻgʻri narx: «${text}». Masalan 1499 yoki 1499,90`,
  'noReceipt.noReason': 'Cheksiz qaytarish sababini yozing: sababsiz qaytarish rasmiylashtirilmaydi',
  'noReceipt.keyNext': 'Keyingi maydon / qator qoʻshish; sababda — qaytarishga',
  'sign.fullPayment': 'Toʻliq hisob-kitob',
  'sign.prepayment100': 'Oldindan toʻlov 100 %',
  'sign.prepayment': 'Oldindan toʻlov',
  'sign.advance': 'Avans',
  'sign.partialPaymentCredit': 'Qisman hisob-kitob va kredit',
  'sign.creditTransfer': 'Kreditga berish',
  'sign.creditPayment': 'Kreditni toʻlash',
};
