import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { RegosClient } from '../../../main/backends/regos/regosClient';
import { INSTALMENT_WAITS } from '../../../main/instalments/instalmentService';
import { REGOS_DEMO_LOGIN, REGOS_DEMO_PASSWORD, type RegosEmulator } from '../../../emulators/regos/server';
import type { InstalmentPayInput, InstalmentTender, Sale } from '../../../preload/contract';
import { regosSale, regosSaleParams } from '../refunds/fixtures';
import { until } from '../refunds/testApp';
import { startWorld, type World } from '../refunds/world';

/**
 * Instalment part-payments through the real services (createServices) against the REGOS emulator with
 * VCR's duplicate-code check switched OFF (seed 003: "Проверка может быть отключена"): whatever keeps a
 * part-payment to one credit receipt here is the app's own exactly-once rule, never VCR's check. The
 * emulator's receipt list is the judge.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SALE_CODE = 'instalment-sale-0001';

async function sellTvOnInstalment(regos: RegosEmulator): Promise<Sale[]> {
  const client = new RegosClient({ baseUrl: regos.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD, timeoutMs: 3_000 });
  const params = regosSaleParams(SALE_CODE, [
    { name: 'Телевизор Artel 43"', priceTiyin: 389_000_000, quantityMilli: 1000 },
    { name: 'Кронштейн настенный', priceTiyin: 25_000_000, quantityMilli: 1000 },
  ]);
  const a = await client.sale(params);
  return [regosSale(SALE_CODE, params, { ReceiptNo: a.ReceiptNo, FiscalSign: a.FiscalSign, DateTime: a.DateTime, QRCodeURL: a.QRCodeURL, TerminalID: a.TerminalID })];
}

const start = () => startWorld({
  deals: [], regos: true, regosUniqueCodeCheck: false, regosSales: sellTvOnInstalment, app: { printerProbeMs: 60_000, pendingRecheckMs: 100 },
});
const credits = (w: World) => w.regos?.state.receipts.filter((r) => r.kind === 'credit') ?? [];
const calls = (w: World, method: string) => w.regos?.requests.filter((q) => q.rpcMethod === method) ?? [];
const CASH: InstalmentTender[] = [{ kind: 'cash', amountMinor: 50_000_000 }];

/** Reads the payment until it is no longer sending (the services' timer settles it), with a bound. */
async function settledState(w: World, id: string, boundMs = 10_000) {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const p = await w.app.handlers['instalments.get']({ id });
    if (p.state !== 'sending') return p;
    if (Date.now() > deadline) throw new Error(`instalment ${id} still sending after ${boundMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function pay(w: World, over: Partial<InstalmentPayInput> = {}) {
  return w.app.handlers['instalments.pay']({
    paymentId: randomUUID(), sale: { source: 'regos', id: SALE_CODE }, amountMinor: 50_000_000, tenders: CASH, phone: '998918935861', ...over,
  });
}

describe('instalment part-payments (REGOS Receipt.Credit)', () => {
  it('finds the sale by its code, takes a cash part: one credit receipt whose positions add up to the part, the phone on it', async () => {
    world = await start();
    const w = world;
    const found = await w.app.handlers['instalments.find']({ query: SALE_CODE });
    expect(found).toMatchObject({ sale: { ref: { source: 'regos', id: SALE_CODE } }, payments: [], creditedMinor: 0 });
    const p = await pay(w);
    expect(p).toMatchObject({ state: 'registered', amountMinor: 50_000_000, creditedToDateMinor: 50_000_000 });
    const [receipt, ...more] = credits(w);
    expect(more).toHaveLength(0);
    expect(p.vcrId).toBe(receipt?.id);
    const sent = receipt?.params as { code: string; phone: string; positions: { amount: number; name: string }[]; payments: { type: number; value: number }[] };
    expect(sent.code).toBe(p.id);
    expect(sent.phone).toBe('998918935861');
    expect(sent.positions.reduce((s, x) => s + x.amount, 0)).toBe(50_000_000);
    // The sale's goods, each with its share: 389 000 : 25 000 sum.
    expect(sent.positions.map((x) => x.amount)).toEqual([46_980_676, 3_019_324]);
    expect(sent.payments).toEqual([{ type: 1, value: 50_000_000 }]);
    const again = await w.app.handlers['instalments.find']({ query: SALE_CODE });
    expect(again).toMatchObject({ creditedMinor: 50_000_000, phone: '998918935861', payments: [{ id: p.id, state: 'registered' }] });
    // The customer's receipt QR (REGOS QRCodeURL) finds the same sale through the sale finder.
    const qr = w.regos?.state.receipts.find((r) => r.code === SALE_CODE)?.QRCodeURL ?? '';
    expect(await w.app.handlers['instalments.find']({ query: qr })).toMatchObject({ sale: { ref: { id: SALE_CODE } }, creditedMinor: 50_000_000 });
    expect(await w.app.handlers['instalments.list']({})).toMatchObject([{ id: p.id, vcrId: receipt?.id }]);
  });

  it('cash and two terminal payments with RRN and card type; a third terminal payment is refused before anything is stored', async () => {
    world = await start();
    const w = world;
    const tenders: InstalmentTender[] = [
      { kind: 'cash', amountMinor: 10_000_000 },
      { kind: 'terminal', amountMinor: 20_000_000, rrn: '847204678473', cardType: 'personal' },
      { kind: 'terminal', amountMinor: 20_000_000, rrn: '847204678474', cardType: 'corporate' },
    ];
    const p = await pay(w, { tenders });
    expect(p.state).toBe('registered');
    expect((credits(w)[0]?.params as { payments: unknown[] }).payments).toEqual([
      { type: 1, value: 10_000_000 },
      { type: 2, value: 20_000_000, RRN: '847204678473', card_type: 2 },
      { type: 2, value: 20_000_000, RRN: '847204678474', card_type: 1 },
    ]);
    const id = randomUUID();
    const three: InstalmentTender[] = [1, 2, 3].map((n) => ({ kind: 'terminal', amountMinor: 10_000_000, rrn: `84720467847${n}`, cardType: 'personal' }));
    await expect(pay(w, { paymentId: id, amountMinor: 30_000_000, tenders: three })).rejects.toMatchObject({ message: expect.stringMatching(/не более 2/) });
    await expect(w.app.handlers['instalments.get']({ id })).rejects.toMatchObject({ code: 'instalment.not_found' });
    expect(calls(w, 'Receipt.Credit')).toHaveLength(1);
  });

  it('a payment system is refused with the seed\'s reason; nothing stored, nothing sent', async () => {
    world = await start();
    const w = world;
    const id = randomUUID();
    await expect(pay(w, { paymentId: id, tenders: [{ kind: 'paymentSystem', system: 'Click', amountMinor: 50_000_000 }] }))
      .rejects.toMatchObject({ code: 'instalment.payment_system', message: expect.stringContaining('По кредитному чеку недоступна оплата через платёжные системы') });
    await expect(w.app.handlers['instalments.get']({ id })).rejects.toMatchObject({ code: 'instalment.not_found' });
    expect(calls(w, 'Receipt.Credit')).toHaveLength(0);
  });

  it('REGOS offline: refused at once, nothing stored, nothing queued, nothing sent later', async () => {
    world = await start();
    const w = world;
    await w.regos?.faults.setOffline(true);
    const id = randomUUID();
    await expect(pay(w, { paymentId: id })).rejects.toMatchObject({ code: 'regos.offline', message: expect.stringMatching(/REGOS VCR недоступен/) });
    await expect(w.app.handlers['instalments.get']({ id })).rejects.toMatchObject({ code: 'instalment.not_found' });
    expect(await w.app.handlers['instalments.list']({})).toEqual([]);
    expect(w.app.outbox.list()).toHaveLength(0);
    await w.regos?.faults.setOffline(false);
    expect(credits(w)).toHaveLength(0);
  });

  it('VCR refuses the request: failed, the reason goes as a code with values for the Uzbek UI beside the Russian text, kept in the database', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.failNext(1, { status: 400, match: { rpcMethod: 'Receipt.Credit' } });
    const p = await pay(w);
    expect(p.state).toBe('failed');
    expect(p.reason).toMatch(/Оплата не оформлена\.$/);
    expect(p.reasonText).toMatchObject({ code: 'instalment.refused', params: { error: { code: 'regos.rejected' } } });
    expect(p.reasonText?.code === 'instalment.refused' && `${p.reasonText.params.error.message} Оплата не оформлена.`).toBe(p.reason);
    expect((await w.app.handlers['instalments.list']({})).find((q) => q.id === p.id)).toEqual(p);
    expect(credits(w)).toHaveLength(0);
  });

  it('answer lost after VCR registered it: Receipt.GetInfo by code finds it, one receipt, never resent', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Credit' });
    const p = await pay(w);
    expect(p.state).toBe('registered');
    expect(credits(w)).toHaveLength(1);
    expect(p.vcrId).toBe(credits(w)[0]?.id);
    expect(calls(w, 'Receipt.Credit')).toHaveLength(1);
    expect(calls(w, 'Receipt.GetInfo').length).toBeGreaterThan(0);
  });

  it('request lost before VCR saw it: GetInfo says "not registered", so it is sent once more and registered once', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.dropNext(1, { rpcMethod: 'Receipt.Credit' });
    const p = await pay(w);
    expect(p.state).toBe('registered');
    expect(credits(w)).toHaveLength(1);
    expect(calls(w, 'Receipt.Credit')).toHaveLength(2);
  });

  it('answer lost and GetInfo failing: stays sending with a Russian reason, asked again on the timer, one receipt, never resent', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Credit' });
    w.regos?.faults.failNext(4, { status: 500, match: { rpcMethod: 'Receipt.GetInfo' } });
    const p = await pay(w);
    expect(p).toMatchObject({ state: 'sending', reason: INSTALMENT_WAITS });
    expect(p.vcrId).toBeUndefined();
    // Nothing but the services' own timer asks VCR from here on.
    await until('the timer asked Receipt.GetInfo past the failures', () => calls(w, 'Receipt.GetInfo').length > 4);
    const settled = await settledState(w, p.id);
    expect(settled).toMatchObject({ state: 'registered', vcrId: credits(w)[0]?.id });
    expect(calls(w, 'Receipt.Credit')).toHaveLength(1);
    expect(credits(w)).toHaveLength(1);
  });

  it('request lost and GetInfo failing, then the timer hears "not registered": failed with a Russian reason, never sent again in the background', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.dropNext(1, { rpcMethod: 'Receipt.Credit' });
    w.regos?.faults.failNext(4, { status: 500, match: { rpcMethod: 'Receipt.GetInfo' } });
    const p = await pay(w);
    expect(p.state).toBe('sending');
    const settled = await settledState(w, p.id);
    expect(settled).toMatchObject({ state: 'failed', reason: expect.stringMatching(/не зарегистрирован/) });
    // A fixed reason: the Uzbek UI knows it by its Russian text (MAIN_TEXT_UZ), no code is stored.
    expect(settled).not.toHaveProperty('reasonText');
    expect(settled.vcrId).toBeUndefined();
    expect(calls(w, 'Receipt.Credit')).toHaveLength(1);
    expect(credits(w)).toHaveLength(0);
  });

  it('the same payment confirmed twice (double Enter, retried request) is one receipt', async () => {
    world = await start();
    const w = world;
    const paymentId = randomUUID();
    const [a, b] = await Promise.all([pay(w, { paymentId }), pay(w, { paymentId })]);
    expect(a.id).toBe(b.id);
    expect((await pay(w, { paymentId })).state).toBe('registered');
    expect(credits(w)).toHaveLength(1);
  });

  it('a copy of a registered credit receipt prints as text marked КОПИЯ (nothing fiscal); with the printer off it is on screen, with the reason', async () => {
    world = await start();
    const w = world;
    const p = await pay(w);
    const documentsBefore = w.fiscal.device.model.documents.length;
    const copy = await w.app.handlers['instalments.reprint']({ id: p.id });
    const saleQr = w.regos?.state.receipts.find((r) => r.code === SALE_CODE)?.QRCodeURL ?? '';
    expect(copy).toMatchObject({ printed: true, saleQrCodeUrl: saleQr });
    expect(copy.lines[0]).toBe('КОПИЯ — НЕ ФИСКАЛЬНЫЙ ДОКУМЕНТ');
    expect(copy.lines).toContain(`Чек VCR: ${p.vcrId ?? ''}`);
    expect(copy.lines).toContain('Принято: 500\u00a0000 сум');
    // On the paper: the same lines, cut to the 40-character line (VCR's id and the QR link take several).
    const tape = w.fiscal.device.model.tape;
    expect(tape[0]).toBe('КОПИЯ — НЕ ФИСКАЛЬНЫЙ ДОКУМЕНТ');
    expect(tape.at(-1)).toBe('КОПИЯ');
    expect(tape.every((line) => line.length <= 40)).toBe(true);
    expect(tape.join('')).toBe(copy.lines.join(''));
    expect(tape.join('')).toContain(saleQr);
    expect(w.fiscal.device.model.documents).toHaveLength(documentsBefore);
    // Nothing was sent to VCR for the copy: seed 003 documents no call that prints a credit receipt again.
    expect(credits(w)).toHaveLength(1);
    await w.fiscal.close();
    const onScreen = await w.app.handlers['instalments.reprint']({ id: p.id });
    expect(onScreen).toMatchObject({ printed: false, lines: copy.lines, printerProblem: expect.stringMatching(/^Копия не напечатана: .* Данные чека — на экране\.$/) });
  });

  it('no copy of a credit receipt VCR has not registered', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Credit' });
    w.regos?.faults.failNext(4, { status: 500, match: { rpcMethod: 'Receipt.GetInfo' } });
    const p = await pay(w);
    expect(p.state).toBe('sending');
    await expect(w.app.handlers['instalments.reprint']({ id: p.id })).rejects.toMatchObject({ code: 'instalment.not_registered', message: expect.stringContaining('копии нет') });
    expect(w.fiscal.device.model.tape).toEqual([]);
  });
});
