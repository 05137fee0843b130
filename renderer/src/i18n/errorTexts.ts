import type { ErrorPayload, UiLanguage } from '../../../preload/contract';

/**
 * Errors from the main process carry a stable code and a Russian message (main/appError.ts). The
 * Russian message is the Russian UI's text, as it is; for Uzbek the renderer looks the code up here.
 * A code may be exact ("sale.not_found") or any back end's ("*.timeout" for lifepos.timeout,
 * regos.timeout, …). A code not listed is shown in Russian (the fallback), with its code for IT.
 * The Uzbek text says what happened and what to do; particulars the Russian message adds (a product's
 * name, the query typed) stay visible on the IT line, which shows the Russian original in Uzbek mode.
 * errorTexts.test.ts fails when main/ throws a code that is neither here nor in ERRORS_FOR_IT_ONLY.
 */
export const ERROR_TEXT_UZ: Readonly<Record<string, string>> = {
  // Finding a sale
  'sale.not_found': 'Sotuv topilmadi. Chek raqamini tekshirib, qaytadan kiriting yoki QR-kodni skanerlang.',
  'sale.ambiguous': 'Bu raqamga bir nechta sotuv mos keladi: chekdagi vaqt va summa boʻyicha tanlang.',
  'sale.qr_not_a_sale': 'Bu QR-kod sotuv cheki emas. Xaridorning sotuv chekidagi QR-kodni skanerlang.',
  'sale.qr_fn_mismatch': 'QR-kod bu kassaning fiskal jamgʻargichidagi chekka mos kelmaydi (summa, vaqt yoki belgi). Sotuvni chek raqami boʻyicha toping (F2).',
  'sale.currency': 'Sotuv boshqa valyutada: bu kassa undan qaytarish qila olmaydi. Doʻkon yordam xizmatiga murojaat qiling.',
  'sale.lines_known': 'Bu sotuvning pozitsiyalari allaqachon maʼlum: qaytariladiganini ulardan tanlang.',
  'sale.lines_over_total': 'Kiritilgan pozitsiyalar summasi chek summasidan katta. Qogʻoz chekdagi narx va miqdorlarni tekshiring.',
  // The refund itself
  'refund.over_refund': 'Qaytarish summasi bu sotuv boʻyicha qolgan summadan katta. Miqdorlarni kamaytiring.',
  'refund.duplicate_line': 'Bitta pozitsiya ikki marta koʻrsatilgan. Pozitsiyalarni qaytadan tanlang.',
  'refund.unknown_line': 'Bu pozitsiya shu sotuvda yoʻq. Sotuvni qaytadan oching (F2).',
  'refund.no_vat_rate': 'Pozitsiyaning QQS stavkasi nomaʼlum: chek chop etilmaydi. Doʻkon yordam xizmatiga murojaat qiling.',
  'refund.payment_part_unknown': 'Qaytarish uchun sotuv toʻlovi topilmadi. Sotuvni qaytadan oching (F2).',
  'refund.regos_too_many_positions': 'Qaytarish chekida pozitsiyalar juda koʻp (markirovkalangan tovar REGOS VCR ga har bir dona uchun alohida pozitsiya boʻlib boradi), REGOS VCR esa bitta chekda 150 tadan ortiq pozitsiyani qabul qilmaydi. Qaytarish rasmiylashtirilmadi, hech narsa yuborilmadi. Qaytarishni qismlarga boʻlib bajaring: avval 150 pozitsiyagacha tovar, qolganini keyingi qaytarish bilan.',
  'refund.rrn_missing': 'Kartaga qaytarishni terminalda oʻtkazing va terminal chekidagi RRN ni kiriting.',
  'refund.not_found': 'Qaytarish topilmadi.',
  'refund.reason_required': 'Cheksiz qaytarish sababini yozing: sababsiz qaytarish rasmiylashtirilmaydi.',
  'refund.without_receipt_regos': 'REGOS kassasida cheksiz qaytarish mumkin emas: REGOS VCR faqat cheki boʻlgan sotuvni qaytaradi. Xaridordan chekni soʻrang yoki qaytarishni bek-ofisda rasmiylashtiring.',
  'refund.zero_total': 'Cheksiz qaytarish summasi nolga teng: narx va miqdorni tekshiring.',
  'refund.not_cancellable': 'Bu qaytarishni endi bekor qilib boʻlmaydi: natijani kuting.',
  'refund.no_receipt': 'Bu qaytarishning hali fiskal cheki yoʻq.',
  'refund.cloud_copy': 'Bu qaytarish chekini LIFE PAY bulutli kassasi fiskallashtirgan: chek nusxasini LIFE PAY shaxsiy kabinetidan toping.',
  'refund.regos_copy': 'REGOS chekining nusxasini REGOS VCR chop etadi.',
  'refund.regos_vat': 'Pozitsiyaning QQS stavkasi REGOS cheki uchun mos emas. Tovar kartochkasini tekshiring.',
  'refund.regos_tender': 'Bu toʻlov turini REGOS chekida qaytarib boʻlmaydi. Doʻkon yordam xizmatiga murojaat qiling.',
  'refund.earlier_unsettled': 'Oldingi qaytarish hali yakunlanmagan: u tekshirilmoqda. Biroz kuting va qaytadan urining.',
  'refund.history_incomplete': 'Bu sotuv boʻyicha qaytarishlar tarixi toʻliq emas: qoldiqni hisoblab boʻlmaydi. Biroz kuting va qaytadan urining.',
  'refund.printed_before_loss': 'Bu qaytarish cheki avval chop etilgan. Qayta chop etmang: printer hisobotini tekshiring.',
  // Marked goods (issue 21): what the cashier scanned, and what the ФН or the ОИСМ said of it
  'marking.duplicate': 'Bitta markirovka kodi ikki marta skanerlangan: har bir nusxa bir marta qaytariladi.',
  'marking.already_refunded': 'Bu nusxa allaqachon qaytarilgan (markirovka kodi boʻyicha): uni qayta qaytarib boʻlmaydi.',
  'marking.not_marked': 'Bu tovar markirovkalanmagan: unga markirovka kodi kerak emas.',
  'marking.whole_units': 'Markirovkalangan tovar dona boʻyicha qaytariladi: butun son kiriting.',
  'marking.too_many_units': 'Bitta pozitsiyaning markirovkalangan nusxalari bir qaytarishda 100 tadan koʻp boʻlmasin (har biri chekning alohida qatori). Qolganlarini keyingi qaytarishda qaytaring.',
  'marking.too_many': 'Skanerlangan kodlar qaytariladigan donalardan koʻp. Ortiqcha kodni olib tashlang yoki miqdorni oshiring.',
  'marking.scan_each': 'Qaytariladigan har bir nusxaning markirovka kodini skanerlang.',
  'marking.unreadable': 'Bu markirovka kodi emas. Qadoqdagi DataMatrix kodini qaytadan skanerlang.',
  'marking.other_product': 'Boshqa tovarning markirovka kodi. Qaytarilayotgan tovardagi kodni skanerlang.',
  'marking.not_in_sale': 'Bu nusxa shu sotuvdan emas: uning markirovka kodi chekda yoʻq.',
  'marking.label_repeated': 'Qaytarish chekida bitta markirovka kodi ikki qatorda turibdi: REGOS VCR bunday chekni qabul qilmaydi. Skanerlangan kodlarni tekshiring.',
  'FISCAL_MARKING_REFUSED': 'Markirovka kodi tekshiruvdan oʻtmadi: chek chop etilmadi. Kod aynan shu tovar nusxasidan skanerlanganini tekshiring.',
  // The fiscal printer and its shift
  'FISCAL_NOT_CONFIGURED': 'Printer tanlanmagan: sozlamalarda portni koʻrsating (F9).',
  'FISCAL_UNSUPPORTED': 'Bu kassa apparati (KKT) bu amalni dastur orqali bajarmaydi. Uni KKT ning oʻzida bajaring yoki doʻkon texnik yordamiga murojaat qiling.',
  'FISCAL_SHIFT_EXPIRED': 'Smena 24 soatdan koʻp ochiq: smenani yoping (Z-hisobot), soʻng qaytarishni qaytadan rasmiylashtiring.',
  'FISCAL_SHIFT_CLOSED': 'Smena allaqachon yopilgan.',
  'FISCAL_NO_ANSWER': 'Fiskal printer javob bermayapti. U yoqilganini va kabel ulanganini tekshiring.',
  'FISCAL_ANSWER_LOST': 'Amal vaqtida printer bilan aloqa uzildi. Natija printer maʼlumotlari boʻyicha tekshiriladi.',
  'FISCAL_PORT_CLOSED': 'Fiskal printer porti yopiq. Ulanishni tekshiring.',
  'FISCAL_PORT_OPEN': 'Printer portini ochib boʻlmadi. Printer kabelini va port sozlamalarini tekshiring.',
  'FISCAL_PORT_OPEN_FAILED': 'Printerga ulanib boʻlmadi. Printer kabelini va port sozlamalarini tekshiring.',
  'FISCAL_RECEIPT_INTERRUPTED': 'Chek chop etish toʻxtadi. Printerni tekshiring: chek oʻzi qayta chop etiladi yoki dastur nima qilishni aytadi.',
  'FISCAL_VERIFY_FAILED': 'Chek chop etilgan boʻlishi mumkin, lekin printer uning maʼlumotlarini tasdiqlamadi. Oxirgi chekni tekshiring.',
  'FISCAL_VALIDATION': 'Chek maʼlumotlarida xato: chek chop etilmadi. Doʻkon yordam xizmatiga murojaat qiling.',
  'FISCAL_VAT_RATE': 'Bu QQS stavkasi uchun printerda soliq guruhi topilmadi. Doʻkon yordam xizmatiga murojaat qiling.',
  'FISCAL_PROTOCOL': 'Fiskal printer tushunarsiz javob yubordi. Amalni takrorlang; yordam bermasa, texnik yordamga murojaat qiling.',
  'FISCAL_NOT_FOUND': 'Fiskal jamgʻargichda hali hujjatlar yoʻq.',
  'FISCAL_CLOSED': 'Dastur ishini yakunlamoqda.',
  'FISCAL_NOT_USED': 'Bu kassada fiskal printer yoʻq: qaytarishlarni REGOS VCR amalga oshiradi.',
  'FISCAL_PAPER_OUT': 'Printerda chek lentasi tugadi (yoki qopqogʻi ochiq). Yangi rulon qoʻying va qopqoqni yoping.',
  'FISCAL_NO_DOCUMENT': 'Fiskal jamgʻargichda hali hujjatlar yoʻq.',
  'FISCAL_BAD_ANSWER': 'Kassa apparati kutilmagan javob berdi. Sozlamalarda toʻgʻri protokol tanlanganini tekshiring.',
  'FISCAL_BUSY': 'Kassa apparati band. Bir necha soniyadan keyin qaytadan urining.',
  'FISCAL_OFFLINE': 'Printer javob bermayapti. U yoqilganini va kabel ulanganini tekshiring.',
  'FISCAL_DOCUMENT_UNREADABLE': 'Hujjatni fiskal jamgʻargichdan oʻqib boʻlmadi: maʼlumotlar buzilib keldi. Dastur uni yana oʻqiydi; xato takrorlansa, texnik yordamga murojaat qiling.',
  // Back ends, whichever (lifepos, lifepay, regos)
  '*.timeout': 'Server belgilangan vaqtda javob bermadi. Natija tekshiriladi; internetni tekshiring.',
  '*.unreachable': 'Server bilan aloqa yoʻq. Internetni tekshiring va qaytadan urining.',
  '*.aborted': 'Serverga soʻrov toʻxtatildi. Qaytadan urining.',
  '*.connection_lost': 'Soʻrov vaqtida server bilan aloqa uzildi. Natija tekshiriladi.',
  '*.unauthorized': 'Server login yoki kalitni qabul qilmadi. Administrator: sozlamalarda kalit yoki tokenni tekshiring.',
  '*.bad_response': 'Server tushunarsiz javob qaytardi. Qaytadan urining; takrorlansa, doʻkon yordam xizmatiga xabar bering.',
  '*.invalid_request': 'Serverga soʻrov yuborilmadi: maʼlumotlarda xato. Doʻkon yordam xizmatiga xabar bering.',
  // An HTTP error status (main/backends/httpClient.ts): what the server said is in the Russian original, for IT.
  '*.rejected': 'Server soʻrovni rad etdi. Doʻkon yordam xizmatiga xabar bering.',
  'backend.not_configured': 'Bu server sozlamalarda ulanmagan. Administrator: uni sozlamalarda yoqing (F9).',
  'lifepay.rate_limited': 'LIFE PAY soʻrovlarni vaqtincha cheklamoqda. Biroz kuting, dastur oʻzi qaytadan urinadi.',
  // REGOS VCR (BACKENDS.md error list; main/backends/regos/regosErrors.ts)
  'regos.offline': 'REGOS VCR bilan aloqa yoʻq: bu chek boʻyicha amalni hozir bajarib boʻlmaydi. VCR bilan aloqani tekshirib, qaytadan urining.',
  'regos.unconfirmed_rejection': 'REGOS chekni rad etdi, lekin u avvalroq roʻyxatdan oʻtganmi — tekshirib boʻlmadi. Chek REGOS javobini kutmoqda: qayta urmang.',
  'regos.duplicate_code': 'Bu kodli chek REGOS da allaqachon roʻyxatdan oʻtgan boʻlishi mumkin: uni REGOS da tekshiring va qayta urmang.',
  'regos.invalid_receipt': 'Chek REGOS talablariga mos emas. Pozitsiyalar, summalar va toʻlovlarni tekshiring.',
  'regos.701003': 'REGOS chekni rad etdi: maʼlumotlar notoʻgʻri. Pozitsiyalar, summalar va toʻlovlarni tekshiring.',
  'regos.703000': 'REGOS soʻrovni tushunmadi (notoʻgʻri format). Doʻkon yordam xizmatiga xabar bering.',
  'regos.703002': 'REGOS: avtorizatsiya maʼlumotlari formati notoʻgʻri. Administrator: sozlamalarda kassir login va parolini tekshiring.',
  'regos.704000': 'REGOS fiskal modulida xato. Fiskal modul ulanganini tekshirib, qaytadan urining.',
  'regos.704010': 'REGOS da smena ochilmagan. Smenani oching va qaytarishni takrorlang.',
  'regos.704101': 'REGOS da smena ochilmagan. Smenani oching va qaytarishni takrorlang.',
  'regos.704019': 'REGOS 24 soatdan koʻp vaqt serveri bilan aloqasiz. Administrator: VCR kompyuterida internetni tiklang.',
  'regos.704025': 'REGOS 24 soatdan koʻp litsenziya serveri bilan aloqasiz. Administrator: VCR kompyuterida internetni tiklang.',
  'regos.705000': 'REGOS kassir login yoki parolini qabul qilmadi. Administrator: ularni sozlamalarda tekshiring.',
  'regos.705002': 'REGOS printerni koʻrmayapti. Printer yoqilgan va ulanganini tekshirib, qaytadan urining.',
  'regos.705511': 'REGOS: tovar kodi (MXIK) tekshiruvdan oʻtmadi. Tovar kartochkasida MXIK kodini tekshiring.',
  // Instalments (REGOS credit receipts)
  'instalment.id_reused': 'Bu toʻlov raqami boshqa toʻlovda band. Toʻlovni qaytadan boshlang.',
  'instalment.not_found': 'Muddatli toʻlov boʻyicha toʻlov bu kassada topilmadi.',
  'instalment.not_registered': 'Bu kredit cheki REGOS VCR da roʻyxatdan oʻtmagan: nusxasi yoʻq.',
  'refund.recovered_unresolved': 'Bu sotuv boʻyicha qaytarishni hozircha rasmiylashtirib boʻlmaydi: fiskal jamgʻargichda kassa bazasida yoʻq qaytarish cheki bor. Tiklangan cheklar roʻyxatida u shu sotuv boʻyicha qaytarishmi yoki yoʻqmi, koʻrsating.',
  'journal.not_found': 'Jurnalda bunday yozuv yoʻq. Roʻyxatni yangilang.',
  'CASH_NOT_ENOUGH': 'Kassada naqd pul yetarli emas. Kassaga pul kiriting (F3 → Kiritish) yoki boshqa usulda qaytaring.',
  // Cashiers and the manager's approval
  'APPROVAL_REQUIRED': 'Boshqaruvchining tasdigʻi kerak. Boshqaruvchini chaqiring, u oʻz PIN kodini kiritadi.',
  'people.not_found': 'Bunday kassir roʻyxatda yoʻq. Roʻyxatdan oʻzingizni tanlang yoki ism va STIR bilan kiring.',
  'people.pin_required': 'Boshqaruvchiga PIN kod kerak: u amallarni shu bilan tasdiqlaydi.',
  'people.not_manager': 'Faqat kassa roʻyxatidagi boshqaruvchi tasdiqlay oladi.',
  'people.bad_inn': 'STIR (INN) notoʻgʻri. Raqamlarni tekshirib, qaytadan kiriting.',
  'people.locked': 'PIN uch marta notoʻgʻri kiritildi: PIN kiritish vaqtincha bloklandi. Biroz kuting.',
  'people.wrong_pin': 'PIN notoʻgʻri. Qaytadan kiriting.',
  // Settings, keys, the program
  'settings.insecure_address': 'Bu manzilga parol yoki kalit ochiq holda yuborilmaydi. HTTPS manzilini yoki doʻkon tarmogʻidagi manzilni koʻrsating.',
  'secrets.refused': 'Kalitlarni himoyalangan holda saqlab boʻlmaydi. Administrator: ochiq saqlashga ruxsatni sozlamalarda bering yoki tizimning kalitlar omborini oʻrnating.',
  'secrets.encrypt_failed': 'Kalit yoki parolni shifrlab boʻlmadi.',
  'secrets.unreadable': 'Kalitlar omborini oʻqib boʻlmadi.',
  'serial.list_failed': 'Portlar roʻyxatini olib boʻlmadi.',
  'services.closing': 'Dastur yopilmoqda: buyruq bajarilmadi. Dasturni qaytadan oching.',
  'services.crashed': 'Dastur xizmatlari toʻxtadi. Dasturni qaytadan oching.',
  'QUEUE_DISK_FULL': 'Diskda joy qolmadi: maʼlumotlarni saqlab boʻlmaydi. Administrator: diskda joy boʻshating.',
  'QUEUE_DB_BUSY': 'Maʼlumotlar bazasi band. Biroz kuting va qaytadan urining.',
};

