import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRegosEmulator, type RegosEmulator } from '../../../emulators/regos/server';
import { RegosClient } from '../../backends/regos/regosClient';
import { loggerOver } from '../../log/logger';
import { openDatabase, type Database } from '../../queue/database';
import { RefundStore } from '../refundStore';
import { SaleFinder } from '../saleFinder';
import type { SaleSource } from '../saleSources';
import { SeenSales } from '../seenSales';
import { regosSaleSource } from './regosSaleSource';

/**
 * The REGOS sale source against the VCR emulator over HTTP (issue 11 point 7): the receipt number as the
 * cashier types it, the fiscal data kept for refund_info, and which questions go to VCR at all.
 */
describe('REGOS sales through Receipt.GetInfo', () => {
  let dir: string;
  let db: Database;
  let regos: RegosEmulator;
  let source: SaleSource;
  let finder: SaleFinder;
  const signal = () => AbortSignal.timeout(2000);
  const asked = () => regos.requests.filter((r) => r.rpcMethod === 'Receipt.GetInfo').length;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regos-source-'));
    db = openDatabase(join(dir, 'till.sqlite'));
    regos = await startRegosEmulator();
    const client = new RegosClient({ baseUrl: regos.url, login: regos.login, password: regos.password, timeoutMs: 2000 });
    source = regosSaleSource(() => client, () => 'Asia/Tashkent');
    finder = new SaleFinder(() => [source], new SeenSales(db), new RefundStore(db), loggerOver(() => undefined, () => undefined));
  });
  afterEach(async () => {
    await regos.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const demoSale = () => {
    const sale = regos.state.receipts.find((r) => r.code === 'demo-sale-0001');
    if (!sale?.ReceiptNo || !sale.QRCodeURL) throw new Error('no demo sale');
    return { ...sale, ReceiptNo: sale.ReceiptNo, QRCodeURL: sale.QRCodeURL };
  };

  it('a receipt number typed with spaces and leading zeros finds the receipt, with all its fiscal data for refund_info', async () => {
    const receipt = demoSale();
    const found = await source.find(`  00${receipt.ReceiptNo} `, signal());
    expect(found.map((f) => f.sale.fiscal)).toEqual([{
      documentNumber: receipt.ReceiptNo, fiscalSign: receipt.FiscalSign, dateTime: receipt.DateTime, terminalId: receipt.TerminalID, qrCodeUrl: receipt.QRCodeURL,
    }]);
    expect(found[0]?.sale.ref).toEqual({ source: 'regos', id: receipt.id });
  });

  it('a Russian receipt QR is not a question for VCR', async () => {
    const before = asked();
    const ruQr = { kind: 'ruFiscal', dateTime: '2026-03-05T14:07', totalMinor: 45_000, fn: '9999078900001234', fd: '42', fp: '3522207165', operation: 1 } as const;
    expect(await source.byFiscalQr(ruQr, signal())).toEqual([]);
    expect(asked()).toBe(before);
  });

  it('a sale this till never recorded is opened from VCR by its id; an unknown id is no sale', async () => {
    const receipt = demoSale();
    expect(await finder.get({ source: 'regos', id: receipt.id })).toMatchObject({ ref: { source: 'regos', id: receipt.id }, number: receipt.ReceiptNo, totalMinor: receipt.Amount, fiscal: { qrCodeUrl: receipt.QRCodeURL } });
    expect(await source.get('no-such-receipt', signal())).toBeNull();
  });

  it('VCR lists no receipts by day', async () => {
    expect(await source.onDay('2026-03-05', signal())).toEqual([]);
  });
});
