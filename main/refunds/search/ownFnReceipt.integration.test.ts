import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { startLifePayEmulator, type LifePayEmulator, type StoredTransaction } from '../../../emulators/lifepay/server';
import { ShtrihDriver } from '../../fiscal/shtrih/driver';
import type { FiscalDocument } from '../../fiscal/documents';
import type { FiscalReceiptInput } from '../../fiscal/receipt';
import { LifePayClient } from '../../backends/lifepay/lifePayClient';
import { loggerOver } from '../../log/logger';
import { openDatabase, type Database } from '../../queue/database';
import { RefundStore } from '../refundStore';
import { SaleFinder } from '../saleFinder';
import { lifePaySource } from '../saleSources';
import { SeenSales } from '../seenSales';
import { askOwnFn } from './ownFnReceipt';
import { rejectionOf } from '../../../test/support/caughtAppError';
import { AppError } from '../../appError';

/**
 * A sale printed on this till, found from its QR through the ФН itself (issue 13 point 2): the Shtrih-M
 * emulator's ФН answers 0xFF0A for the QR's document, the LIFE PAY emulator over HTTP holds the payments,
 * a real SQLite file the till's records.
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };
const SUM = 45_000;

const receipt = (operation: FiscalReceiptInput['operation']): FiscalReceiptInput => ({
  operation, cashier: 'Петрова И.',
  positions: [{ name: 'Стрижка мужская', priceMinor: SUM, quantityMilli: 1000, amountMinor: SUM, vat: 'none', paymentMethod: 'fullPayment', itemSign: 'service' }],
  tenders: { cashMinor: SUM },
});

/** The 54-ФЗ QR string of a document, as the receipt prints it. */
const qrOf = (fn: string, d: Pick<FiscalDocument, 'dateTime' | 'number' | 'fiscalSign'>, totalMinor: number, n = 1) =>
  `t=${d.dateTime.replace(/[-:]/g, '')}&s=${Math.floor(totalMinor / 100)}.${String(totalMinor % 100).padStart(2, '0')}&fn=${fn}&i=${d.number}&fp=${d.fiscalSign}&n=${n}`;

const payment = (uuid: string, number: string, created: string): StoredTransaction => ({
  uuid, number, created, amount: SUM, method: 'cash', type: 'payment', status: 'success', employee: 'Петров Алексей', rrn: null, ext_id: null,
  purchase: { products: [{ name: 'Стрижка мужская', price: SUM, quantity: 1000, tax: 'none', type: 4, item_type: 4 }] },
});

