import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRegosEmulator, type RegosEmulator } from '../../../emulators/regos/server';
import { startLifePayEmulator, type LifePayEmulator } from '../../../emulators/lifepay/server';
import { RegosClient } from '../../backends/regos/regosClient';
import { LifePayClient } from '../../backends/lifepay/lifePayClient';
import { loggerOver } from '../../log/logger';
import { openDatabase, type Database } from '../../queue/database';
import { RefundStore } from '../refundStore';
import { SaleFinder } from '../saleFinder';
import { lifePaySource } from '../saleSources';
import { SeenSales } from '../seenSales';
import { regosSaleSource } from './regosSaleSource';
import { rejectionOf } from '../../../test/support/caughtAppError';
import { AppError } from '../../appError';

/**
 * The sale search against the real REGOS and LIFE PAY emulators over HTTP and a real SQLite file: the REGOS
 * lookup a real store uses (no training records), the pick list, and a back end that is down.
 */
describe('sale search with real back ends (issue 13)', () => {
  let dir: string;
  let db: Database;
  let regos: RegosEmulator;
  let lifepay: LifePayEmulator;
  let finder: SaleFinder;
  const warnings: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sale-search-'));
    db = openDatabase(join(dir, 'till.sqlite'));
    regos = await startRegosEmulator();
    lifepay = await startLifePayEmulator();
    const regosClient = new RegosClient({ baseUrl: regos.url, login: regos.login, password: regos.password, timeoutMs: 2000 });
    const lifePayClient = new LifePayClient({ baseUrl: lifepay.url, login: lifepay.login, apiKey: lifepay.apiKey, timeoutMs: 2000 });
    const log = loggerOver((level, _fields, message) => level === 'warn' && warnings.push(message), () => undefined);
    finder = new SaleFinder(() => [lifePaySource(() => lifePayClient), regosSaleSource(() => regosClient, () => 'Asia/Tashkent')], new SeenSales(db), new RefundStore(db), log);
  });
  afterEach(async () => {
    await regos.close();
    await lifepay.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const saleQr = () => {
    const sale = regos.state.receipts.find((r) => r.code === 'demo-sale-0001');
    if (!sale?.QRCodeURL) throw new Error('no demo sale');
    return sale;
  };

  it('a REGOS receipt QR finds the sale in VCR: fiscal data for refund_info, no lines (VCR keeps none)', async () => {
    const receipt = saleQr();
    const found = await finder.search(receipt.QRCodeURL ?? '');
    expect(found.kind).toBe('sale');
    if (found.kind !== 'sale') return;
    expect(found.sale).toMatchObject({
      ref: { source: 'regos', id: receipt.id }, number: receipt.ReceiptNo, currency: 'UZS', totalMinor: receipt.Amount, lines: [],
      fiscal: { qrCodeUrl: receipt.QRCodeURL, terminalId: receipt.TerminalID, documentNumber: receipt.ReceiptNo, fiscalSign: receipt.FiscalSign },
    });
    // Opened again by its ref, the sale comes from this till's record, not VCR (which answers no lines).
    expect((await finder.get(found.sale.ref)).fiscal?.qrCodeUrl).toBe(receipt.QRCodeURL);
  });

  it('the cashier enters the lines from the paper receipt: checked against its total, never twice', async () => {
    const receipt = saleQr();
    const found = await finder.search(receipt.QRCodeURL ?? '');
    if (found.kind !== 'sale') throw new Error('not found');
    const coke = { name: 'Coca-Cola 1 л', icps: '02202002001010036', quantityMilli: 1000, amountMinor: 900_000, vat: 'vat12' as const };
    // Demo sale 0001 is 22 000 sum: three bottles (27 000) cannot be on it.
    expect(() => finder.enterLines(found.sale.ref, [{ ...coke, quantityMilli: 3000, amountMinor: 2_700_000 }], 'cash'))
      .toThrow(expect.objectContaining({ code: 'sale.lines_over_total', message: expect.stringContaining('27\u00a0000 сум больше суммы чека 22\u00a0000 сум') }));
    const sale = finder.enterLines(found.sale.ref, [coke], 'cash');
    expect(sale.lines).toEqual([expect.objectContaining({ name: 'Coca-Cola 1 л', quantityMilli: 1000, amountMinor: 900_000, priceMinor: 900_000, refundableMilli: 1000, vat: 'vat12', extra: { icps: '02202002001010036' } })]);
    expect(sale.payments).toEqual([expect.objectContaining({ kind: 'cash', amountMinor: receipt.Amount })]);
    expect(sale.fiscal?.qrCodeUrl).toBe(receipt.QRCodeURL);
    // The record is the sale now: found again by its QR, with the entered line; entering again is refused.
    expect(await finder.search(receipt.QRCodeURL ?? '')).toMatchObject({ kind: 'sale', sale: { lines: [expect.objectContaining({ name: 'Coca-Cola 1 л' })] } });
    expect(() => finder.enterLines(found.sale.ref, [coke], 'cash')).toThrow(expect.objectContaining({ code: 'sale.lines_known' }));
  });

  it('a REGOS receipt number finds the same receipt', async () => {
    const receipt = saleQr();
    const found = await finder.search(receipt.ReceiptNo ?? '');
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { source: 'regos', id: receipt.id } } });
  });

  it('a QR of another VCR is not found, and says so in words', async () => {
    const other = (saleQr().QRCodeURL ?? '').replace(/&s=\d+/, '&s=123456789012');
    const e = await rejectionOf(finder.search(other), AppError);
    expect(e.code).toBe('sale.not_found');
    expect(e.message).toContain('VCR этой кассы находит только свои чеки');
  });

  it('VCR down: the search says what happened, and a sale seen before is still found', async () => {
    const receipt = saleQr();
    await finder.search(receipt.QRCodeURL ?? '');
    await regos.close();
    const again = await finder.search(receipt.QRCodeURL ?? '');
    expect(again).toMatchObject({ kind: 'sale', sale: { ref: { source: 'regos', id: receipt.id } } });
    const e = await rejectionOf(finder.search('999'), AppError);
    expect(e.message).toMatch(/^Продажа «999» не найдена\. .*REGOS/);
    expect(warnings).toContain('sale lookup failed');
    regos = await startRegosEmulator();
  });

  it('LIFE PAY asks to wait (429): a sale read moments ago stands with this till\'s refunds on top, an older one does not, and the search says when to try again', async () => {
    let clock = Date.now();
    const seen = new SeenSales(db, () => clock);
    const store = new RefundStore(db, () => clock);
    const client = new LifePayClient({ baseUrl: lifepay.url, login: lifepay.login, apiKey: lifepay.apiKey, timeoutMs: 2000, now: () => clock });
    const log = loggerOver(() => undefined, () => undefined);
    const limited = new SaleFinder(() => [lifePaySource(() => client)], seen, store, log, undefined, () => clock);
    const opened = await limited.find('30452');
    const [line] = opened.lines;
    const [paid] = opened.payments;
    if (!line || !paid) throw new Error('demo payment 30452 has a line and a payment');
    // This till refunds it; LIFE PAY never hears of refunds (seed 001), so only the local record counts it.
    store.insertConfirmed({
      id: 'refund-30452', sale: opened.ref, saleNumber: opened.number, currency: 'RUB', totalMinor: line.amountMinor,
      lines: [{ lineId: line.lineId, name: line.name, quantityMilli: line.quantityMilli, amountMinor: line.amountMinor, vat: line.vat ?? 'none', paymentMethod: line.paymentMethod, itemSign: line.itemSign }],
      tenders: [{ paymentPartId: paid.paymentPartId, kind: 'cash', amountMinor: line.amountMinor, needsCard: false }],
    });
    lifepay.faults.rateLimitNext(1, 120);
    clock += 10_000;
    const cached = await limited.get(opened.ref);
    expect(cached.remainderFromLocalOnly).toBe(false);
    expect(cached.lines[0]).toMatchObject({ refundedMilli: line.quantityMilli, refundableMilli: 0 });
    expect(lifepay.requests).toHaveLength(2);
    // 61 s after it was read the record is no longer fresh: the cashier is told when LIFE PAY answers again.
    clock += 51_000;
    await expect(limited.get(opened.ref)).rejects.toMatchObject({ code: 'lifepay.rate_limited', message: expect.stringContaining('повторите через 69 с') });
    await expect(limited.search('30452')).rejects.toMatchObject({ code: 'lifepay.rate_limited', message: expect.stringContaining('повторите через 69 с') });
    const unknown = await rejectionOf(limited.search('30999'), AppError);
    expect(unknown.message).toMatch(/^Продажа «30999» не найдена\. LIFE PAY попросил подождать: повторите через 69 с\.$/);
    // Nothing more was sent during the pause.
    expect(lifepay.requests).toHaveLength(2);
  });

  it('a LIFE PAY number opens its payment with spaces or a leading zero; a series letter it does not have finds nothing', async () => {
    expect(await finder.search(' 30 452 ')).toMatchObject({ kind: 'sale', sale: { number: '30452' } });
    expect(await finder.search('030452')).toMatchObject({ kind: 'sale', sale: { number: '30452' } });
    await expect(finder.find('А-30452')).rejects.toMatchObject({ code: 'sale.not_found' });
  });
});
