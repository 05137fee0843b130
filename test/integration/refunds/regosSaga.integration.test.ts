import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { RegosClient } from '../../../main/backends/regos/regosClient';
import { REGOS_DEMO_LOGIN, REGOS_DEMO_PASSWORD, type RegosEmulator } from '../../../emulators/regos/server';
import type { Refund, Sale } from '../../../preload/contract';
import { regosSale, regosSaleParams } from './fixtures';
import { until } from './testApp';
import { startWorld, type World } from './world';

/**
 * REGOS: online only, VCR prints, `code` (our refund id) is the idempotency key. The emulator's receipt
 * list is the judge: one refund receipt per code, or none.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SALE_CODE = 'till-sale-0001';

async function sellOnRegos(regos: RegosEmulator): Promise<Sale[]> {
  const client = new RegosClient({ baseUrl: regos.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD, timeoutMs: 3_000 });
  const params = regosSaleParams(SALE_CODE, [
    { name: 'Coca-Cola 1 л', priceTiyin: 900_000, quantityMilli: 3000 },
    { name: 'Нон (лепёшка)', priceTiyin: 400_000, quantityMilli: 2000 },
  ]);
  const answer = await client.sale(params);
  return [regosSale(SALE_CODE, params, { ReceiptNo: answer.ReceiptNo ?? null, FiscalSign: answer.FiscalSign ?? null, DateTime: answer.DateTime ?? '', QRCodeURL: answer.QRCodeURL ?? null, TerminalID: answer.TerminalID ?? null })];
}

/** The printer's timers are a minute away: whatever settles a REGOS refund here is REGOS's own recheck. */
const start = (uniqueCodeCheck = true, pendingRecheckMs = 100) => startWorld({
  deals: [], regos: true, regosUniqueCodeCheck: uniqueCodeCheck, regosSales: sellOnRegos, app: { printerProbeMs: 60_000, pendingRecheckMs },
});
const refundCalls = (w: World) => w.regos?.requests.filter((q) => q.rpcMethod === 'Receipt.Refund') ?? [];
const refundsIn = (w: World) => w.regos?.state.receipts.filter((r) => r.kind === 'refund') ?? [];

function confirm(w: World, refundId = randomUUID()): Promise<Refund> {
  return w.app.saga.confirm({ refundId, sale: { source: 'regos', id: SALE_CODE }, lines: [{ lineId: `${SALE_CODE}:0`, quantityMilli: 1000 }], cardRrns: {} });
}

