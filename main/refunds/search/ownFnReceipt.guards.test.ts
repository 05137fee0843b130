import { describe, expect, it } from 'vitest';
import type { FiscalDocument } from '../../fiscal/documents';
import { rejectionOf } from '../../../test/support/caughtAppError';
import { AppError } from '../../appError';
import { useDriverRig } from '../../fiscal/shtrih/driverTestRig';
import type { RuFiscalQr } from './fiscalQr';
import { askOwnFn, checkQrAgainstFn, nearFnTime, readQrDocument } from './ownFnReceipt';

/**
 * What the cashier and IT are told when this till's ФН contradicts a receipt QR (issue 11 point 7): the
 * ФН's answer to 0xFF0A is plain data, so each refusal is checked word for word, with its log detail.
 */
const qr: RuFiscalQr = { kind: 'ruFiscal', dateTime: '2026-03-05T14:07:31', totalMinor: 45_000, fn: '9999078900001234', fd: '42', fp: '3522207165', operation: 1 };
const sale: FiscalDocument = { number: 42, fiscalSign: '3522207165', dateTime: '2026-03-05T14:07', type: 'receipt', operation: 'income', totalMinor: 45_000 };
const refusal = (doc: Partial<FiscalDocument>) => checkQrAgainstFn(qr, { kind: 'document', document: { ...sale, ...doc } });
const told = (e: AppError | null) => e && { code: e.code, message: e.message, retry: e.retry, detail: e.detail };

describe('a receipt QR checked against this till\'s ФН: what the cashier and IT are told', () => {
  it('the ФН\'s own sale receipt passes', () => {
    expect(refusal({})).toBeNull();
  });

  it('a correction receipt, a report, or a document of no known type', () => {
    expect(told(refusal({ type: 'correction' }))).toEqual({
      code: 'sale.qr_not_a_sale', retry: 'permanent', detail: 'fd 42 is correction',
      message: 'По фискальному накопителю этой кассы документ № 42 — не кассовый чек, а чек коррекции. Отсканируйте QR-код с чека продажи.',
    });
    expect(told(refusal({ type: 'closeShift' }))).toMatchObject({ detail: 'fd 42 is closeShift', message: expect.stringContaining(' — не кассовый чек, а отчёт. ') });
    expect(told(refusal({ type: undefined }))).toMatchObject({ detail: 'fd 42 is unknown', message: expect.stringContaining(' — не кассовый чек, а отчёт. ') });
  });

  it('a refund or an expense receipt, or one whose operation the ФН did not say', () => {
    expect(told(refusal({ operation: 'refundOfIncome' }))).toEqual({
      code: 'sale.qr_not_a_sale', retry: 'permanent', detail: 'fd 42 operation refundOfIncome',
      message: 'По фискальному накопителю этой кассы Чек ФД № 42 — чек возврата, а не продажи: возврат по нему не оформляется. Отсканируйте QR-код с чека продажи.',
    });
    expect(told(refusal({ operation: 'expense' }))).toMatchObject({
      detail: 'fd 42 operation expense',
      message: 'По фискальному накопителю этой кассы Чек ФД № 42 — чек расхода, а не продажи: возврат по нему не оформляется. Отсканируйте QR-код с чека продажи.',
    });
    expect(told(refusal({ operation: undefined }))).toMatchObject({ detail: 'fd 42 operation ?', message: expect.stringContaining('Чек ФД № 42 — чек расхода, а не продажи') });
  });

  it('a total the ФН does not have, or did not say', () => {
    expect(told(refusal({ totalMinor: 145_050 }))).toEqual({
      code: 'sale.qr_fn_mismatch', retry: 'permanent', detail: 'fd 42 total 145050 != qr 45000',
      message: 'Сумма в QR-коде 450,00 ₽, а в фискальном накопителе Чек ФД № 42 на 1\u00a0450,50 ₽: QR-код не от этого чека или повреждён. Найдите продажу по номеру чека (F2).',
    });
    expect(told(refusal({ totalMinor: undefined }))).toMatchObject({ detail: 'fd 42 total ? != qr 45000', message: expect.stringContaining('Чек ФД № 42 на 0,00 ₽: ') });
  });

  // Each with the whole text: the time day first as the cashier reads it, the ФН's count of documents.
  it.each<[string, AppError | null, string, string]>([
    ['a number past the ФН\'s last document', checkQrAgainstFn(qr, { kind: 'missing', lastDocumentNumber: 17 }), 'fd 42 > last 17',
      'Чек ФД № 42 не найден в фискальном накопителе этой кассы (в нём 17 документов): QR-код повреждён или не с этой кассы. Найдите продажу по номеру чека или сделки (F2).'],
    ['another time', refusal({ dateTime: '2026-03-05T14:12' }), 'fd 42 time 2026-03-05T14:12 != qr 2026-03-05T14:07:31',
      'Время в QR-коде 05.03.2026 14:07, а в фискальном накопителе Чек ФД № 42 пробит 05.03.2026 14:12: QR-код не от этого чека. Найдите продажу по номеру чека (F2).'],
    ['another fiscal sign', refusal({ fiscalSign: '1111111111' }), 'fd 42 fp 1111111111 != qr 3522207165',
      'Фискальный признак в QR-коде (3522207165) не совпадает с признаком Чек ФД № 42 в фискальном накопителе: QR-код поддельный или повреждён. Найдите продажу по номеру чека (F2).'],
  ])('%s', (_case, refused, detail, message) => {
    expect(told(refused)).toEqual({ code: 'sale.qr_fn_mismatch', retry: 'permanent', detail, message });
  });
});

