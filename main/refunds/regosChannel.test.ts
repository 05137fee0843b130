import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, isAppError } from '../appError';
import { loggerOver } from '../log/logger';
import { openDatabase } from '../queue/database';
import { Outbox } from '../queue/outbox';
import { PrinterConnection } from '../fiscal/printerConnection';
import { RegosClient } from '../backends/regos/regosClient';
import { RegosRefundParams } from '../backends/regos/schemas';
import type { Connectivity, Refund, RefundLineRequest, RefundState, Sale } from '../../preload/contract';
import { REGOS_DEMO_LOGIN, REGOS_DEMO_PASSWORD, startRegosEmulator, type RegosEmulator } from '../../emulators/regos/server';
import { regosSale, regosSaleParams } from '../../test/integration/refunds/fixtures';
import { RefundSaga } from './refundSaga';
import { RefundStore } from './refundStore';
import { SaleFinder } from './saleFinder';
import { SeenSales } from './seenSales';
import { REGOS_WAITS } from './regosChannel';

/**
 * The REGOS channel of the saga (issue 11 point 2), fast: the real saga and store over a SQLite temp file,
 * the real REGOS client over HTTP on 127.0.0.1 to the VCR emulator, whose receipt list is the judge (one
 * refund receipt per code, or none). Recovery passes are run by the test, as the app's timer runs them.
 */
