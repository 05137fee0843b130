import { AppError } from '../../appError';
import type { FiscalDocument } from '../../fiscal/documents';
import type { FnReader } from '../history/fnHistoryScan';
import { rubles, type RuFiscalQr } from './fiscalQr';

/**
 * A Russian receipt QR whose `fn` is this till's ФН names a document the ФН itself can be asked about:
 * 0xFF0A "find fiscal document by number" answers its type, operation, total, date-time and fiscal sign
 * (no positions; main/fiscal/shtrih/PROTOCOL.md §Commands). Before the back ends are searched, the QR is checked
 * against that answer, so a damaged or foreign QR, or the QR of a refund, is refused with the ФН's reason
 * instead of opening a wrong sale; and the ФН's time narrows a search that only has the day and the total
 * (LIFE PAY, main/refunds/saleSources.ts).
 */
export type OwnFnAnswer =
  /** The QR's ФН is not this till's: there is nothing here to confirm it against. */
  | { kind: 'otherFn' }
  /** This ФН has fewer documents than the QR's number. */
  | { kind: 'missing'; lastDocumentNumber: number }
  | { kind: 'document'; document: FiscalDocument };

export async function readQrDocument(reader: FnReader, qr: RuFiscalQr): Promise<OwnFnAnswer> {
  const status = await reader.status();
  if (status.fnNumber !== qr.fn) return { kind: 'otherFn' };
  const number = Number(qr.fd);
  if (number < 1 || number > status.lastDocumentNumber) return { kind: 'missing', lastDocumentNumber: status.lastDocumentNumber };
  return { kind: 'document', document: await reader.findDocument(number) };
}

/**
 * 54-ФЗ format rules allow the document's time to differ from the exact time by at most 5 minutes
 * (ФФД, table of common requisite values, tag 1012: «Отклонение даты и времени формирования ФД не должно
 * превышать 5 минут»; consultant.ru cons_doc_LAW_448874): a payment stamped further than that from the
 * receipt's ФН time is not the one this receipt was printed for.
 */
export const FN_TIME_TOLERANCE_MS = 5 * 60_000;

const dayMonth = (dateTime: string) => `${dateTime.slice(8, 10)}.${dateTime.slice(5, 7)}.${dateTime.slice(0, 4)} ${dateTime.slice(11, 16)}`;

const refused = (code: string, message: string, detail: string) => new AppError({ code, message, retry: 'permanent', detail });

/** Null when the ФН's document is the sale receipt the QR describes; else why not, for the cashier. */
export function checkQrAgainstFn(qr: RuFiscalQr, answer: Exclude<OwnFnAnswer, { kind: 'otherFn' }>): AppError | null {
  const what = `Чек ФД № ${qr.fd}`;
  if (answer.kind === 'missing') {
    return refused('sale.qr_fn_mismatch',
      `${what} не найден в фискальном накопителе этой кассы (в нём ${answer.lastDocumentNumber} документов): QR-код повреждён или не с этой кассы. Найдите продажу по номеру чека или сделки (F2).`,
      `fd ${qr.fd} > last ${answer.lastDocumentNumber}`);
  }
  const doc = answer.document;
  if (doc.type !== 'receipt') {
    return refused('sale.qr_not_a_sale',
      `По фискальному накопителю этой кассы документ № ${qr.fd} — не кассовый чек, а ${doc.type === 'correction' ? 'чек коррекции' : 'отчёт'}. Отсканируйте QR-код с чека продажи.`,
      `fd ${qr.fd} is ${doc.type ?? 'unknown'}`);
  }
  if (doc.operation !== 'income') {
    return refused('sale.qr_not_a_sale',
      `По фискальному накопителю этой кассы ${what} — ${doc.operation === 'refundOfIncome' ? 'чек возврата' : 'чек расхода'}, а не продажи: возврат по нему не оформляется. Отсканируйте QR-код с чека продажи.`,
      `fd ${qr.fd} operation ${doc.operation ?? '?'}`);
  }
  if (doc.totalMinor !== qr.totalMinor) {
    return refused('sale.qr_fn_mismatch',
      `Сумма в QR-коде ${rubles(qr.totalMinor)}, а в фискальном накопителе ${what} на ${rubles(doc.totalMinor ?? 0)}: QR-код не от этого чека или повреждён. Найдите продажу по номеру чека (F2).`,
      `fd ${qr.fd} total ${doc.totalMinor ?? '?'} != qr ${qr.totalMinor}`);
  }
  // The ФН keeps minutes; the QR may add seconds.
  if (doc.dateTime.slice(0, 16) !== qr.dateTime.slice(0, 16)) {
    return refused('sale.qr_fn_mismatch',
      `Время в QR-коде ${dayMonth(qr.dateTime)}, а в фискальном накопителе ${what} пробит ${dayMonth(doc.dateTime)}: QR-код не от этого чека. Найдите продажу по номеру чека (F2).`,
      `fd ${qr.fd} time ${doc.dateTime} != qr ${qr.dateTime}`);
  }
  if (doc.fiscalSign !== qr.fp) {
    return refused('sale.qr_fn_mismatch',
      `Фискальный признак в QR-коде (${qr.fp}) не совпадает с признаком ${what} в фискальном накопителе: QR-код поддельный или повреждён. Найдите продажу по номеру чека (F2).`,
      `fd ${qr.fd} fp ${doc.fiscalSign} != qr ${qr.fp}`);
  }
  return null;
}

/** True when a sale stamped `createdAt` (ISO, or local time without a zone) can be the one printed at the ФН's time. */
export function nearFnTime(document: FiscalDocument, createdAt: string): boolean {
  const sale = new Date(createdAt.includes(' ') && !createdAt.includes('T') ? createdAt.replace(' ', 'T') : createdAt).getTime();
  const printed = new Date(document.dateTime).getTime();
  // The ФН keeps whole minutes: one more minute for the seconds it dropped.
  return !Number.isNaN(sale) && !Number.isNaN(printed) && Math.abs(sale - printed) <= FN_TIME_TOLERANCE_MS + 60_000;
}

/** The printer as the search needs it: its state, and one turn on the driver (PrinterConnection). */
export interface OwnPrinter {
  state(): { state: string };
  use<T>(fn: (reader: FnReader) => Promise<T>): Promise<T>;
}

/**
 * The ФН question of the search over this till's printer. A printer known to be off is not waited for:
 * the search goes on without the ФН (the back ends still decide), as on a till without a printer.
 */
export function askOwnFn(printer: OwnPrinter): (qr: RuFiscalQr) => Promise<OwnFnAnswer> {
  return (qr) => {
    if (printer.state().state === 'offline') {
      return Promise.reject(new AppError({ code: 'FISCAL_OFFLINE', message: 'Принтер не отвечает', retry: 'transient', detail: 'QR not checked against the ФН' }));
    }
    return printer.use((reader) => readQrDocument(reader, qr));
  };
}