describe('a payment\'s time against the ФН time of the receipt (5 minutes of 54-ФЗ, plus the dropped seconds)', () => {
  const printed: FiscalDocument = { ...sale, dateTime: '2026-03-05T14:07' };
  it('exactly 6 minutes either way is near; a minute more is not', () => {
    expect(nearFnTime(printed, '2026-03-05T14:13:00')).toBe(true);
    expect(nearFnTime(printed, '2026-03-05T14:01:00')).toBe(true);
    expect(nearFnTime(printed, '2026-03-05T14:05:30')).toBe(true);
    expect(nearFnTime(printed, '2026-03-05T14:13:01')).toBe(false);
    expect(nearFnTime(printed, '2026-03-05T14:00:59')).toBe(false);
  });

  it('local time with a space, ISO time, and a date in words all read; a time that does not read is never near', () => {
    expect(nearFnTime(printed, '2026-03-05 14:08:20')).toBe(true);
    expect(nearFnTime(printed, '2026-03-05 14:20:20')).toBe(false);
    // A date in words has a space and a "T" (Thu) and is read as written, not as local ISO.
    expect(nearFnTime(printed, 'Thu, 05 Mar 2026 14:08:20')).toBe(true);
    expect(nearFnTime(printed, 'вчера')).toBe(false);
    expect(nearFnTime({ ...printed, dateTime: 'не читается' }, '2026-03-05 14:08:20')).toBe(false);
  });
});

describe('the ФН asked about a QR\'s document number (0xFF0A over the Shtrih-M emulator)', () => {
  const rig = useDriverRig();
  it('document 0 is no document of this ФН: the ФН is not asked for it, the cashier hears how many it has', async () => {
    const { d } = await rig.ready();
    await d.openShift('Петрова И.');
    const { fnNumber, lastDocumentNumber } = await d.status();
    const answer = await readQrDocument(d, { ...qr, fn: fnNumber, fd: '0' });
    expect(answer).toEqual({ kind: 'missing', lastDocumentNumber });
    if (answer.kind === 'otherFn') return;
    expect(checkQrAgainstFn({ ...qr, fd: '0' }, answer)?.message).toContain(`Чек ФД № 0 не найден в фискальном накопителе этой кассы (в нём ${lastDocumentNumber} документов)`);
  });
});

describe('the ФН question with the printer off', () => {
  it('is not sent: the search hears the printer is off for now and why', async () => {
    const ask = askOwnFn({ state: () => ({ state: 'offline' }), use: () => Promise.reject(new Error('the printer must not be used')) });
    expect(told(await rejectionOf(ask(qr), AppError))).toEqual({ code: 'FISCAL_OFFLINE', message: 'Принтер не отвечает', retry: 'transient', detail: 'QR not checked against the ФН' });
  });
});