/**
 * Codes the cashier never acts on (a program fault, a test switch): the Russian message with its code
 * is what IT needs, in either language (issue 15: "device error texts for IT may stay Russian").
 */
export const ERRORS_FOR_IT_ONLY: ReadonlySet<string> = new Set([
  'internal', 'contract.unknown_call', 'contract.bad_input', 'contract.bad_output', 'ipc.untrusted_sender',
  // A socket's own code inside the bridge server, never sent to the UI.
  'ECONNRESET',
  'training.bad_fault', 'training.off', 'lifepos.bad_paging', 'secrets.bad_id', 'secrets.no_answer',
  'SETTINGS_STEPS_INVALID', 'SETTINGS_TOO_NEW', 'QUEUE_JOB_TIMEOUT', 'QUEUE_WORKER_STOPPED', 'QUEUE_STORAGE_FAILED',
  'QUEUE_DB_CANT_OPEN', 'QUEUE_DB_CORRUPT', 'QUEUE_NOT_DEAD', 'QUEUE_INVALID_JOB', 'QUEUE_DB_TOO_NEW',
  'QUEUE_MIGRATIONS_INVALID', 'QUEUE_KIND_DUPLICATE', 'QUEUE_ROW_UNREADABLE',
]);

function uzbekText(code: string): string | undefined {
  const exact = ERROR_TEXT_UZ[code];
  if (exact) return exact;
  const dot = code.indexOf('.');
  return dot > 0 ? ERROR_TEXT_UZ[`*${code.slice(dot)}`] : undefined;
}

/** What the cashier reads, and the Russian original when that is not it (shown on the IT line). */
export function errorText(error: ErrorPayload, language: UiLanguage): { message: string; original?: string } {
  if (language === 'ru') return { message: error.message };
  const text = uzbekText(error.code);
  return text ? { message: text, original: error.message } : { message: error.message };
}