interface Rig {
  vcr: RegosEmulator;
  saga: RefundSaga;
  store: RefundStore;
  seen: SeenSales;
  sale: Sale;
  progress: Array<{ id: string; state: RefundState; message: string }>;
  /** What the saga gets from `regos()` and `regosReachable()`; a test switches them (`asked` runs on each live check). */
  link: { client: RegosClient | null; reachable: Connectivity; asked?: () => void };
  /** The refund log as support reads it: level, message and fields of every line. */
  logs: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CODE = 'till-sale-0001';

async function startVcr(uniqueCodeCheck = true): Promise<RegosEmulator> {
  const vcr = await startRegosEmulator({ seed: [], uniqueCodeCheck });
  cleanups.push(() => vcr.close());
  return vcr;
}

async function rig(vcr: RegosEmulator): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'regos-saga-'));
  const db = openDatabase(join(dir, 'cashier.db'));
  const logs: Rig['logs'] = [];
  const log = loggerOver((level, fields, message) => logs.push({ level, message, fields }), () => undefined);
  const store = new RefundStore(db);
  const seen = new SeenSales(db);
  const client = new RegosClient({ baseUrl: vcr.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD, timeoutMs: 2_000 });
  const params = regosSaleParams(CODE, [
    { name: 'Coca-Cola 1 л', priceTiyin: 900_000, quantityMilli: 3000 },
    { name: 'Нон (лепёшка)', priceTiyin: 400_000, quantityMilli: 2000 },
  ]);
  const sold = vcr.state.receipts.some((x) => x.code === CODE) ? null : await client.sale(params);
  const sale = regosSale(CODE, params, { ReceiptNo: sold?.ReceiptNo ?? '1', FiscalSign: sold?.FiscalSign ?? null, DateTime: sold?.DateTime ?? '2026-12-01 10:00:00', QRCodeURL: null, TerminalID: null });
  seen.remember({ sale, knownToServer: new Set() });
  const link: Rig['link'] = { client, reachable: 'online' };
  const progress: Rig['progress'] = [];
  const printer = new PrinterConnection(() => Promise.reject(new AppError({ code: 'FISCAL_NOT_CONFIGURED', message: 'Принтер не настроен', retry: 'transient' })), log);
  const saga = new RefundSaga({
    db, store, outbox: new Outbox(db), printer, log,
    finder: new SaleFinder(() => [], seen, store, log),
    regos: () => link.client,
    regosReachable: () => {
      const now = link.reachable;
      link.asked?.();
      return Promise.resolve(now);
    },
    lifeposOnline: () => 'offline',
    cashierName: () => 'Каримова Д.',
    regosVatMode: () => 'ratePercentTimes100',
    progress: (id, state, message) => progress.push({ id, state, message }),
  });
  cleanups.push(async () => {
    await saga.idle();
    await printer.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { vcr, saga, store, seen, sale, progress, link, logs };
}

const ONE_BOTTLE = [{ lineId: `${CODE}:0`, quantityMilli: 1000 }];
const confirm = (r: Rig, id: string): Promise<Refund> => r.saga.confirm({ refundId: id, sale: r.sale.ref, lines: ONE_BOTTLE, cardRrns: {} });
const refundsIn = (vcr: RegosEmulator) => vcr.state.receipts.filter((x) => x.kind === 'refund').map((x) => x.code);
const refundCalls = (vcr: RegosEmulator) => vcr.requests.filter((q) => q.rpcMethod === 'Receipt.Refund').length;
/** Whether all three bottles are refundable (a failed refund gave nothing back; a pending one holds its bottle). */
const refundable = async (r: Rig): Promise<boolean> => r.saga.preview(r.sale.ref, [{ lineId: `${CODE}:0`, quantityMilli: 3000 }]).then(() => true, () => false);

describe('REGOS channel', () => {
  it('registered by VCR: synced with its receipt number and fiscal sign; VCR prints, so the preview says so', async () => {
    const r = await rig(await startVcr());
    expect((await r.saga.preview(r.sale.ref, ONE_BOTTLE)).notices).toContainEqual({ text: 'Чек возврата напечатает REGOS VCR.' });
    const refund = await confirm(r, 'g-1');
    const stored = r.vcr.state.receipts.find((x) => x.kind === 'refund');
    expect(refund).toMatchObject({ state: 'synced', fiscal: { number: Number(stored?.ReceiptNo), receiptNo: stored?.ReceiptNo, fiscalSign: stored?.FiscalSign, qrCodeUrl: stored?.QRCodeURL } });
    expect(refund.fiscal?.dateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(r.progress.map((p) => [p.state, p.message])).toEqual([
      ['fiscalizing', 'REGOS VCR печатает чек возврата…'], ['synced', `REGOS зарегистрировал чек № ${stored?.ReceiptNo}`],
    ]);
    expect(refundsIn(r.vcr)).toEqual(['g-1']);
  });

  it('a REGOS refund does not wait on this till\'s printer: a printer refund left waiting is not touched by it, only by the printer\'s own recovery', async () => {
    const r = await rig(await startVcr());
    // A LIFE POS refund the printer has not printed yet (its sale readable); this rig's printer never answers.
    const shop: Sale = { ...r.sale, ref: { source: 'lifepos', id: 'shop-sale' }, currency: 'RUB', lines: r.sale.lines.map((l) => ({ ...l, lineId: `shop-${l.lineId}`, vat: 'vat20' as const })) };
    r.seen.remember({ sale: shop, knownToServer: new Set() });
    const line = shop.lines[0];
    if (!line) throw new Error('the sale has no lines');
    r.store.insertConfirmed({
      id: 'p-waiting', sale: shop.ref, saleNumber: shop.number, currency: 'RUB', totalMinor: line.priceMinor,
      lines: [{ lineId: line.lineId, name: line.name, quantityMilli: 1_000, amountMinor: line.priceMinor, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
      tenders: [{ paymentPartId: shop.payments[0]?.paymentPartId ?? '', kind: 'cash', amountMinor: line.priceMinor, needsCard: false }],
    });
    const untouched = r.store.require('p-waiting');
    const about = (id: string) => [...r.progress.filter((p) => p.id === id), ...r.logs.filter((l) => l.fields.refundId === id)];
    expect(await confirm(r, 'g-not-printer')).toMatchObject({ state: 'synced' });
    expect(about('p-waiting')).toEqual([]);
    expect(r.store.require('p-waiting')).toEqual(untouched);
    // The printer's own recovery is what tries it (and, the printer not answering, says so).
    await r.saga.recoverPending();
    expect(about('p-waiting')).not.toEqual([]);
  });

  it('support\'s counter of sends: a REGOS refund sent once to VCR is stored with one print attempt', async () => {
    const r = await rig(await startVcr());
    expect(await confirm(r, 'g-counted')).toMatchObject({ state: 'synced' });
    expect(refundCalls(r.vcr)).toBe(1);
    expect(r.store.require('g-counted').printAttempts).toBe(1);
  });

  it('a copy of a REGOS refund receipt is refused with the word that VCR prints it, not sent to this till\'s printer', async () => {
    const r = await rig(await startVcr());
    await confirm(r, 'g-copy');
    const e = await r.saga.reprint('g-copy').catch((x: unknown) => x);
    expect(isAppError(e) && { code: e.code, message: e.message }).toEqual({ code: 'refund.regos_copy', message: expect.stringMatching(/REGOS VCR/) });
  });

  it('VCR unreachable or not configured: refused before anything is stored', async () => {
    const r = await rig(await startVcr());
    r.link.reachable = 'offline';
    const e = await confirm(r, 'g-off').catch((x: unknown) => x);
    // Refused for good: the cashier checks the link to VCR first; the message names VCR.
    expect(isAppError(e) && { code: e.code, retry: e.retry }).toEqual({ code: 'regos.offline', retry: 'permanent' });
    expect(isAppError(e) && e.message).toMatch(/VCR/);
    const client = r.link.client;
    r.link.client = null;
    r.link.reachable = 'online';
    const none = await confirm(r, 'g-none').catch((x: unknown) => x);
    expect(isAppError(none) && none.code).toBe('regos.offline');
    expect(r.store.get('g-off')).toBe(null);
    expect(r.store.get('g-none')).toBe(null);
    r.link.client = client;
    expect(refundsIn(r.vcr)).toEqual([]);
    expect(refundCalls(r.vcr)).toBe(0);
  });

  it('VCR answers HTTP 500: nothing registered, failed with "repeat it", the bottle refundable again', async () => {
    const r = await rig(await startVcr());
    r.vcr.faults.failNext(1, { status: 500, match: { rpcMethod: 'Receipt.Refund' } });
    expect(await confirm(r, 'g-500')).toMatchObject({ state: 'failed', reason: expect.stringMatching(/возврат не оформлен\. Повторите/) });
    expect(await refundable(r)).toBe(true);
    expect(refundsIn(r.vcr)).toEqual([]);
  });

  it('a line VCR cannot take (a VAT rate REGOS has no code for): failed before anything is sent', async () => {
    const r = await rig(await startVcr());
    const id = 'till-sale-vat20';
    const foreign: Sale = { ...r.sale, ref: { source: 'regos', id }, lines: r.sale.lines.map((l) => ({ ...l, lineId: l.lineId.replace(CODE, id), vat: 'vat20' as const })) };
    r.seen.remember({ sale: foreign, knownToServer: new Set() });
    const refund = await r.saga.confirm({ refundId: 'g-vat', sale: foreign.ref, lines: [{ lineId: `${id}:0`, quantityMilli: 1000 }], cardRrns: {} });
    expect(refund).toMatchObject({ state: 'failed', reason: expect.stringMatching(/ставка НДС не подходит для чека REGOS/) });
    expect(refundCalls(r.vcr)).toBe(0);
  });

  describe('a marked line goes to VCR as one position per piece; VCR takes at most 150 a receipt (BACKENDS.md "Limits")', () => {
    /** A VCR sale of two marked lines of `pieces` each, every piece with its own code (REGOS label). */
    async function markedSale(r: Rig, code: string, pieces: number): Promise<{ sale: Sale; lines: RefundLineRequest[] }> {
      const client = r.link.client;
      if (!client) throw new Error('no REGOS client');
      const params = regosSaleParams(code, [
        { name: 'Сигареты «Ташкент»', priceTiyin: 1_500_000, quantityMilli: pieces * 1000 },
        { name: 'Сигареты «Самарканд»', priceTiyin: 1_700_000, quantityMilli: pieces * 1000 },
      ]);
      const sold = await client.sale(params);
      const plain = regosSale(code, params, { ReceiptNo: sold.ReceiptNo, FiscalSign: sold.FiscalSign, DateTime: sold.DateTime, QRCodeURL: null, TerminalID: null });
      const codesOf = (line: number) => Array.from({ length: pieces }, (_, i) => `MARK${line}X${String(i).padStart(4, '0')}`);
      const sale: Sale = { ...plain, lines: plain.lines.map((l, i) => ({ ...l, marking: { codes: codesOf(i) } })) };
      r.seen.remember({ sale, knownToServer: new Set() });
      return { sale, lines: sale.lines.map((l, i) => ({ lineId: l.lineId, quantityMilli: l.quantityMilli, markingCodes: codesOf(i) })) };
    }

    it('2 × 80 pieces (160 positions): refused at preview and at confirm, in words naming the limit and "in parts"; nothing stored, nothing sent', async () => {
      const r = await rig(await startVcr());
      const { sale, lines } = await markedSale(r, 'till-sale-marked-160', 80);
      const previewed = await r.saga.preview(sale.ref, lines).catch((x: unknown) => x);
      expect(isAppError(previewed) && previewed.code).toBe('refund.regos_too_many_positions');
      const e = await r.saga.confirm({ refundId: 'g-160', sale: sale.ref, lines, cardRrns: {} }).catch((x: unknown) => x);
      expect(isAppError(e) && { code: e.code, retry: e.retry, detail: e.detail }).toEqual({ code: 'refund.regos_too_many_positions', retry: 'permanent', detail: '160 positions > 150' });
      expect(isAppError(e) && e.message).toMatch(/160 позиций.*не более 150.*Оформите возврат частями/);
      expect(r.store.get('g-160')).toBe(null);
      expect(refundCalls(r.vcr)).toBe(0);
      // In parts, as the message says: one line (80 positions) goes through and is registered once.
      const part = await r.saga.confirm({ refundId: 'g-80', sale: sale.ref, lines: lines.slice(0, 1), cardRrns: {} });
      expect(part.state).toBe('synced');
      expect(refundsIn(r.vcr)).toEqual(['g-80']);
    });

    it('2 × 75 pieces (150 positions, the limit itself): registered by VCR once, as 150 positions', async () => {
      const r = await rig(await startVcr());
      const { sale, lines } = await markedSale(r, 'till-sale-marked-150', 75);
      const refund = await r.saga.confirm({ refundId: 'g-150', sale: sale.ref, lines, cardRrns: {} });
      expect(refund.state).toBe('synced');
      expect(refundsIn(r.vcr)).toEqual(['g-150']);
      expect(r.vcr.state.receipts.filter((x) => x.kind === 'refund').map((x) => RegosRefundParams.parse(x.params).positions.length)).toEqual([150]);
      expect(refundCalls(r.vcr)).toBe(1);
    });
  });

  for (const uniqueCodeCheck of [true, false]) {
    const check = uniqueCodeCheck ? 'duplicate-code check on' : 'duplicate-code check off';

    it(`${check}: answer lost, GetInfo finds it by code: synced, one Receipt.Refund`, async () => {
      const r = await rig(await startVcr(uniqueCodeCheck));
      r.vcr.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
      expect((await confirm(r, 'g-lost')).state).toBe('synced');
      expect(refundsIn(r.vcr)).toEqual(['g-lost']);
      expect(refundCalls(r.vcr)).toBe(1);
    });

    it(`${check}: request dropped before VCR saw it: GetInfo says "not registered", one resend registers it once`, async () => {
      const r = await rig(await startVcr(uniqueCodeCheck));
      r.vcr.faults.dropNext(1, { rpcMethod: 'Receipt.Refund' });
      expect((await confirm(r, 'g-drop')).state).toBe('synced');
      expect(refundsIn(r.vcr)).toEqual(['g-drop']);
      expect(refundCalls(r.vcr)).toBe(2);
    });

    it(`${check}: dropped twice: one resend only, then it waits (never a third send at the counter)`, async () => {
      const r = await rig(await startVcr(uniqueCodeCheck));
      r.vcr.faults.dropNext(2, { rpcMethod: 'Receipt.Refund' });
      expect(await confirm(r, 'g-drop2')).toMatchObject({ state: 'fiscalizing', reason: REGOS_WAITS });
      expect(refundCalls(r.vcr)).toBe(2);
      // The background pass hears "not registered": not done, never sent again without the cashier.
      await r.saga.recoverPending();
      expect(r.store.require('g-drop2')).toMatchObject({ state: 'failed', reason: expect.stringMatching(/не зарегистрирован/) });
      expect(refundCalls(r.vcr)).toBe(2);
      expect(refundsIn(r.vcr)).toEqual([]);
      expect(await refundable(r)).toBe(true);
    });

    it(`${check}: dropped twice, then "Повторить" at the counter: GetInfo says "not registered", one more send registers it once`, async () => {
      const r = await rig(await startVcr(uniqueCodeCheck));
      r.vcr.faults.dropNext(2, { rpcMethod: 'Receipt.Refund' });
      expect((await confirm(r, 'g-retry')).state).toBe('fiscalizing');
      expect(await confirm(r, 'g-retry')).toMatchObject({ state: 'synced' });
      expect(refundCalls(r.vcr)).toBe(3);
      expect(refundsIn(r.vcr)).toEqual(['g-retry']);
    });

    it(`${check}: answer lost and GetInfo fails: no resend; it waits (said once), "Повторить" asks again, and the answer settles it`, async () => {
      const r = await rig(await startVcr(uniqueCodeCheck));
      r.vcr.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
      r.vcr.faults.dropNext(2, { rpcMethod: 'Receipt.GetInfo' });
      expect(await confirm(r, 'g-wait')).toMatchObject({ state: 'fiscalizing', reason: REGOS_WAITS });
      expect(await refundable(r)).toBe(false);
      expect(isAppError(await Promise.resolve().then(() => r.saga.cancel('g-wait')).catch((x: unknown) => x))).toBe(true);
      expect((await confirm(r, 'g-wait')).state).toBe('fiscalizing');
      expect(r.progress.filter((p) => p.message === REGOS_WAITS)).toHaveLength(1);
      expect(refundCalls(r.vcr)).toBe(1);
      await r.saga.recoverPending();
      expect(r.store.require('g-wait')).toMatchObject({ state: 'synced', recovered: 'background' });
      expect(refundsIn(r.vcr)).toEqual(['g-wait']);
      expect(refundCalls(r.vcr)).toBe(1);
    });
  }

  it('REGOS client gone after the refund was recorded (settings changed): it waits, nothing sent, and the next pass with VCR back settles it', async () => {
    const r = await rig(await startVcr());
    const client = r.link.client;
    r.vcr.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
    r.vcr.faults.dropNext(1, { rpcMethod: 'Receipt.GetInfo' });
    await confirm(r, 'g-gone');
    r.link.client = null;
    await r.saga.recoverPending();
    expect(r.store.require('g-gone').state).toBe('fiscalizing');
    r.link.client = client;
    await r.saga.recoverPending();
    expect(r.store.require('g-gone').state).toBe('synced');
    expect(refundsIn(r.vcr)).toEqual(['g-gone']);
  });

  it('VCR refuses for good (no open shift, 704010): failed with VCR\'s own reason (open the shift), not "repeat in a minute"; the bottle refundable again', async () => {
    const r = await rig(await startVcr());
    r.vcr.failFiscalWith(704010);
    const refund = await confirm(r, 'g-shift');
    expect(refund).toMatchObject({ state: 'failed', reason: expect.stringMatching(/Откройте смену/) });
    expect(refund.reason).not.toMatch(/через минуту/);
    expect(refundsIn(r.vcr)).toEqual([]);
    expect(await refundable(r)).toBe(true);
  });

  it('REGOS switched off in the settings while the refund was being confirmed: it waits, nothing sent; "Повторить" with VCR back asks GetInfo and sends once', async () => {
    const r = await rig(await startVcr());
    const client = r.link.client;
    // The live check answers "online", and the settings change lands right after it.
    r.link.asked = () => {
      r.link.client = null;
      r.link.asked = undefined;
    };
    expect(await confirm(r, 'g-switched')).toMatchObject({ state: 'fiscalizing', reason: REGOS_WAITS });
    expect(r.vcr.requests).toHaveLength(1);
    r.link.client = client;
    expect(await confirm(r, 'g-switched')).toMatchObject({ state: 'synced' });
    expect(refundsIn(r.vcr)).toEqual(['g-switched']);
    expect(refundCalls(r.vcr)).toBe(1);
  });

  // Seed 002 gives Receipt.GetInfo's ReceiptNo, FiscalSign and QRCodeURL as strings that may be absent.
  for (const [what, held, fiscal] of [
    ['a number too long for a safe integer, no fiscal sign, no QR', { ReceiptNo: '12345678901234567', FiscalSign: null, QRCodeURL: null }, { number: 0, receiptNo: '12345678901234567' }],
    ['no number at all', { ReceiptNo: null }, { number: 0 }],
  ] as const) {
    it(`VCR holds the receipt with ${what}: synced with what VCR said, nothing made up`, async () => {
      const r = await rig(await startVcr());
      r.vcr.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
      r.vcr.faults.dropNext(1, { rpcMethod: 'Receipt.GetInfo' });
      expect((await confirm(r, 'g-form')).state).toBe('fiscalizing');
      const receipt = r.vcr.state.receipts.find((x) => x.code === 'g-form');
      if (!receipt) throw new Error('VCR did not register g-form');
      Object.assign(receipt, held);
      await r.saga.recoverPending();
      const settled = r.store.require('g-form');
      expect(settled.state).toBe('synced');
      expect(settled.fiscal).toEqual({ ...fiscal, fiscalSign: receipt.FiscalSign ?? '', dateTime: receipt.DateTime.replace(' ', 'T'), ...(receipt.QRCodeURL ? { qrCodeUrl: receipt.QRCodeURL } : {}) });
      expect(r.progress.at(-1)?.message.trimEnd()).toBe(`REGOS зарегистрировал чек № ${held.ReceiptNo ?? ''}`.trimEnd());
      expect(refundCalls(r.vcr)).toBe(1);
    });
  }

  it('the refund\'s log tells support its story: the send, the lost answer and the step taken, the unanswered GetInfo, the registration', async () => {
    const r = await rig(await startVcr());
    r.vcr.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
    r.vcr.faults.dropNext(1, { rpcMethod: 'Receipt.GetInfo' });
    await confirm(r, 'g-story');
    await r.saga.recoverPending();
    const stored = r.vcr.state.receipts.find((x) => x.code === 'g-story');
    const story = r.logs.filter((l) => l.fields.refundId === 'g-story' && /REGOS/.test(l.message));
    expect(story).toEqual([
      { level: 'info', message: 'sending REGOS Receipt.Refund', fields: { refundId: 'g-story', code: 'g-story', totalMinor: r.store.require('g-story').totalMinor } },
      { level: 'warn', message: 'REGOS Receipt.Refund failed', fields: { refundId: 'g-story', code: expect.stringMatching(/^regos\./), retry: 'unknown-outcome', step: 'lookup' } },
      { level: 'warn', message: 'REGOS Receipt.GetInfo failed; the refund waits', fields: { refundId: 'g-story', code: expect.stringMatching(/^regos\./), by: 'counter' } },
      { level: 'info', message: 'REGOS refund registered', fields: { refundId: 'g-story', receiptNo: stored?.ReceiptNo, fiscalSign: stored?.FiscalSign, by: 'recovery' } },
    ]);
  });

  it('the refund\'s log tells support what was confirmed (sale, money, lines, receipts, tenders) and that a later ask was the cashier\'s "Повторить"', async () => {
    const r = await rig(await startVcr());
    r.vcr.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
    r.vcr.faults.dropNext(2, { rpcMethod: 'Receipt.GetInfo' });
    await confirm(r, 'g-said');
    await confirm(r, 'g-said');
    const stored = r.store.require('g-said');
    const lines = r.logs.filter((l) => l.fields.refundId === 'g-said');
    expect(lines.find((l) => l.message === 'refund confirmed')).toEqual({
      level: 'info', message: 'refund confirmed',
      fields: { refundId: 'g-said', sale: r.sale.ref, totalMinor: stored.totalMinor, lines: 1, receipts: 1, tenders: stored.tenders.map((t) => ({ kind: t.kind, amountMinor: t.amountMinor })) },
    });
    expect(lines.filter((l) => l.message === 'REGOS Receipt.GetInfo failed; the refund waits').map((l) => l.fields.by)).toEqual(['counter', 'retry']);
  });

  it('the log records a cashier\'s cancel of a refund waiting on the printer (this rig\'s printer never answers)', async () => {
    const r = await rig(await startVcr());
    const shop: Sale = { ...r.sale, ref: { source: 'local', id: 'shop-sale-cancel' }, currency: 'RUB', lines: r.sale.lines.map((l) => ({ ...l, lineId: `cancel-${l.lineId}`, vat: 'vat20' as const })) };
    r.seen.remember({ sale: shop, knownToServer: new Set() });
    const lineId = shop.lines[0]?.lineId ?? '';
    expect(await r.saga.confirm({ refundId: 'p-cancelled', sale: shop.ref, lines: [{ lineId, quantityMilli: 1_000 }], cardRrns: {} })).toMatchObject({ state: 'confirmed' });
    expect(r.saga.cancel('p-cancelled').state).toBe('failed');
    expect(r.logs.filter((l) => l.fields.refundId === 'p-cancelled' && l.message === 'refund cancelled by the cashier')).toHaveLength(1);
  });

  it('a fault in this program after VCR answered (not an error VCR gave): the refund is never failed; it waits, and the recheck finds it registered', async () => {
    const r = await rig(await startVcr());
    const client = r.link.client;
    /** The real client, with a bug of ours right after VCR's answer arrives. */
    class FaultAfterAnswer extends RegosClient {
      override async refund(params: RegosRefundParams): Promise<never> {
        await super.refund(params);
        throw new TypeError('a bug after the answer');
      }
    }
    r.link.client = new FaultAfterAnswer({ baseUrl: r.vcr.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD, timeoutMs: 2_000 });
    await expect(confirm(r, 'g-bug')).rejects.toThrow(TypeError);
    expect(r.store.require('g-bug').state).toBe('fiscalizing');
    expect(await refundable(r)).toBe(false);
    r.link.client = client;
    await r.saga.recoverPending();
    expect(r.store.require('g-bug').state).toBe('synced');
    expect(refundsIn(r.vcr)).toEqual(['g-bug']);
    expect(refundCalls(r.vcr)).toBe(1);
  });

  it('the database lost after VCR registered the refund: the same refund id again is VCR\'s duplicate, taken as registered, not a second receipt', async () => {
    const vcr = await startVcr(true);
    const first = await rig(vcr);
    await confirm(first, 'g-dup');
    const second = await rig(vcr);
    expect(await confirm(second, 'g-dup')).toMatchObject({ state: 'synced', fiscal: { receiptNo: vcr.state.receipts.find((x) => x.code === 'g-dup')?.ReceiptNo } });
    expect(refundsIn(vcr)).toEqual(['g-dup']);
  });
});