describe('a sale printed on this till, found from its QR through the ФН (0xFF0A)', () => {
  let dir: string;
  let db: Database;
  let emu: InMemoryEmulator;
  let driver: ShtrihDriver;
  let lifepay: LifePayEmulator;
  let printerState = 'ready';
  let sale: FiscalDocument;
  let refund: FiscalDocument;
  let fn: string;
  const warnings: string[] = [];
  let finder: SaleFinder;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'own-fn-'));
    db = openDatabase(join(dir, 'till.sqlite'));
    emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
    driver = await ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS });
    await driver.openShift('Петрова И.');
    sale = await driver.printReceipt(receipt('income'));
    refund = await driver.printReceipt(receipt('refundOfIncome'));
    fn = (await driver.status()).fnNumber;
    // Two cash payments of the same sum on the receipt's day: LIFE PAY's list has no fiscal numbers, so
    // day and total alone name both; the one at the ФН's time is the receipt's.
    const day = sale.dateTime.slice(0, 10);
    const early = sale.dateTime.slice(11, 16) >= '00:10' ? `${day} 00:00:05` : `${day} 23:59:00`;
    lifepay = await startLifePayEmulator({ seed: { transactions: [payment('tx-early', '30460', early), payment('tx-printed', '30461', `${sale.dateTime.slice(0, 16).replace('T', ' ')}:20`)] } });
    const client = new LifePayClient({ baseUrl: lifepay.url, login: lifepay.login, apiKey: lifepay.apiKey, timeoutMs: 2000 });
    const log = loggerOver((level, _fields, message) => level === 'warn' && warnings.push(message), () => undefined);
    printerState = 'ready';
    warnings.length = 0;
    finder = new SaleFinder(() => [lifePaySource(() => client)], new SeenSales(db), new RefundStore(db), log,
      askOwnFn({ state: () => ({ state: printerState }), use: (f) => f(driver) }));
  });
  afterEach(async () => {
    await driver.close();
    await emu.close();
    await lifepay.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the ФН confirms the receipt and its time picks the payment it was printed for', async () => {
    expect(await finder.search(qrOf(fn, sale, SUM))).toMatchObject({ kind: 'sale', sale: { ref: { source: 'lifepay', id: 'tx-printed' } } });
    // The same receipt from another ФН (not asked): the day and total name both payments.
    const elsewhere = await finder.search(qrOf('9999078900000001', sale, SUM));
    expect(elsewhere.kind).toBe('choices');
    if (elsewhere.kind === 'choices') expect(elsewhere.sales.map((s) => s.ref.id).sort()).toEqual(['tx-early', 'tx-printed']);
  });

  it('a QR the ФН contradicts is refused with the reason: sum, time, fiscal sign, a number past the last document', async () => {
    const sumWrong = await rejectionOf(finder.search(qrOf(fn, sale, SUM + 100)), AppError);
    expect(sumWrong).toMatchObject({ code: 'sale.qr_fn_mismatch', message: expect.stringContaining('Сумма в QR-коде 451,00 ₽, а в фискальном накопителе') });
    const later = new Date(new Date(sale.dateTime).getTime() + 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const otherTime = `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T${pad(later.getHours())}:${pad(later.getMinutes())}`;
    expect(await rejectionOf(finder.search(qrOf(fn, { ...sale, dateTime: otherTime }, SUM)), AppError))
      .toMatchObject({ code: 'sale.qr_fn_mismatch', message: expect.stringMatching(/^Время в QR-коде .* пробит /) });
    expect(await rejectionOf(finder.search(qrOf(fn, { ...sale, fiscalSign: '12345' }, SUM)), AppError))
      .toMatchObject({ code: 'sale.qr_fn_mismatch', message: expect.stringContaining('Фискальный признак в QR-коде (12345)') });
    expect(await rejectionOf(finder.search(qrOf(fn, { ...sale, number: refund.number + 5 }, SUM)), AppError))
      .toMatchObject({ code: 'sale.qr_fn_mismatch', message: expect.stringContaining(`не найден в фискальном накопителе этой кассы (в нём ${refund.number} документов)`) });
  });

  it('a QR that says "sale" but names a refund receipt or a shift report in this ФН is refused', async () => {
    expect(await rejectionOf(finder.search(qrOf(fn, refund, SUM, 1)), AppError))
      .toMatchObject({ code: 'sale.qr_not_a_sale', message: expect.stringContaining('чек возврата, а не продажи') });
    const shift = await driver.findDocument(1);
    expect(shift.type).toBe('openShift');
    expect(await rejectionOf(finder.search(qrOf(fn, shift, SUM)), AppError))
      .toMatchObject({ code: 'sale.qr_not_a_sale', message: expect.stringContaining('не кассовый чек, а отчёт') });
  });

  it('confirmed by the ФН but in no back end: says the receipt is this till\'s and where to look instead', async () => {
    lifepay.state.transactions.splice(0);
    expect(await rejectionOf(finder.search(qrOf(fn, sale, SUM)), AppError))
      .toMatchObject({ code: 'sale.not_found', message: expect.stringContaining('пробит на этой кассе (он есть в её фискальном накопителе), но продажи к нему нет') });
  });

  it('a printer that is off is not waited for: the search goes on without the ФН and says so in the log', async () => {
    printerState = 'offline';
    expect((await finder.search(qrOf(fn, sale, SUM))).kind).toBe('choices');
    expect(warnings).toContain('own fiscal drive not asked about a receipt QR');
  });
});
