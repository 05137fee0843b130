import { russianPlural } from '../../../preload/contract/russianPlural';

/**
 * Sentences the main process composes from particulars and sends as a code with values (preload/contract/
 * mainText.ts): a refund's reason, a progress line. Key `main.<code>` for each code (catalogue.test.ts
 * checks that every code has one in both languages), plus the parts some of them are built from. Values
 * arrive formatted (mainTexts.ts sayMain): an error already said in the UI's language, money by the
 * till's formatter. The Russian words are main's own (the log and the journal keep main's text).
 * Uzbek: Latin, oʻ/gʻ with U+02BB.
 */
export const WAIT_TAIL_RU = 'Чек напечатается сам, как только принтер ответит (Enter — «Повторить» сейчас). Это тот же возврат: второй чек не напечатается. Деньги выдайте после печати чека.';
const WAIT_TAIL_UZ = 'Printer javob berishi bilan chek oʻzi chop etiladi (Enter — hozir «Qayta urinish»). Bu oʻsha qaytarish: ikkinchi chek chop etilmaydi. Pulni chek chop etilgandan keyin bering.';

type Printed = { printed: number; count: number; fds: string };

export const mainSaidRu = {
  // The printer's refund reasons (main/refunds/printerChannel.ts)
  'main.printer.waits': `Принтер не отвечает, чек возврата ещё не печатался. Проверьте питание и кабель принтера. ${WAIT_TAIL_RU}`,
  'main.printer.earlierUnsettled': `Чек ещё не печатался: принтер сначала сверит предыдущий возврат, прерванный сбоем. ${WAIT_TAIL_RU}`,
  'main.printer.notPrintedWaits': ({ error }: { error: string }) => `Чек возврата не напечатан: ${error} ${WAIT_TAIL_RU}`,
  'main.printer.programFault': 'Чек возврата не напечатан: внутренняя ошибка программы, принтер исправен. Программа повторит печать сама (Enter — «Повторить» сейчас). Если чек так и не напечатается, сообщите специалисту: причина записана в журнал программы main.log. Это тот же возврат: второй чек не напечатается. Деньги выдайте после печати чека.',
  'main.printer.lost': 'Принтер перестал отвечать во время печати чека: чек мог напечататься. Не пробивайте возврат повторно и не выдавайте деньги, пока программа не сверит чек с принтером — это произойдёт само, как только принтер ответит.',
  'main.printer.printing': ({ seq, count }: { seq: number; count: number }) => `Печать чека ${seq} из ${count}…`,
  'main.printer.printedOf': ({ seq, count, fd }: { seq: number; count: number; fd: number }) => `Чек ${seq} из ${count} напечатан: ФД № ${fd}`,
  'main.printer.printedOne': ({ fd }: { fd: number }) => `Чек напечатан: ФД № ${fd}`,
  'main.printer.printedAll': ({ count, fds }: { count: number; fds: string }) => `Напечатано чеков: ${count} (ФД № ${fds})`,
  'main.printer.notPrinted': 'Чек не напечатан',
  'main.printer.notPrintedBecause': ({ error }: { error: string }) => `Чек не напечатан: ${error}`,
  'main.printer.partlyPrinted': ({ printed, count, fds, then }: Printed & { then: string }) => `Напечатано чеков: ${printed} из ${count} (ФД № ${fds}), они остаются в силе. ${then}`,
  'main.printer.partlyRefused': ({ printed, count, fds }: Printed) => `Напечатано чеков: ${printed} из ${count} (ФД № ${fds}), они остаются в силе. Следующий чек принтер не принял. Не пробивайте возврат повторно: сверьте чеки с отчётом принтера вместе со старшим кассиром.`,
  'main.printer.partlyRefusedBecause': ({ printed, count, fds, error }: Printed & { error: string }) => `Напечатано чеков: ${printed} из ${count} (ФД № ${fds}), они остаются в силе. Следующий чек принтер не принял: ${error}. Не пробивайте возврат повторно: сверьте чеки с отчётом принтера вместе со старшим кассиром.`,
  'main.printer.printedUnsynced': ({ fds, error, saleNumber }: { fds: string; error: string; saleNumber: string }) => `Чек возврата напечатан: ФД № ${fds}. Он в силе — не пробивайте возврат повторно, деньги выдайте покупателю. В LIFE POS возврат не отправлен: ${error} (у оплаты продажи № ${saleNumber} нет сессии оплаты, на которую LIFE POS требует сослаться). Старший кассир вносит этот возврат в LIFE POS вручную (обратная сессия по продаже с данными чека), затем отмечает его проверенным.`,
  'main.printer.markingOffline': 'Коды маркировки проверены без ответа системы маркировки (нет связи): чек напечатан, фискальный накопитель передаст коды сам, когда связь появится.',
  // Any channel (main/refunds/refundOutcomes.ts, regosChannel.ts)
  'main.refund.review': 'Нужна проверка: не удалось однозначно определить, напечатан ли чек. Сверьте с отчётом принтера, не пробивайте повторно.',
  'main.refund.refused': ({ error }: { error: string }) => error,
  // A dead outbox job (main/queue/failurePolicy.ts) and an instalment payment VCR refused (main/instalments/instalmentService.ts)
  'main.outbox.refused': ({ error }: { error: string }) => error,
  'main.outbox.gaveUp': ({ attempts, error }: { attempts: number; error: string }) => `Не удалось выполнить за ${attempts} ${russianPlural(attempts, ['попытку', 'попытки', 'попыток'])}. Последняя ошибка: ${error}`,
  'main.outbox.internalError': 'внутренняя ошибка программы',
  'main.instalment.refused': ({ error }: { error: string }) => `${error} Оплата не оформлена.`,
  // LIFE PAY's cloud register (main/refunds/lifePayChannel.ts)
  'main.lifepay.waits': 'LIFE PAY не ответил, фискализирован ли чек возврата в облачной кассе. Программа спросит LIFE PAY сама, как только связь восстановится (Enter — спросить сейчас). Не оформляйте этот возврат заново и не выдавайте деньги до ответа.',
  'main.lifepay.unknown': 'LIFE PAY не подтвердил чек возврата, и в списке операций LIFE PAY его нет: чек мог быть фискализирован облачной кассой позже. Повторно не пробивайте. Старшему кассиру: проверьте операции и чеки в личном кабинете LIFE PAY; если чека нет — оформите возврат заново.',
  'main.lifepay.handedOver': ({ why }: { why: string }) => `LIFE PAY не фискализировал чек (${why}): чек возврата печатает принтер этой кассы.`,
  'main.lifepay.notConnected': 'LIFE PAY не подключён',
  'main.lifepay.noTenderField': 'в облачном чеке нет поля для такой оплаты',
  'main.lifepay.noVatRate': 'в облачном чеке LIFE PAY нет ставки НДС Узбекистана',
  'main.lifepay.noExactPrice': 'для весового товара нет цены, которая даёт сумму строки точно до копейки',
  // REGOS VCR (main/refunds/regosChannel.ts; an error number of VCR's not in our list, regosErrors.ts)
  'main.regos.waits': 'REGOS VCR не ответил, зарегистрирован ли чек возврата. Программа спрашивает VCR сама каждые несколько секунд и покажет ответ (Enter — спросить сейчас). Не оформляйте этот возврат заново и не выдавайте деньги до ответа.',
  'main.regos.registered': ({ receiptNo }: { receiptNo: string }) => `REGOS зарегистрировал чек № ${receiptNo}`,
  'main.regos.notNow': 'REGOS VCR сейчас не смог зарегистрировать чек возврата, возврат не оформлен. Повторите его через минуту.',
  'main.regos.notRegistered': 'REGOS VCR ответил, что чек возврата не зарегистрирован: возврат не оформлен, деньги по нему не выдавайте. Оформите возврат заново.',
  'main.regos.unknownError': ({ number }: { number: string }) => `REGOS вернул ошибку ${number}.`,
  // A sale refunded beyond what was sold across tills (main/refunds/overlap/overlapReason.ts)
  'main.overlap.flagged': ({ saleNumber, lines, refunds }: { saleNumber: string; lines: string; refunds: string }) => `Продажа ${saleNumber} возвращена больше, чем продано (возвраты на разных кассах без связи): ${lines}. `
    + `Возвраты: ${refunds}. Оба чека напечатаны и остаются в силе; возврат этой кассы записан в LIFE POS. `
    + 'Старшему кассиру: проверьте, не выданы ли деньги дважды, и решите это в LIFE POS. Повторно ничего не пробивайте.',
  // Before a refund (main/refunds/refundSaga.ts preview; main/refunds/history/recoveredRefunds.ts)
  'main.preview.severalReceipts': ({ count, max }: { count: number; max: number }) => `Возврат напечатается ${count} чеками подряд (в одном чеке не больше ${max} позиций): это один возврат, деньги выдайте после последнего чека.`,
  'main.recovered.counted': ({ receipts }: { receipts: string }) => `По данным фискального накопителя по этой продаже уже пробит возврат, которого нет в базе кассы: ${receipts}. Эти товары учтены как возвращённые. Если это возврат по другой продаже, укажите это в списке восстановленных чеков.`,
  'main.recovered.unresolved': ({ receipts }: { receipts: string }) => `В фискальном накопителе есть чек возврата, которого нет в базе кассы и который может относиться к этой продаже: ${receipts}. Программа не решает это сама: укажите, возврат ли это по этой продаже. До этого возврат по ней не оформляется.`,
  'main.recovered.receipt': ({ fd, at, total, positions }: { fd: number; at: string; total: string; positions: string }) => `ФД № ${fd} от ${at} на ${total}: ${positions}`,
  'main.overlap.line': ({ name, sold, refunded }: { name: string; sold: string; refunded: string }) => `«${name}»: продано ${sold}, возвращено ${refunded}`,
  'main.overlap.refund': ({ who, at, amount }: { who: string; at: string; amount: string }) => `${who} — ${at}, ${amount}`,
  'main.overlap.thisTill': 'эта касса',
  'main.overlap.otherTill': 'другая касса',
  'main.overlap.till': ({ fn }: { fn: string }) => `касса с ФН № ${fn}`,
  'main.overlap.withFd': ({ till, fd }: { till: string; fd: number }) => `${till}, чек ФД № ${fd}`,
};

