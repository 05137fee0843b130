import { afterEach, describe, expect, it } from 'vitest';
import { LifePayClient } from '../../main/backends/lifepay/lifePayClient';
import { LifePosClient } from '../../main/backends/lifepos/lifePosClient';
import { SessionPage } from '../../main/backends/lifepos/schemas';
import { RegosClient } from '../../main/backends/regos/regosClient';
import type { FetchLike } from '../../main/backends/httpClient';
import { startLifePayEmulator } from '../../emulators/lifepay/server';
import { startLifePosEmulator } from '../../emulators/lifepos/server';
import { startRegosEmulator } from '../../emulators/regos/server';
import {
  SEED_000_PAGE, SEED_001_PREPAYMENT, SEED_002_REFUND_REQUEST, SEED_002_REFUND_RESPONSE, SEED_003_CREDIT_REQUEST, SEED_003_CREDIT_RESPONSE,
} from './seedExamples';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const post = async (url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() as Record<string, unknown> };
};
const keysOf = (o: unknown): string[] => Object.keys(o as object).sort();

/** A fetch that records the request body and answers with a seed example (its id set to the request's). */
function seedServer(answer: Record<string, unknown>): { fetch: FetchLike; sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  return {
    sent,
    fetch: async (_url, init) => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      sent.push(body);
      return new Response(JSON.stringify({ ...answer, id: body.id }), { status: 200 });
    },
  };
}

describe('REGOS VCR against seeds 002 and 003', () => {
  it('the emulator takes seed 002\'s example request and answers in the shape of its example answer', async () => {
    const emu = await startRegosEmulator({ seed: [] });
    closers.push(() => emu.close());
    const { status, json } = await post(emu.url, SEED_002_REFUND_REQUEST);
    expect(status).toBe(200);
    expect(keysOf(json)).toEqual(keysOf(SEED_002_REFUND_RESPONSE));
    expect(json.ok).toBe(true);
    expect(keysOf(json.result)).toEqual(keysOf(SEED_002_REFUND_RESPONSE.result));
    expect(json.result).toMatchObject({ Amount: 900000, ReceiptNo: expect.any(String) as string, DateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) as string });
  });

  it('the emulator takes seed 003\'s example request ("label": "", "сard_type", nulls, vat_value 1500) and answers like its example', async () => {
    const emu = await startRegosEmulator({ seed: [] });
    closers.push(() => emu.close());
    const { json } = await post(emu.url, SEED_003_CREDIT_REQUEST);
    expect(keysOf(json)).toEqual(keysOf(SEED_003_CREDIT_RESPONSE));
    expect(json.ok).toBe(true);
    expect(keysOf(json.result)).toEqual(['id']);
  });

  it('the client reads seed 002\'s and seed 003\'s example answers; ReceiptNo stays the string "187"', async () => {
    const refund = seedServer(SEED_002_REFUND_RESPONSE);
    const client = new RegosClient({ baseUrl: 'http://127.0.0.1:9', login: 'kassa', password: 'kas123456', timeoutMs: 1000, fetch: refund.fetch });
    const r = await client.refund(SEED_002_REFUND_REQUEST.params);
    expect(r).toMatchObject({ id: SEED_002_REFUND_RESPONSE.result.Id, ReceiptNo: '187', Amount: 900000, FiscalSign: '853234561062' });
    const credit = seedServer(SEED_003_CREDIT_RESPONSE);
    const c = await new RegosClient({ baseUrl: 'http://127.0.0.1:9', login: 'kassa', password: 'kas123456', timeoutMs: 1000, fetch: credit.fetch })
      .credit({ ...SEED_003_CREDIT_REQUEST.params, payments: [SEED_003_CREDIT_REQUEST.params.payments[0] ?? { type: 1, value: 500000 }, { type: 2, value: 400000, payment_id: '4341-563-4536', card_type: 2, RRN: '847204678473' }] });
    expect(c.id).toBe(SEED_003_CREDIT_RESPONSE.result.id);
  });

  it('the client sends seed 002\'s envelope and auth, and the example\'s params as they are', async () => {
    const refund = seedServer(SEED_002_REFUND_RESPONSE);
    await new RegosClient({ baseUrl: 'http://127.0.0.1:9', login: 'kassa', password: 'kas123456', timeoutMs: 1000, fetch: refund.fetch }).refund(SEED_002_REFUND_REQUEST.params);
    const [sent] = refund.sent;
    expect(keysOf(sent)).toEqual(keysOf(SEED_002_REFUND_REQUEST));
    expect(sent).toMatchObject({ auth: SEED_002_REFUND_REQUEST.auth, jsonrpc: '2.0', method: 'Receipt.Refund', params: SEED_002_REFUND_REQUEST.params });
  });

  it('the client sends seed 003\'s credit with vat_value 1500 and an empty label untouched', async () => {
    const credit = seedServer(SEED_003_CREDIT_RESPONSE);
    const client = new RegosClient({ baseUrl: 'http://127.0.0.1:9', login: 'kassa', password: 'kas123456', timeoutMs: 1000, fetch: credit.fetch });
    await client.credit({ ...SEED_003_CREDIT_REQUEST.params, payments: [{ type: 1, value: 900000 }] });
    expect((credit.sent[0]?.params as { positions: unknown[] }).positions[0]).toMatchObject({ vat_value: 1500, label: '' });
  });
});

