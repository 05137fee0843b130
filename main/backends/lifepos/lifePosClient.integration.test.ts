import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoLifePosSeed, rub, saleDeal, type LifePosSeed } from '../../../emulators/lifepos/seed';
import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { BackendError } from '../backendError';
import { LifePosClient } from './lifePosClient';
import type { NewReversalSession, Session } from './schemas';
import { rejectionOf } from '../../../test/support/caughtAppError';

const DEAL_CASH = '6f1c2a10-0001-4a8e-9d01-000000000001';
const DEAL_MIXED = '6f1c2a10-0003-4a8e-9d01-000000000003';
const DEAL_APPLES = '6f1c2a10-0005-4a8e-9d01-000000000005';
const SALE_CASH = '5e5510e0-0001-4000-8000-000000000001';
const SALE_MIXED = '5e5510e0-0003-4000-8000-000000000003';

let emu: LifePosEmulator;
let client: LifePosClient;

function clientFor(e: LifePosEmulator, overrides: Partial<ConstructorParameters<typeof LifePosClient>[0]> = {}): LifePosClient {
  return new LifePosClient({
    baseUrl: e.url, orgGuid: e.orgGuid, token: e.token, clientId: 'refund-cashier-test', clientType: 'App',
    language: 'ru-RU', timeoutMs: 2000, ...overrides,
  });
}

async function start(seed?: LifePosSeed): Promise<void> {
  emu = await startLifePosEmulator({ seed });
  client = clientFor(emu);
}

afterEach(async () => {
  await emu.close();
});

/** Returning the milk of the cash basket: one of two bottles. */
function milkRefund(externalId: string): NewReversalSession {
  return {
    external_id: externalId,
    positions: [{ position_guid: 'p-1001-1', quantity: 1000, total_sum: rub(8990) }],
    payment_parts: [{
      type_of: 'Cash', amount: rub(8990),
      primary_payment_part: { guid: 'pp-1001-cash', type_of: 'Cash' },
      primary_sale_session: { guid: SALE_CASH, type_of: 'Sale' },
    }],
  };
}