export const mainSaidUz: { [K in keyof typeof mainSaidRu]: (typeof mainSaidRu)[K] } = {
  'main.printer.waits': `Printer javob bermayapti, qaytarish cheki hali chop etilmagan. Printerning quvvati va kabelini tekshiring. ${WAIT_TAIL_UZ}`,
  'main.printer.earlierUnsettled': `Chek hali chop etilmagan: printer avval nosozlik tufayli uzilgan oldingi qaytarishni tekshiradi. ${WAIT_TAIL_UZ}`,
  'main.printer.notPrintedWaits': ({ error }) => `Qaytarish cheki chop etilmadi: ${error} ${WAIT_TAIL_UZ}`,
  'main.printer.programFault': 'Qaytarish cheki chop etilmadi: dasturning ichki xatosi, printer soz. Dastur chop etishni oʻzi takrorlaydi (Enter — hozir «Qayta urinish»). Chek baribir chop etilmasa, mutaxassisga xabar bering: sabab dastur jurnaliga (main.log) yozilgan. Bu oʻsha qaytarish: ikkinchi chek chop etilmaydi. Pulni chek chop etilgandan keyin bering.',
  'main.printer.lost': 'Chek chop etilayotganda printer javob bermay qoldi: chek chop etilgan boʻlishi mumkin. Dastur chekni printer bilan solishtirmaguncha qaytarishni qayta rasmiylashtirmang va pul bermang — bu printer javob berishi bilan oʻzi amalga oshadi.',
  'main.printer.printing': ({ seq, count }) => `Chek chop etilmoqda: ${seq} / ${count}…`,
  'main.printer.printedOf': ({ seq, count, fd }) => `Chek ${seq} / ${count} chop etildi: FH № ${fd}`,
  'main.printer.printedOne': ({ fd }) => `Chek chop etildi: FH № ${fd}`,
  'main.printer.printedAll': ({ count, fds }) => `Chop etilgan cheklar: ${count} (FH № ${fds})`,
  'main.printer.notPrinted': 'Chek chop etilmadi',
  'main.printer.notPrintedBecause': ({ error }) => `Chek chop etilmadi: ${error}`,
  'main.printer.partlyPrinted': ({ printed, count, fds, then }) => `Chop etilgan cheklar: ${printed} / ${count} (FH № ${fds}), ular kuchda qoladi. ${then}`,
  'main.printer.partlyRefused': ({ printed, count, fds }) => `Chop etilgan cheklar: ${printed} / ${count} (FH № ${fds}), ular kuchda qoladi. Keyingi chekni printer qabul qilmadi. Qaytarishni qayta rasmiylashtirmang: cheklarni katta kassir bilan birga printer hisobotiga solishtiring.`,
  'main.printer.partlyRefusedBecause': ({ printed, count, fds, error }) => `Chop etilgan cheklar: ${printed} / ${count} (FH № ${fds}), ular kuchda qoladi. Keyingi chekni printer qabul qilmadi: ${error}. Qaytarishni qayta rasmiylashtirmang: cheklarni katta kassir bilan birga printer hisobotiga solishtiring.`,
  'main.printer.printedUnsynced': ({ fds, error, saleNumber }) => `Qaytarish cheki chop etildi: FH № ${fds}. U kuchda — qaytarishni qayta rasmiylashtirmang, pulni xaridorga bering. Qaytarish LIFE POS ga yuborilmadi: ${error} (№ ${saleNumber} sotuv toʻlovida LIFE POS havola qilishni talab qiladigan toʻlov sessiyasi yoʻq). Katta kassir bu qaytarishni LIFE POS ga qoʻlda kiritadi (sotuv boʻyicha chek maʼlumotlari bilan teskari sessiya), soʻng uni tekshirilgan deb belgilaydi.`,
  'main.printer.markingOffline': 'Markirovka kodlari markirovka tizimining javobisiz tekshirildi (aloqa yoʻq): chek chop etildi, fiskal jamgʻargich kodlarni aloqa paydo boʻlganda oʻzi yuboradi.',
  'main.refund.review': 'Tekshirish kerak: chek chop etilgan-etilmaganini aniqlab boʻlmadi. Printer hisoboti bilan solishtiring, qayta rasmiylashtirmang.',
  'main.refund.refused': ({ error }) => error,
  'main.outbox.refused': ({ error }) => error,
  'main.outbox.gaveUp': ({ attempts, error }) => `${attempts} ta urinishda bajarib boʻlmadi. Oxirgi xato: ${error}`,
  'main.outbox.internalError': 'dasturning ichki xatosi',
  'main.instalment.refused': ({ error }) => `${error} Toʻlov rasmiylashtirilmadi.`,
  'main.lifepay.waits': 'LIFE PAY qaytarish cheki bulutli kassada fiskallashtirilgan-fiskallashtirilmaganini aytmadi. Aloqa tiklanishi bilan dastur LIFE PAY dan oʻzi soʻraydi (Enter — hozir soʻrash). Javob kelguncha bu qaytarishni qayta rasmiylashtirmang va pul bermang.',
  'main.lifepay.unknown': 'LIFE PAY qaytarish chekini tasdiqlamadi va u LIFE PAY amallari roʻyxatida yoʻq: chek bulutli kassada keyinroq fiskallashtirilgan boʻlishi mumkin. Qayta rasmiylashtirmang. Katta kassirga: LIFE PAY shaxsiy kabinetida amallar va cheklarni tekshiring; chek boʻlmasa — qaytarishni qaytadan rasmiylashtiring.',
  'main.lifepay.handedOver': ({ why }) => `LIFE PAY chekni fiskallashtirmadi (${why}): qaytarish chekini shu kassaning printeri chop etadi.`,
  'main.lifepay.notConnected': 'LIFE PAY ulanmagan',
  'main.lifepay.noTenderField': 'bulutli chekda bunday toʻlov uchun maydon yoʻq',
  'main.lifepay.noVatRate': 'LIFE PAY bulutli chekida Oʻzbekiston QQS stavkasi yoʻq',
  'main.lifepay.noExactPrice': 'tortib sotiladigan tovar uchun qator summasini kopeykagacha aniq beradigan narx yoʻq',
  'main.regos.waits': 'REGOS VCR qaytarish cheki roʻyxatdan oʻtgan-oʻtmaganini aytmadi. Dastur VCR dan har bir necha soniyada oʻzi soʻraydi va javobni koʻrsatadi (Enter — hozir soʻrash). Javob kelguncha bu qaytarishni qayta rasmiylashtirmang va pul bermang.',
  'main.regos.registered': ({ receiptNo }) => `REGOS chekni roʻyxatdan oʻtkazdi: № ${receiptNo}`,
  'main.regos.notNow': 'REGOS VCR hozir qaytarish chekini roʻyxatdan oʻtkaza olmadi, qaytarish rasmiylashtirilmadi. Bir daqiqadan keyin takrorlang.',
  'main.regos.notRegistered': 'REGOS VCR qaytarish cheki roʻyxatdan oʻtmaganini aytdi: qaytarish rasmiylashtirilmadi, u boʻyicha pul bermang. Qaytarishni qaytadan rasmiylashtiring.',
  'main.regos.unknownError': ({ number }) => `REGOS ${number} raqamli xatoni qaytardi.`,
  'main.overlap.flagged': ({ saleNumber, lines, refunds }) => `${saleNumber} sotuvi sotilganidan koʻproq qaytarildi (aloqasiz turli kassalardagi qaytarishlar): ${lines}. `
    + `Qaytarishlar: ${refunds}. Ikkala chek ham chop etilgan va kuchda qoladi; shu kassaning qaytarishi LIFE POS ga yozilgan. `
    + 'Katta kassirga: pul ikki marta berilmaganini tekshiring va buni LIFE POS da hal qiling. Hech narsani qayta rasmiylashtirmang.',
  'main.preview.severalReceipts': ({ count, max }) => `Qaytarish ketma-ket ${count} ta chek bilan chop etiladi (bir chekda ${max} tadan ortiq pozitsiya boʻlmaydi): bu bitta qaytarish, pulni oxirgi chekdan keyin bering.`,
  'main.recovered.counted': ({ receipts }) => `Fiskal jamgʻargich maʼlumotiga koʻra, bu sotuv boʻyicha kassa bazasida yoʻq qaytarish allaqachon urilgan: ${receipts}. Bu tovarlar qaytarilgan deb hisoblandi. Agar bu boshqa sotuv boʻyicha qaytarish boʻlsa, buni tiklangan cheklar roʻyxatida koʻrsating.`,
  'main.recovered.unresolved': ({ receipts }) => `Fiskal jamgʻargichda kassa bazasida yoʻq va shu sotuvga tegishli boʻlishi mumkin boʻlgan qaytarish cheki bor: ${receipts}. Dastur buni oʻzi hal qilmaydi: bu shu sotuv boʻyicha qaytarishmi — koʻrsating. Shungacha bu sotuv boʻyicha qaytarish rasmiylashtirilmaydi.`,
  'main.recovered.receipt': ({ fd, at, total, positions }) => `FH № ${fd}, ${at}, ${total}: ${positions}`,
  'main.overlap.line': ({ name, sold, refunded }) => `«${name}»: sotilgan ${sold}, qaytarilgan ${refunded}`,
  'main.overlap.refund': ({ who, at, amount }) => `${who} — ${at}, ${amount}`,
  'main.overlap.thisTill': 'shu kassa',
  'main.overlap.otherTill': 'boshqa kassa',
  'main.overlap.till': ({ fn }) => `fiskal jamgʻargichi № ${fn} boʻlgan kassa`,
  'main.overlap.withFd': ({ till, fd }) => `${till}, chek FH № ${fd}`,
};