describe('LIFE POS against seed 000', () => {
  it('the emulator pages in seed 000\'s envelope and the client reads the seed\'s own page fields', async () => {
    const emu = await startLifePosEmulator();
    closers.push(() => emu.close());
    const res = await fetch(`${emu.url}/orgs/${emu.orgGuid}/deals/sales/6f1c2a10-0001-4a8e-9d01-000000000001/sessions`, {
      headers: { Authorization: `Bearer ${emu.token}`, 'X-LP-Client-Identifier': 'contract', 'X-LP-Client-Type': 'Service', 'Accept-Language': 'ru-RU' },
    });
    const page = await res.json() as Record<string, unknown>;
    expect(keysOf(page)).toEqual([...keysOf(SEED_000_PAGE), 'items'].sort());
    expect(page.items_per_page).toBe(20);
    expect(SessionPage.parse({ ...SEED_000_PAGE, items: [] })).toMatchObject(SEED_000_PAGE);
  });

  it('the emulator takes a reversal that carries only what seed 000 requires: guid and type_of of both references', async () => {
    const emu = await startLifePosEmulator();
    closers.push(() => emu.close());
    const res = await fetch(`${emu.url}/orgs/${emu.orgGuid}/deals/sales/6f1c2a10-0006-4a8e-9d01-000000000006/sessions/reversal`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.token}`, 'X-LP-Client-Identifier': 'contract', 'X-LP-Client-Type': 'Service', 'Accept-Language': 'ru-RU', 'Content-Type': 'application/json' },
      body: JSON.stringify({ payment_parts: [{
        type_of: 'QuickPayment', amount: { value: 349000, currency: 'RUB' },
        primary_payment_part: { guid: 'pp-1006-sbp', type_of: 'QuickPayment' },
        primary_sale_session: { guid: '5e5510e0-0006-4000-8000-000000000006', type_of: 'Sale' },
      }] }),
    });
    expect(res.status).toBe(200);
    const client = new LifePosClient({ baseUrl: emu.url, orgGuid: emu.orgGuid, token: emu.token, clientId: 'contract', clientType: 'Service', language: 'ru-RU', timeoutMs: 2000 });
    const sessions = [];
    for await (const s of client.sessions('6f1c2a10-0006-4a8e-9d01-000000000006')) sessions.push(s);
    expect(sessions.find((s) => s.type_of === 'Reversal')?.payment_parts[0]).toMatchObject({ type_of: 'QuickPayment', transactions: [] });
  });
});

describe('LIFE PAY against seed 001', () => {
  it('a refund of a prepaid sale carries seed 001\'s tags: type 4 with prepayment_amount; the emulator stores it', async () => {
    const emu = await startLifePayEmulator();
    closers.push(() => emu.close());
    const sent: Record<string, unknown>[] = [];
    const client = new LifePayClient({
      baseUrl: emu.url, login: emu.login, apiKey: emu.apiKey, timeoutMs: 2000,
      fetch: async (url, init) => {
        sent.push(JSON.parse(String(init.body)) as Record<string, unknown>);
        return fetch(url, init);
      },
    });
    await client.fiscalizeRefund({
      extId: 'r-prepaid', products: [{ name: 'Шкаф-купе', priceMinor: 2500000, quantityMilli: 1000, vat: 'vat22', paymentMethod: 'fullPayment', itemSign: 'goods' }],
      prepaymentMinor: 2500000,
    });
    const body = sent[0] as { purchase: { products: { type: number }[] } } & Record<string, unknown>;
    expect(body.purchase.products[0]?.type).toBe(SEED_001_PREPAYMENT.second.type);
    expect(body[SEED_001_PREPAYMENT.second.field]).toBe(25000);
    expect(emu.state.receipts[0]).toMatchObject({ ext_id: 'r-prepaid', prepaymentMinor: 2500000 });
  });

  it('a malformed receipt is refused with HTTP 400, never with 6050 (seed 001: 6050 is a catalog-import error)', async () => {
    const emu = await startLifePayEmulator();
    closers.push(() => emu.close());
    const { status, json } = await post(`${emu.url}/cloud-print/create-receipt`, { apikey: emu.apiKey, login: emu.login, type: 'refund', purchase: { products: [] } });
    expect(status).toBe(400);
    expect(json.code).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('6050');
  });
});