const caught = (p: Promise<unknown>): Promise<BackendError> => rejectionOf(p, BackendError);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('LIFE POS client against the emulator', () => {
  beforeEach(async () => start());

  it('reads a deal with quantities in thousandths and amounts in kopecks', async () => {
    const deal = await client.getDeal(DEAL_APPLES);
    expect(deal.number).toBe('А-1005');
    expect(deal.positions[0]).toMatchObject({ name: 'Яблоки Голден, кг', quantity: 1254, total_sum: { value: 16289, currency: 'RUB' }, tax: 'vat10' });
    expect(deal.total_sum.value).toBe(17189);
  });

  it('sends the required headers and the bearer token', async () => {
    await client.getDeal(DEAL_CASH);
    const noHeaders = await caught(clientFor(emu, { clientId: '' }).getDeal(DEAL_CASH));
    expect(noHeaders.httpStatus).toBe(422);
    expect(noHeaders.retry).toBe('permanent');
  });

  // Finding a deal by its number is the sale search's job (refunds/saleSources.ts lifePosSource, with the
  // query normaliser); the client lists a period's deals, page by page.
  it('lists the deals of a date range page by page', async () => {
    const all = await collect(client.deals());
    expect(all.map((d) => d.number)).toEqual(['А-1001', 'А-1002', 'А-1003', 'А-1004', 'А-1005', 'А-1006', 'А-1007', 'А-1300', 'А-1008']);
    const lastDay = await collect(client.deals({ createdFrom: new Date(Date.now() - 86_400_000).toISOString() }));
    expect(lastDay.filter((d) => d.number === 'А-1003').map((d) => d.guid)).toEqual([DEAL_MIXED]);
    expect(await collect(client.deals({ createdFrom: new Date(Date.now() + 60_000).toISOString() }))).toEqual([]);
  });

  it('creates, reads, patches, archives and unarchives a reversal session, then changes the deal status', async () => {
    const created = await client.createReversalSession(DEAL_CASH, milkRefund('refund-1'));
    expect(created).toMatchObject({ type_of: 'Reversal', external_id: 'refund-1', archived: false, total_sum: { value: 8990 } });
    expect(created.payment_parts[0]).toMatchObject({
      type_of: 'Cash', status: 'Accepted',
      primary_payment_part: { guid: 'pp-1001-cash', type_of: 'Cash' },
      primary_sale_session: { guid: SALE_CASH, type_of: 'Sale' },
    });
    expect(created.positions[0]).toMatchObject({ position_guid: 'p-1001-1', quantity: 1000 });

    const read = await client.getReversalSession(DEAL_CASH, created.guid);
    expect(read.guid).toBe(created.guid);

    const patched = await client.patchReversalSession(DEAL_CASH, created.guid, {
      fiscal_document_number: 143, fiscal_sign: '2840127651', fiscal_drive_number: '7281440500123456',
      issued_at: '2026-11-28T15:40:00+03:00', total_sum: rub(8990),
    });
    expect(patched.receipt).toMatchObject({ fiscal_document_number: 143, fiscal_sign: '2840127651' });

    const archived = await client.archiveReversalSession(DEAL_CASH, created.guid);
    expect(archived?.archived).toBe(true);
    expect((await collect(client.sessions(DEAL_CASH))).map((s) => s.guid)).not.toContain(created.guid);
    expect((await collect(client.sessions(DEAL_CASH, { selection: 'archived_only' }))).map((s) => s.guid)).toEqual([created.guid]);
    expect(await collect(client.sessions(DEAL_CASH, { selection: 'all' }))).toHaveLength(2);

    const back = await client.unarchiveReversalSession(DEAL_CASH, created.guid);
    expect(back.archived).toBe(false);
    expect((await collect(client.sessions(DEAL_CASH))).map((s) => s.guid)).toContain(created.guid);

    await client.changeDealStatus(DEAL_CASH, { payment_status: 'PartiallyRefunded', shipping_status: 'PartiallyRefunded' });
    expect(await client.getDeal(DEAL_CASH)).toMatchObject({ payment_status: 'PartiallyRefunded', shipping_status: 'PartiallyRefunded', state: 'Completed' });
  });

  it('keeps the RRN of a card part and accepts a refund past the sale (the seed names no such check: the app must)', async () => {
    const full: NewReversalSession = {
      external_id: 'full-1',
      positions: [
        { position_guid: 'p-1003-1', quantity: 1000, total_sum: rub(749000) },
        { position_guid: 'p-1003-2', quantity: 1000, total_sum: rub(129000) },
      ],
      payment_parts: [
        { type_of: 'Cash', amount: rub(200000), primary_payment_part: { guid: 'pp-1003-cash', type_of: 'Cash' }, primary_sale_session: { guid: SALE_MIXED, type_of: 'Sale' } },
        { type_of: 'Card', amount: rub(678000), primary_payment_part: { guid: 'pp-1003-card', type_of: 'Card' }, primary_sale_session: { guid: SALE_MIXED, type_of: 'Sale' }, transactions: [{ rrn: '999000111222' }] },
      ],
    };
    const s = await client.createReversalSession(DEAL_MIXED, full);
    expect(s.payment_parts[1]?.transactions[0]?.rrn).toBe('999000111222');
    await client.createReversalSession(DEAL_MIXED, { ...full, external_id: 'full-2' });
    expect(emu.state.refunded(DEAL_MIXED).byPart.get('pp-1003-card')).toBe(2 * 678000);
  });

  it('refuses a part that points at no payment part of the sale session (seed 000), and one in another currency', async () => {
    const wrongPart = milkRefund('bad-ref');
    const part = wrongPart.payment_parts[0];
    if (!part) throw new Error('fixture');
    part.primary_payment_part = { guid: 'pp-1001-cash', type_of: 'Card' };
    expect((await caught(client.createReversalSession(DEAL_CASH, wrongPart))).httpStatus).toBe(422);
    const dollars = milkRefund('usd');
    const usd = dollars.payment_parts[0];
    if (!usd) throw new Error('fixture');
    usd.amount = { value: 8990, currency: 'USD' };
    const e = await caught(client.createReversalSession(DEAL_CASH, dollars));
    expect(e.httpStatus).toBe(422);
    expect(e.message).toContain('USD');
  });

  it('refuses an invalid request before sending it', async () => {
    const e = await caught(client.createReversalSession(DEAL_CASH, { ...milkRefund('x'), positions: [] }));
    expect(e).toMatchObject({ failure: 'invalid_request', retry: 'permanent' });
    expect(emu.requests).toHaveLength(0);
  });
});

