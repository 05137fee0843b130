import { afterEach, describe, expect, it } from 'vitest';
import { lifePayTime, startLifePayEmulator, type LifePayEmulator, type LifePayEmulatorOptions } from '../../../emulators/lifepay/server';
import { BackendError } from '../backendError';
import { LifePayClient, type LifePayClientOptions } from './lifePayClient';
import type { LifePayRefundReceipt } from './schemas';
import { rejectionOf } from '../../../test/support/caughtAppError';

let emu: LifePayEmulator;

async function start(opts: LifePayEmulatorOptions = {}, client: Partial<LifePayClientOptions> = {}): Promise<LifePayClient> {
  emu = await startLifePayEmulator(opts);
  return clientFor(client);
}

function clientFor(client: Partial<LifePayClientOptions> = {}): LifePayClient {
  return new LifePayClient({
    baseUrl: emu.url, login: emu.login, apiKey: emu.apiKey, timeoutMs: 2000, ...client,
  });
}

afterEach(async () => {
  await emu.close();
});

const caught = (p: Promise<unknown>): Promise<BackendError> => rejectionOf(p, BackendError);

/** Returning the earphone case of sale 30451, paid by card. */
const caseRefund = (extId: string, over: Partial<LifePayRefundReceipt> = {}): LifePayRefundReceipt => ({
  extId,
  products: [{ name: 'Чехол для наушников', priceMinor: 29900, quantityMilli: 1000, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
  cardMinor: 29900,
  ...over,
});

describe('LIFE PAY transactions', () => {
  it('lists a day\'s transactions with amounts in kopecks and quantities in thousandths', async () => {
    const client = await start();
    const today = lifePayTime(new Date()).slice(0, 10);
    const all = await client.listTransactions({ date: today });
    expect(all.length).toBeGreaterThanOrEqual(1);
    const inRange = await client.listTransactions({ from: `${today} 00:00:00`, to: `${today} 23:59:59` });
    expect(inRange.map((t) => t.uuid).sort()).toEqual(all.map((t) => t.uuid).sort());
    expect(await client.listTransactions({ date: '2001-01-01' })).toEqual([]);
    const viaApi = (await client.listTransactions({})).find((t) => t.number === '30451');
    expect(viaApi).toMatchObject({ amount: 159800, method: 'card', rrn: '512345678901' });
    expect(viaApi?.purchase?.products[0]).toMatchObject({ price: 129900, quantity: 1000, tax: 'vat22', type: 4 });
  });

  it('filters by employee', async () => {
    const client = await start();
    const maria = await client.listTransactions({ employee: 'Иванова Мария' });
    expect(maria.map((t) => t.number).sort()).toEqual(['30451', '30453']);
  });

  it('maps 6010 (wrong key) to advice for IT and never shows the key', async () => {
    await start();
    const client = clientFor({ apiKey: 'wrong-key-abcdef' });
    const e = await caught(client.listTransactions({}));
    expect(e).toMatchObject({ code: 'lifepay.6010', serviceCode: 6010, retry: 'permanent', httpStatus: 401 });
    expect(e.message).toContain('Настройки → Разработчикам');
    expect(`${e.message} ${e.detail}`).not.toContain('wrong-key-abcdef');
  });
});

describe('LIFE PAY cloud fiscalization of a refund', () => {
  it('fiscalizes a refund receipt and the server stores it with card amount and tags', async () => {
    const client = await start();
    const { uuid } = await client.fiscalizeRefund(caseRefund('refund-42'));
    expect(uuid).toMatch(/[0-9a-f-]{36}/);
    expect(emu.state.receipts).toEqual([expect.objectContaining({
      uuid, ext_id: 'refund-42', type: 'refund', totalMinor: 29900, cardMinor: 29900,
      products: [expect.objectContaining({ priceMinor: 29900, quantityMilli: 1000, tax: 'vat20', type: 4, item_type: 1 })],
    })]);
  });

  it('test=1 fiscalizes nothing', async () => {
    const client = await start();
    await client.fiscalizeRefund(caseRefund('refund-test', { test: true }));
    expect(emu.state.receipts).toEqual([]);
  });

  it('mirrors a 100 % prepayment with prepayment_amount and type 1', async () => {
    const client = await start();
    await client.fiscalizeRefund({
      extId: 'refund-prepay',
      products: [{ name: 'Предоплата 100 % за шкаф-купе', priceMinor: 2500000, quantityMilli: 1000, vat: 'vat120', paymentMethod: 'prepayment100', itemSign: 'payment' }],
      cardMinor: 2500000,
    });
    expect(emu.state.receipts[0]?.products[0]).toMatchObject({ type: 1, item_type: 10 });
  });

  it('3896: card amount above the receipt total', async () => {
    const client = await start();
    const e = await caught(client.fiscalizeRefund(caseRefund('r-3896', { cardMinor: 30000 })));
    expect(e).toMatchObject({ code: 'lifepay.3896', retry: 'permanent', failure: 'rejected' });
    expect(e.message).toContain('безналичной оплаты больше суммы чека');
  });

  it('3975: tax system ОСН with a 36-month ФН', async () => {
    const client = await start({ fiscalDriveMonths: 36 });
    const e = await caught(client.fiscalizeRefund(caseRefund('r-3975', { taxSystem: 'osn' })));
    expect(e).toMatchObject({ code: 'lifepay.3975', retry: 'permanent' });
  });

  it('6080: cloud fiscalization switched off', async () => {
    const client = await start({ cloudPrintEnabled: false });
    const e = await caught(client.fiscalizeRefund(caseRefund('r-6080')));
    expect(e).toMatchObject({ code: 'lifepay.6080', httpStatus: 403 });
    expect(e.message).toContain('службу поддержки LIFE PAY');
  });

  it('a 12 % VAT line is refused before sending', async () => {
    const client = await start();
    const e = await caught(client.fiscalizeRefund(caseRefund('r-vat', {
      products: [{ name: 'x', priceMinor: 1, quantityMilli: 1000, vat: 'vat12' as 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
    })));
    expect(e.failure).toBe('invalid_request');
    expect(emu.requests).toHaveLength(0);
  });

  it('a lost response after fiscalization is unknown-outcome (the receipt exists)', async () => {
    const client = await start();
    emu.faults.loseResponseNext(1);
    const e = await caught(client.fiscalizeRefund(caseRefund('r-lost')));
    expect(e.retry).toBe('unknown-outcome');
    expect(emu.state.receipts.map((r) => r.ext_id)).toEqual(['r-lost']);
  });

  it('500, malformed JSON, timeout and offline are typed', async () => {
    // The timeout is long enough for a loaded machine to answer the 500 and the malformed body in time;
    // only the latency below is meant to exceed it.
    const client = await start({}, { timeoutMs: 2_000 });
    emu.faults.failNext(1);
    expect((await caught(client.fiscalizeRefund(caseRefund('a')))).retry).toBe('transient');
    emu.faults.malformedNext(1);
    const mal = await caught(client.fiscalizeRefund(caseRefund('b')));
    expect(mal).toMatchObject({ code: 'lifepay.bad_response', retry: 'unknown-outcome' });
    expect(mal.detail).not.toContain(emu.apiKey);
    emu.faults.setLatency(4_000);
    expect((await caught(client.listTransactions({}))).failure).toBe('timeout');
    emu.faults.setLatency(0);
    await emu.faults.setOffline(true);
    expect((await caught(client.listTransactions({}))).failure).toBe('unreachable');
    await expect(client.probe(new AbortController().signal, 200)).rejects.toBeInstanceOf(BackendError);
    await emu.faults.setOffline(false);
    await client.probe(new AbortController().signal, 500);
  });
});

describe('LIFE PAY 429 (seed 001: the 3-a-minute limit is for catalog upload only)', () => {
  it('searches are not limited by the client: five in a row all reach the server at once', async () => {
    const client = await start();
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) await client.listTransactions({});
    expect(emu.requests).toHaveLength(5);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('a server 429 with Retry-After: transient, says when to repeat, claims no automatic retry; nothing is sent until it passes', async () => {
    let now = 1_000_000;
    const client = await start({}, { now: () => now });
    emu.faults.rateLimitNext(1, 30);
    const e = await caught(client.listTransactions({}));
    expect(e).toMatchObject({ code: 'lifepay.rate_limited', retry: 'transient', httpStatus: 429, retryAfterMs: 30_000 });
    expect(e.message).toContain('Повторите через 30 с');
    expect(e.message).not.toMatch(/повторит сама|повторит запрос сама/i);
    now += 10_000;
    const local = await caught(client.listTransactions({}));
    expect(local).toMatchObject({ code: 'lifepay.rate_limited', failure: 'throttled', retryAfterMs: 20_000 });
    expect(local.httpStatus).toBeUndefined();
    expect(emu.requests).toHaveLength(1);
    now += 20_000;
    expect(Array.isArray(await client.listTransactions({}))).toBe(true);
    expect(emu.requests).toHaveLength(2);
  });

  it('the pause is per operation: a limited transaction list does not hold back a refund\'s cloud receipt', async () => {
    let now = 3_000_000;
    const client = await start({}, { now: () => now });
    emu.faults.rateLimitNext(1, 30);
    await caught(client.listTransactions({}));
    expect((await caught(client.listTransactions({}))).failure).toBe('throttled');
    const { uuid } = await client.fiscalizeRefund(caseRefund('refund-during-pause'));
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(emu.requests.map((r) => r.path)).toEqual(['/v1/transactions', '/cloud-print/create-receipt']);
    now += 30_000;
    expect(Array.isArray(await client.listTransactions({}))).toBe(true);
  });

  it('a 429 without Retry-After pauses for the seed\'s minute', async () => {
    let now = 5_000_000;
    const client = await start({}, { now: () => now });
    emu.faults.failNext(1, { status: 429 });
    await caught(client.listTransactions({}));
    now += 59_000;
    expect((await caught(client.listTransactions({}))).failure).toBe('throttled');
    now += 1_000;
    await client.listTransactions({});
    expect(emu.requests).toHaveLength(2);
  });
});