describe('REGOS refund saga', () => {
  it('refund registered by VCR: synced at once with its receipt number, nothing queued', async () => {
    world = await start();
    const w = world;
    const r = await confirm(w);
    expect(r.state).toBe('synced');
    const [receipt, ...more] = refundsIn(w);
    expect(more).toHaveLength(0);
    expect(receipt).toMatchObject({ code: r.id, Amount: 900_000 });
    expect(r.fiscal?.number).toBe(Number(receipt?.ReceiptNo));
    expect(r.totalMinor).toBe(900_000);
    expect(w.app.outbox.list()).toHaveLength(0);
    expect(w.refundReceiptsInFn()).toHaveLength(0);
  });

  it('VCR offline: refused at once with a Russian reason, nothing stored, nothing queued', async () => {
    world = await start();
    const w = world;
    await w.regos?.faults.setOffline(true);
    const id = randomUUID();
    await expect(confirm(w, id)).rejects.toMatchObject({ code: 'regos.offline', message: expect.stringMatching(/REGOS VCR недоступен/) });
    expect(w.app.store.get(id)).toBeNull();
    expect(w.app.outbox.list()).toHaveLength(0);
    await w.regos?.faults.setOffline(false);
    expect(refundsIn(w)).toHaveLength(0);
  });

  it('answer to Receipt.Refund lost: Receipt.GetInfo finds it by code, one receipt', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
    const r = await confirm(w);
    expect(r.state).toBe('synced');
    expect(refundsIn(w)).toHaveLength(1);
    expect(refundsIn(w)[0]?.code).toBe(r.id);
    expect(w.regos?.requests.filter((q) => q.rpcMethod === 'Receipt.Refund')).toHaveLength(1);
  });

  it('the same refund id confirmed twice: one VCR receipt', async () => {
    world = await start();
    const w = world;
    const id = randomUUID();
    const [a, b] = await Promise.all([confirm(w, id), confirm(w, id)]);
    expect([a.state, b.state]).toEqual(['synced', 'synced']);
    expect(refundsIn(w)).toHaveLength(1);
  });

  it('VCR answers HTTP 500: nothing registered, the refund fails with "repeat it", never "will retry by itself"', async () => {
    world = await start();
    const w = world;
    w.regos?.faults.failNext(1, { status: 500, match: { rpcMethod: 'Receipt.Refund' } });
    const id = randomUUID();
    const r = await confirm(w, id);
    expect(r.state).toBe('failed');
    expect(r.reason).toMatch(/возврат не оформлен.*Повторите/);
    expect(r.reason).not.toMatch(/повторит сама/);
    expect(refundsIn(w)).toHaveLength(0);
    expect((await confirm(w)).state).toBe('synced');
  });

  for (const uniqueCodeCheck of [true, false]) {
    const check = uniqueCodeCheck ? 'duplicate-code check on' : 'duplicate-code check off';

    it(`${check}: answer lost and Receipt.GetInfo fails too: no resend; the refund waits and the recheck settles it, one receipt`, async () => {
      world = await start(uniqueCodeCheck);
      const w = world;
      w.regos?.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
      w.regos?.faults.dropNext(1, { rpcMethod: 'Receipt.GetInfo' });
      const id = randomUUID();
      const r = await confirm(w, id);
      // Honest: pending, with what the cashier does now.
      expect(r).toMatchObject({ state: 'fiscalizing', reason: expect.stringMatching(/REGOS VCR не ответил.*Не оформляйте этот возврат заново/s) });
      await until('settled by the recheck', () => w.app.saga.get(id).state !== 'fiscalizing');
      expect(w.app.saga.get(id).state).toBe('synced');
      expect(refundsIn(w).map((x) => x.code)).toEqual([id]);
      expect(refundCalls(w)).toHaveLength(1);
      expect(w.app.recoveredEvents.map((x) => [x.id, x.recovered, x.state])).toEqual([[id, 'background', 'synced']]);
    });

    it(`${check}: request dropped before VCR saw it: Receipt.GetInfo says "not registered", the one resend registers it once`, async () => {
      world = await start(uniqueCodeCheck);
      const w = world;
      w.regos?.faults.dropNext(1, { rpcMethod: 'Receipt.Refund' });
      const id = randomUUID();
      expect((await confirm(w, id)).state).toBe('synced');
      expect(refundsIn(w).map((x) => x.code)).toEqual([id]);
      expect(refundCalls(w)).toHaveLength(2);
    });

    it(`${check}: answer lost, and "Повторить" while VCR still cannot say: asks again, never resends`, async () => {
      world = await start(uniqueCodeCheck, 60_000);
      const w = world;
      w.regos?.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
      w.regos?.faults.dropNext(2, { rpcMethod: 'Receipt.GetInfo' });
      const id = randomUUID();
      expect((await confirm(w, id)).state).toBe('fiscalizing');
      expect((await confirm(w, id)).state).toBe('fiscalizing');
      expect(refundCalls(w)).toHaveLength(1);
      // VCR answers the third question: the refund is registered, once.
      expect((await confirm(w, id)).state).toBe('synced');
      expect(refundsIn(w).map((x) => x.code)).toEqual([id]);
      expect(refundCalls(w)).toHaveLength(1);
    });

    it(`${check}: dropped and unanswered, then VCR says "not registered": failed in the background, lines refundable again, nothing registered`, async () => {
      world = await start(uniqueCodeCheck);
      const w = world;
      w.regos?.faults.dropNext(1, { rpcMethod: 'Receipt.Refund' });
      w.regos?.faults.dropNext(1, { rpcMethod: 'Receipt.GetInfo' });
      const id = randomUUID();
      expect((await confirm(w, id)).state).toBe('fiscalizing');
      await until('settled by the recheck', () => w.app.saga.get(id).state !== 'fiscalizing');
      expect(w.app.saga.get(id)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/не зарегистрирован/) });
      expect(refundsIn(w)).toHaveLength(0);
      expect(refundCalls(w)).toHaveLength(1);
      const sale = await w.app.finder.get({ source: 'regos', id: SALE_CODE });
      expect(sale.lines[0]?.refundedMilli).toBe(0);
    });
  }
});