describe('LIFE POS sessions paging (20 per page until next_page_token is empty)', () => {
  function seedWithSessions(n: number): LifePosSeed {
    const { deal, sale } = saleDeal({
      guid: 'deal-many', number: 'Б-1', createdAt: '2026-11-01T10:00:00.000Z', saleSessionGuid: 'sale-0',
      lines: [{ guid: 'pos-1', name: 'Товар', quantity: 1000, priceKopecks: 100, totalKopecks: 100, tax: 'vat20', payment_method: 'fullPayment', item_sign: 'goods' }],
      parts: [{ guid: 'part-1', type_of: 'Cash', kopecks: 100 }],
    });
    const sessions: Session[] = Array.from({ length: n }, (_, i) => ({ ...structuredClone(sale), guid: `s-${String(i).padStart(4, '0')}` }));
    return { deals: [deal], sessions: { [deal.guid]: sessions } };
  }

  it.each([0, 1, 20, 21, 1000])('yields all %i sessions in order with ceil(n/20) requests', async (n) => {
    await start(seedWithSessions(n));
    const got = await collect(client.sessions('deal-many'));
    expect(got.map((s) => s.guid)).toEqual(Array.from({ length: n }, (_, i) => `s-${String(i).padStart(4, '0')}`));
    expect(emu.requests).toHaveLength(Math.max(1, Math.ceil(n / 20)));
    expect(new Set(emu.requests.map((r) => r.path))).toEqual(new Set(['/orgs/' + emu.orgGuid + '/deals/sales/deal-many/sessions']));
  });

  it('reports a server that repeats its page token instead of looping', async () => {
    await start();
    const page = { next_page_token: 'same', page_number: 1, pages_total: 2, items_per_page: 20, items_total: 0, items: [] };
    const stub = clientFor(emu, { fetch: async () => new Response(JSON.stringify(page), { status: 200 }) });
    const e = await caught(collect(stub.sessions(DEAL_CASH)));
    expect(e.code).toBe('lifepos.bad_paging');
  });
});

