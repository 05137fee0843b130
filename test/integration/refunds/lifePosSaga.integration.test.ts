import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { isAppError } from '../../../main/appError';
import { LIFEPOS_JOB, jobKey } from '../../../main/refunds/lifePosJobs';
import { ReceiptData, SESSION_TYPE } from '../../../main/backends/lifepos/schemas';
import type { Refund, RefundLineRequest } from '../../../preload/contract';
import { buildDeal, type BuiltDeal } from './fixtures';
import { startWorld, type World } from './world';

/**
 * The LIFE POS refund saga end to end: real SQLite file, LIFE POS emulator on 127.0.0.1, the fiscal
 * emulator on a socat pty. What the ФН holds and what the emulator holds are the judges, not the app.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const groceries = (n: number, card = 0): BuiltDeal => buildDeal(n, {
  lines: [
    { name: 'Молоко 3,2 % 1 л', quantityMilli: 3000, priceKopecks: 8990, tax: 'vat10' },
    { name: 'Сыр весовой', quantityMilli: 1254, priceKopecks: 129990, tax: 'vat10' },
    { name: 'Шампунь 400 мл', quantityMilli: 1000, priceKopecks: 34901 },
  ],
  cardKopecks: card,
});

const all = (d: BuiltDeal): RefundLineRequest[] => d.deal.positions.map((p) => ({ lineId: p.guid, quantityMilli: p.quantity }));
const reversals = (w: World, d: BuiltDeal) => (w.lifepos.state.sessions.get(d.deal.guid) ?? []).filter((s) => s.type_of === SESSION_TYPE.reversal);

async function confirm(w: World, d: BuiltDeal, lines: RefundLineRequest[], cardRrns: Record<string, string> = {}, refundId = randomUUID()): Promise<Refund> {
  return w.app.saga.confirm({ refundId, sale: { source: 'lifepos', id: d.deal.guid }, lines, cardRrns });
}

async function until(what: string, check: () => boolean, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('LIFE POS refund saga', () => {
  it('full refund: fiscalized, then the three jobs reach LIFE POS and the refund is synced', async () => {
    const deal = groceries(1, 20_000);
    world = await startWorld({ deals: [deal] });
    const w = world;
    const refund = await confirm(w, deal, all(deal), { [deal.cardPart ?? '']: '123456789012' });
    expect(refund.state).toBe('fiscalized');
    expect(refund.totalMinor).toBe(deal.deal.total_sum.value);
    expect(refund.tenders.reduce((s, t) => s + t.amountMinor, 0)).toBe(refund.totalMinor);
    await w.app.settled();

    const receipts = w.refundReceiptsInFn();
    expect(receipts).toHaveLength(1);
    const receipt = receipts[0];
    expect(receipt?.totalMinor).toBe(refund.totalMinor);
    expect(receipt?.positions?.map((p) => p.amountMinor)).toEqual(deal.deal.positions.map((p) => p.total_sum.value));
    expect(receipt?.payments?.slice(0, 2)).toEqual([refund.totalMinor - 20_000, 20_000]);

    const jobs = w.app.outbox.list();
    expect(jobs.map((j) => [j.kind, j.state])).toEqual([
      [LIFEPOS_JOB.create, 'done'], [LIFEPOS_JOB.receipt, 'done'], [LIFEPOS_JOB.status, 'done'],
    ]);
    const [session, ...more] = reversals(w, deal);
    expect(more).toHaveLength(0);
    expect(session?.external_id).toBe(refund.id);
    expect(session?.receipt).toMatchObject({ fiscal_document_number: receipt?.number, fiscal_sign: String(receipt?.fiscalSign), total_sum: { value: refund.totalMinor } });
    expect(session?.total_sum.value).toBe(refund.totalMinor);
    expect(session?.payment_parts.find((p) => p.type_of === 'Card')?.transactions?.[0]?.rrn).toBe('123456789012');
    expect(w.lifepos.state.deals.get(deal.deal.guid)?.payment_status).toBe('Refunded');
    expect(w.app.saga.get(refund.id).state).toBe('synced');
    expect(w.app.progress.filter((p) => p.refundId === refund.id).map((p) => p.state)).toEqual(['confirmed', 'fiscalizing', 'fiscalized', 'synced']);
  });

  it('partial refund, then the rest: no kopeck lost, PartiallyRefunded then Refunded', async () => {
    const deal = buildDeal(2, { lines: [{ name: 'Батарейки AA, уп.', quantityMilli: 3000, priceKopecks: 3333 }, { name: 'Кабель USB-C', quantityMilli: 1000, priceKopecks: 49999 }] });
    world = await startWorld({ deals: [deal] });
    const w = world;
    const [batteries, cable] = deal.deal.positions;
    if (!batteries || !cable) throw new Error('fixture');
    const first = await confirm(w, deal, [{ lineId: batteries.guid, quantityMilli: 1000 }]);
    await w.app.settled();
    expect(w.lifepos.state.deals.get(deal.deal.guid)?.payment_status).toBe('PartiallyRefunded');
    const sale = await w.app.finder.get({ source: 'lifepos', id: deal.deal.guid });
    expect(sale.lines[0]).toMatchObject({ refundedMilli: 1000, refundedMinor: first.totalMinor, refundableMilli: 2000 });
    const second = await confirm(w, deal, [{ lineId: batteries.guid, quantityMilli: 2000 }, { lineId: cable.guid, quantityMilli: 1000 }]);
    await w.app.settled();
    expect(first.totalMinor + second.totalMinor).toBe(deal.deal.total_sum.value);
    expect(w.lifepos.state.deals.get(deal.deal.guid)?.payment_status).toBe('Refunded');
    expect(w.refundReceiptsInFn().map((r) => r.totalMinor)).toEqual([first.totalMinor, second.totalMinor]);
    expect(reversals(w, deal).map((s) => s.total_sum.value)).toEqual([first.totalMinor, second.totalMinor]);
    const after = await w.app.finder.get({ source: 'lifepos', id: deal.deal.guid });
    expect(after.lines.every((l) => l.refundableMilli === 0)).toBe(true);
  });

  it('refuses an over-refund in Russian and prints nothing', async () => {
    const deal = groceries(3);
    world = await startWorld({ deals: [deal] });
    const w = world;
    const milk = deal.deal.positions[0];
    if (!milk) throw new Error('fixture');
    await confirm(w, deal, [{ lineId: milk.guid, quantityMilli: 2000 }]);
    const refused = confirm(w, deal, [{ lineId: milk.guid, quantityMilli: 1500 }]);
    await expect(refused).rejects.toMatchObject({ code: 'refund.over_refund', message: '«Молоко 3,2 % 1 л»: можно вернуть не больше 1' });
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(w.app.saga.list(undefined, 10)).toHaveLength(1);
  });

  it('refuses a card part without the terminal RRN, stores and prints nothing', async () => {
    const deal = groceries(4, 50_000);
    world = await startWorld({ deals: [deal] });
    const w = world;
    const id = randomUUID();
    await expect(confirm(w, deal, all(deal), {}, id)).rejects.toMatchObject({ code: 'refund.rrn_missing', message: expect.stringMatching(/RRN/) });
    expect(w.app.store.get(id)).toBeNull();
    expect(w.refundReceiptsInFn()).toHaveLength(0);
  });

  it('LIFE POS offline at confirm: receipt printed at once, jobs wait, synced when LIFE POS is back', async () => {
    const deal = groceries(5);
    world = await startWorld({ deals: [deal] });
    const w = world;
    await w.app.finder.get({ source: 'lifepos', id: deal.deal.guid });
    await w.lifepos.faults.setOffline(true);
    await w.app.monitor.checkNow('lifepos');
    const preview = await w.app.saga.preview({ source: 'lifepos', id: deal.deal.guid }, all(deal));
    expect(preview.notices.map((n) => n.text).join(' ')).toMatch(/LIFE POS недоступен/);
    const refund = await confirm(w, deal, all(deal));
    expect(refund.state).toBe('fiscalized');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(w.app.outbox.list({ state: 'pending' })).toHaveLength(3);
    await w.lifepos.faults.setOffline(false);
    await until('synced', () => w.app.saga.get(refund.id).state === 'synced');
    expect(reversals(w, deal)).toHaveLength(1);
    expect(w.refundReceiptsInFn()).toHaveLength(1);
  });

  it('create-session answer lost: the retry finds the session by external_id, exactly one session', async () => {
    const deal = groceries(6);
    world = await startWorld({ deals: [deal] });
    const w = world;
    w.lifepos.faults.loseResponseNext(1, { method: 'POST', pathIncludes: '/sessions/reversal' });
    const refund = await confirm(w, deal, all(deal));
    await w.app.settled();
    expect(w.app.saga.get(refund.id).state).toBe('synced');
    expect(reversals(w, deal)).toHaveLength(1);
    expect(w.app.outbox.get(jobKey(refund.id, 'create'))?.attempts).toBe(2);
    expect(w.lifepos.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sessions/reversal'))).toHaveLength(1);
  });

  it('500 and 429 with Retry-After on the receipt PATCH: retried, one effect, Retry-After honoured', async () => {
    const deal = groceries(7);
    world = await startWorld({ deals: [deal] });
    const w = world;
    w.lifepos.faults.failNext(1, { status: 500, match: { method: 'PATCH', pathIncludes: '/sessions/reversal/' } });
    w.lifepos.faults.rateLimitNext(1, 1, { method: 'PATCH', pathIncludes: '/sessions/reversal/' });
    const started = Date.now();
    const refund = await confirm(w, deal, all(deal));
    await w.app.settled();
    expect(w.app.saga.get(refund.id).state).toBe('synced');
    const patches = w.lifepos.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/sessions/reversal/'));
    expect(patches).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(w.app.outbox.get(jobKey(refund.id, 'receipt'))?.attempts).toBe(3);
    const [session] = reversals(w, deal);
    expect(ReceiptData.nullish().parse(session?.receipt)?.total_sum.value).toBe(refund.totalMinor);
    expect(reversals(w, deal)).toHaveLength(1);
  });

  it('the same refundId confirmed twice (double Enter, retried request): one refund, one receipt', async () => {
    const deal = groceries(8);
    world = await startWorld({ deals: [deal] });
    const w = world;
    const id = randomUUID();
    const [a, b] = await Promise.allSettled([confirm(w, deal, all(deal), {}, id), confirm(w, deal, all(deal), {}, id)]);
    const again = await confirm(w, deal, all(deal), {}, id);
    expect(again.id).toBe(id);
    for (const r of [a, b]) {
      if (r.status === 'rejected') throw new Error(`a double confirm must not fail: ${isAppError(r.reason) ? `${r.reason.code}: ${r.reason.message}` : String(r.reason)}`);
      expect(r.value.id).toBe(id);
    }
    await w.app.settled();
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(reversals(w, deal)).toHaveLength(1);
  });

  it('offline: a sale seen before is found locally, and its unsynced refunds count (no refunding twice)', async () => {
    const deal = groceries(9);
    world = await startWorld({ deals: [deal], app: { startWorker: false } });
    const w = world;
    const found = await w.app.finder.find(deal.deal.number);
    expect(found.remainderFromLocalOnly).toBe(false);
    await w.lifepos.faults.setOffline(true);
    const [milk, cheese] = deal.deal.positions;
    if (!milk || !cheese) throw new Error('fixture');
    const offline = await w.app.finder.find(deal.deal.number);
    expect(offline.remainderFromLocalOnly).toBe(true);
    const preview = await w.app.saga.preview(offline.ref, [{ lineId: milk.guid, quantityMilli: 1000 }]);
    expect(preview.notices.map((n) => n.text).join(' ')).toMatch(/Нет связи с сервером/);
    const first = await confirm(w, deal, [{ lineId: milk.guid, quantityMilli: 3000 }, { lineId: cheese.guid, quantityMilli: 254 }]);
    expect(first.state).toBe('fiscalized');
    const after = await w.app.finder.get(offline.ref);
    expect(after.lines[0]).toMatchObject({ refundedMilli: 3000, refundableMilli: 0 });
    expect(after.lines[1]).toMatchObject({ refundedMilli: 254, refundableMilli: 1000 });
    await expect(confirm(w, deal, [{ lineId: milk.guid, quantityMilli: 1 }])).rejects.toMatchObject({ code: 'refund.over_refund', message: expect.stringContaining('уже возвращено полностью') });
    await expect(confirm(w, deal, [{ lineId: cheese.guid, quantityMilli: 1001 }])).rejects.toMatchObject({ code: 'refund.over_refund' });
    // Back online: the server knows the refund by its external_id, and it is not counted twice.
    await w.lifepos.faults.setOffline(false);
    w.app.worker.start();
    await w.app.settled();
    const synced = await w.app.finder.get(offline.ref);
    expect(synced.remainderFromLocalOnly).toBe(false);
    expect(synced.lines[1]).toMatchObject({ refundedMilli: 254, refundableMilli: 1000 });
    expect(synced.payments[0]?.refundedMinor).toBe(first.totalMinor);
  });
});