describe('LIFE POS faults', () => {
  beforeEach(async () => start());

  it('HTTP 500 is transient and nothing is created', async () => {
    emu.faults.failNext(1);
    const e = await caught(client.createReversalSession(DEAL_CASH, milkRefund('r-500')));
    expect(e).toMatchObject({ retry: 'transient', httpStatus: 500, code: 'lifepos.server_error', failure: 'http' });
    // A write runs as an outbox job, which does retry.
    expect(e.message).toContain('Программа повторит сама');
    expect(await client.findReversalByExternalId(DEAL_CASH, 'r-500')).toBeUndefined();
  });

  it('429 carries Retry-After in seconds or as an HTTP date', async () => {
    emu.faults.rateLimitNext(1, 7);
    const seconds = await caught(client.getDeal(DEAL_CASH));
    expect(seconds).toMatchObject({ retry: 'transient', httpStatus: 429, retryAfterMs: 7000, code: 'lifepos.rate_limited' });
    // A read is the cashier's own search: nothing repeats it, so the message says when to.
    expect(seconds.message).toContain('Повторите через 7 с');
    expect(seconds.message).not.toContain('повторит сама');
    emu.faults.rateLimitNext(1, new Date(Date.now() + 30_000).toUTCString());
    const date = await caught(client.getDeal(DEAL_CASH));
    expect(date.retryAfterMs).toBeGreaterThan(25_000);
    expect(date.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('malformed JSON on a read is a typed error with the raw body; on a write the outcome is unknown', async () => {
    emu.faults.malformedNext(1);
    const read = await caught(client.getDeal(DEAL_CASH));
    expect(read).toMatchObject({ code: 'lifepos.bad_response', failure: 'bad_response', retry: 'permanent' });
    expect(read.detail).toContain('not JSON');
    expect(read.detail).toContain('{"guid"');
    emu.faults.malformedNext(1);
    const write = await caught(client.createReversalSession(DEAL_CASH, milkRefund('r-mal')));
    expect(write.retry).toBe('unknown-outcome');
    expect(await client.findReversalByExternalId(DEAL_CASH, 'r-mal')).toBeDefined();
  });

  it('an archive answered with 204 and no body is accepted', async () => {
    const stub = clientFor(emu, { fetch: async () => new Response(null, { status: 204 }) });
    expect(await stub.archiveReversalSession(DEAL_CASH, 'any')).toBeUndefined();
    const e = await caught(stub.getDeal(DEAL_CASH));
    expect(e.code).toBe('lifepos.bad_response');
  });

  it('a schema mismatch is a typed error, never a guess', async () => {
    const stub = clientFor(emu, { fetch: async () => new Response(JSON.stringify({ guid: 'x', number: 'А-1' }), { status: 200 }) });
    const e = await caught(stub.getDeal(DEAL_CASH));
    expect(e.code).toBe('lifepos.bad_response');
    expect(e.detail).toMatch(/schema mismatch.*created_at/);
  });

  it('a dropped connection before the effect: unknown outcome for a write, lookup finds nothing, retry creates once', async () => {
    emu.faults.dropNext(1);
    const e = await caught(client.createReversalSession(DEAL_CASH, milkRefund('r-drop')));
    expect(e).toMatchObject({ retry: 'unknown-outcome', failure: 'dropped' });
    const { created } = await client.ensureReversalSession(DEAL_CASH, milkRefund('r-drop'));
    expect(created).toBe(true);
    expect((await collect(client.sessions(DEAL_CASH, { selection: 'all' }))).filter((s) => s.external_id === 'r-drop')).toHaveLength(1);
  });

  it('a response lost after the effect: the retry finds the session by external_id and does not duplicate it', async () => {
    emu.faults.loseResponseNext(1, { method: 'POST' });
    const e = await caught(client.createReversalSession(DEAL_CASH, milkRefund('r-lost')));
    expect(e.retry).toBe('unknown-outcome');
    const { created, session } = await client.ensureReversalSession(DEAL_CASH, milkRefund('r-lost'));
    expect(created).toBe(false);
    expect(session.external_id).toBe('r-lost');
    expect((await collect(client.sessions(DEAL_CASH, { selection: 'all' }))).filter((s) => s.external_id === 'r-lost')).toHaveLength(1);
  });

  it('a dropped read is transient', async () => {
    emu.faults.dropNext(1);
    expect((await caught(client.getDeal(DEAL_CASH))).retry).toBe('transient');
  });

  it('latency beyond the timeout: a write is unknown-outcome (and took effect), a read is transient', async () => {
    const fast = clientFor(emu, { timeoutMs: 150 });
    emu.faults.setLatency(600);
    const write = await caught(fast.createReversalSession(DEAL_CASH, milkRefund('r-slow')));
    expect(write).toMatchObject({ retry: 'unknown-outcome', failure: 'timeout', code: 'lifepos.timeout' });
    const read = await caught(fast.getDeal(DEAL_CASH));
    expect(read).toMatchObject({ retry: 'transient', failure: 'timeout' });
    emu.faults.setLatency(0);
    expect(await client.findReversalByExternalId(DEAL_CASH, 'r-slow')).toBeDefined();
  });

  it('offline refuses connections (transient, nothing sent) and recovers on the same port', async () => {
    await emu.faults.setOffline(true);
    const e = await caught(client.createReversalSession(DEAL_CASH, milkRefund('r-off')));
    expect(e).toMatchObject({ retry: 'transient', failure: 'unreachable', code: 'lifepos.unreachable' });
    await emu.faults.setOffline(false);
    expect((await client.createReversalSession(DEAL_CASH, milkRefund('r-off'))).external_id).toBe('r-off');
  });

  it('faults can be set through the control endpoint, which keeps answering while offline', async () => {
    const post = (body: unknown): Promise<Response> => fetch(`${emu.controlUrl}/__control/faults`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    expect((await post({ rules: [{ kind: 'nope' }] })).status).toBe(400);
    expect((await post({ rules: [{ kind: 'status', status: 503 }] })).status).toBe(200);
    expect((await caught(client.getDeal(DEAL_CASH))).httpStatus).toBe(503);
    expect((await post({ offline: true })).status).toBe(200);
    expect((await caught(client.getDeal(DEAL_CASH))).failure).toBe('unreachable');
    expect((await post({ reset: true })).status).toBe(200);
    expect((await client.getDeal(DEAL_CASH)).guid).toBe(DEAL_CASH);
    const state = await (await fetch(`${emu.url}/__control/state`)).json() as { state: { deals: unknown[] } };
    expect(state.state.deals).toHaveLength(9);
  });

  it('never puts the token into an error message or detail', async () => {
    const secret = emu.token;
    const errors: BackendError[] = [];
    const wrong = clientFor(emu, { token: 'wrong-token-123456' });
    const e401 = await caught(wrong.getDeal(DEAL_CASH));
    expect(e401).toMatchObject({ code: 'lifepos.unauthorized', retry: 'permanent' });
    expect(`${e401.message} ${e401.detail}`).not.toContain('wrong-token-123456');
    // A server that echoes the Authorization header back in an error body.
    const echo = clientFor(emu, {
      fetch: async (_url, init) => new Response(JSON.stringify({ message: `bad header ${String((init.headers as Record<string, string>).Authorization)}` }), { status: 400 }),
    });
    errors.push(await caught(echo.getDeal(DEAL_CASH)));
    emu.faults.failNext(1);
    errors.push(await caught(client.getDeal(DEAL_CASH)));
    emu.faults.malformedNext(1);
    errors.push(await caught(client.getDeal(DEAL_CASH)));
    for (const e of errors) {
      expect(`${e.message} ${e.detail ?? ''} ${e.stack ?? ''}`).not.toContain(secret);
    }
    expect(errors[0]?.message).toContain('***');
  });
});

describe('LIFE POS emulator persistence', () => {
  it('keeps accepted sessions across a restart from its state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifepos-emu-'));
    try {
      const statePath = join(dir, 'state.json');
      emu = await startLifePosEmulator({ statePath, seed: demoLifePosSeed() });
      client = clientFor(emu);
      const s = await client.createReversalSession(DEAL_CASH, milkRefund('persist-1'));
      await emu.close();
      emu = await startLifePosEmulator({ statePath });
      client = clientFor(emu);
      expect((await client.getReversalSession(DEAL_CASH, s.guid)).external_id).toBe('persist-1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each([false, true])('LIFE POS external_id uniqueness switch = %s', (uniqueExternalId) => {
  beforeEach(async () => {
    emu = await startLifePosEmulator({ uniqueExternalId });
    client = clientFor(emu);
  });

  it('a create whose answer was lost is found by external_id, not created twice', async () => {
    emu.faults.loseResponseNext(1, { method: 'POST' });
    expect((await caught(client.createReversalSession(DEAL_CASH, milkRefund('lost-once')))).retry).toBe('unknown-outcome');
    const found = await client.findReversalByExternalId(DEAL_CASH, 'lost-once');
    expect(found?.external_id).toBe('lost-once');
    const { created } = await client.ensureReversalSession(DEAL_CASH, milkRefund('lost-once'));
    expect(created).toBe(false);
    const all = await collect(client.sessions(DEAL_CASH, { selection: 'all' }));
    expect(all.filter((x) => x.external_id === 'lost-once')).toHaveLength(1);
  });

  it('a blind second create: a duplicate with the switch off (only the lookup prevents it), 422 with it on', async () => {
    await client.createReversalSession(DEAL_CASH, milkRefund('twice'));
    const second = client.createReversalSession(DEAL_CASH, milkRefund('twice'));
    if (uniqueExternalId) {
      expect((await caught(second)).httpStatus).toBe(422);
    } else {
      await second;
    }
    const same = (await collect(client.sessions(DEAL_CASH, { selection: 'all' }))).filter((x) => x.external_id === 'twice');
    expect(same).toHaveLength(uniqueExternalId ? 1 : 2);
  });

  it('an archived session is still found by external_id', async () => {
    const s = await client.createReversalSession(DEAL_CASH, milkRefund('archived-one'));
    await client.archiveReversalSession(DEAL_CASH, s.guid);
    expect((await client.findReversalByExternalId(DEAL_CASH, 'archived-one'))?.guid).toBe(s.guid);
    expect((await client.ensureReversalSession(DEAL_CASH, milkRefund('archived-one'))).created).toBe(false);
  });
});
