import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SESSION_TYPE } from '../../../main/backends/lifepos/schemas';
import type { Refund, RefundLineRequest } from '../../../preload/contract';
import { buildDeal, type BuiltDeal } from './fixtures';
import { type Progress } from './testApp';
import { startWorld, type World } from './world';

/**
 * Issue 20: one refund larger than a receipt is printed as several, exactly once across them. The
 * emulated ФН's state file counts the receipts; faults are set at the moment the app announces a
 * receipt (the refund.progress event), so they hit receipt k, not whichever comes first.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * The driver's own timeouts (not the shortened ones of printerRecovery): with an ACK timeout of 120 ms on
 * a loaded machine one FF46 was once registered twice in a receipt (late NAKs to timed-out ENQs read as
 * "command not held"; fixed in the transport and reproduced in transport.test.ts, PROTOCOL.md §Link).
 */
const timeouts = { paperPollMs: 20 };

/** A wholesale sale of `lines` one-position lines, part of it paid by card. */
const wholesale = (n: number, lines = 250): BuiltDeal => buildDeal(n, {
  lines: Array.from({ length: lines }, (_, i) => ({ name: `Опт ${n}-${i + 1}`, quantityMilli: 3000, priceKopecks: 1_001 + i * 7 })),
  cardKopecks: 123_457,
});
const all = (d: BuiltDeal): RefundLineRequest[] => d.deal.positions.map((p) => ({ lineId: p.guid, quantityMilli: p.quantity }));
const reversals = (w: World, d: BuiltDeal) => (w.lifepos.state.sessions.get(d.deal.guid) ?? []).filter((s) => s.type_of === SESSION_TYPE.reversal);

function confirm(w: World, d: BuiltDeal, refundId = randomUUID()): Promise<Refund> {
  return w.app.saga.confirm({ refundId, sale: { source: 'lifepos', id: d.deal.guid }, lines: all(d), cardRrns: d.cardPart ? { [d.cardPart]: '412345678901' } : {} });
}

/** Runs `act` once, the moment the app announces a message starting with `prefix` (synchronously, before the next device command). */
function when(w: World, prefix: string, act: () => void): void {
  let done = false;
  w.app.services.bus.onAny((name, payload) => {
    if (done || name !== 'refund.progress' || !(payload as Progress).message.startsWith(prefix)) return;
    done = true;
    act();
  });
}

/** The ФН holds the refund exactly once: three receipts of whole lines, each balanced, in line order. */
function expectPrintedOnce(w: World, d: BuiltDeal, r: Refund): void {
  const inFn = w.refundReceiptsInFn();
  expect(inFn.map((x) => x.positions?.length)).toEqual([100, 100, 50]);
  expect(inFn.flatMap((x) => x.positions?.map((p) => p.name) ?? [])).toEqual(d.deal.positions.map((p) => p.name));
  for (const x of inFn) expect((x.payments ?? []).reduce((s, p) => s + p, 0)).toBe(x.totalMinor);
  expect(inFn.reduce((s, x) => s + (x.totalMinor ?? 0), 0)).toBe(r.totalMinor);
  expect(r.receipts?.map((x) => x.number)).toEqual(inFn.map((x) => x.number));
  expect(r.fiscal?.number).toBe(inFn[0]?.number);
}

/** One reversal session for the whole refund, carrying every receipt (main/backends/README.md). */
function expectOneSession(w: World, d: BuiltDeal, r: Refund): void {
  const sessions = reversals(w, d);
  expect(sessions).toHaveLength(1);
  const receipt = sessions[0]?.receipt as { fiscal_document_number: number; total_sum: { value: number }; receipts: { fiscal_document_number: number; total_sum: { value: number } }[] };
  expect(receipt.fiscal_document_number).toBe(r.receipts?.[0]?.number);
  expect(receipt.total_sum.value).toBe(r.totalMinor);
  expect(receipt.receipts.map((x) => x.fiscal_document_number)).toEqual(r.receipts?.map((x) => x.number));
  expect(receipt.receipts.map((x) => x.total_sum.value)).toEqual(w.refundReceiptsInFn().map((x) => x.totalMinor));
}

describe('one refund, as many receipts as the device needs', () => {
  it('250 lines: three receipts in order, "чек 2 из 3" announced, one refund and one LIFE POS session', async () => {
    const d = wholesale(201);
    world = await startWorld({ deals: [d], driverTimeouts: timeouts });
    const w = world;
    const preview = await w.app.saga.preview({ source: 'lifepos', id: d.deal.guid }, all(d));
    expect(preview.notices.map((n) => n.text)).toContain('Возврат напечатается 3 чеками подряд (в одном чеке не больше 100 позиций): это один возврат, деньги выдайте после последнего чека.');
    const r = await confirm(w, d);
    expect(r).toMatchObject({ state: 'fiscalized', receiptCount: 3 });
    expectPrintedOnce(w, d, r);
    const messages = w.app.progress.filter((p) => p.refundId === r.id).map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining(['Печать чека 1 из 3…', 'Печать чека 2 из 3…', 'Печать чека 3 из 3…']));
    expect(messages.indexOf('Печать чека 2 из 3…')).toBeLessThan(messages.indexOf('Печать чека 3 из 3…'));
    await w.app.settled();
    const done = w.app.saga.get(r.id);
    expect(done.state).toBe('synced');
    expectOneSession(w, d, done);
    expect(w.lifepos.state.deals.get(d.deal.guid)?.payment_status).toBe('Refunded');
  });

  it('power cut between receipts 1 and 2: receipt 1 stays, the refund cannot be cancelled, it resumes at receipt 2 when the printer answers', async () => {
    const d = wholesale(202);
    world = await startWorld({ deals: [d], driverTimeouts: timeouts });
    const w = world;
    const first = randomUUID();
    when(w, 'Чек 1 из 3 напечатан', () => w.fiscal.setFault({ powerLoss: 'now' }));
    const r = await confirm(w, d, first);
    expect(r).toMatchObject({ state: 'fiscalizing', reason: expect.stringMatching(/Напечатано чеков: 1 из 3.*Принтер не отвечает/s) });
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    await expect(w.app.handlers['refunds.cancel']({ id: first })).rejects.toMatchObject({ code: 'refund.not_cancellable' });
    w.fiscal.device.link.powerOn();
    await w.app.saga.recoverPending();
    await w.app.settled();
    const done = w.app.saga.get(first);
    expect(done.state).toBe('synced');
    expectPrintedOnce(w, d, done);
    expectOneSession(w, d, done);
  });

  it('paper runs out in receipt 2: it completes once paper is back, nothing printed twice', async () => {
    const d = wholesale(203);
    world = await startWorld({ deals: [d], driverTimeouts: timeouts });
    const w = world;
    when(w, 'Печать чека 2 из 3…', () => w.fiscal.setFault({ paperOutAfterPositions: 37 }));
    const off = w.app.printer.onState((s) => {
      if (s.state === 'paperOut') w.fiscal.setFault({ paper: 'ok' });
    });
    const r = await confirm(w, d);
    off();
    expect(r.state).toBe('fiscalized');
    expectPrintedOnce(w, d, r);
  });

  it('power cut inside receipt 2, then the app restarts (a new services instance on the same data): receipt 2 is judged by the device, printed once, then receipt 3', async () => {
    const d = wholesale(204);
    world = await startWorld({ deals: [d], driverTimeouts: timeouts });
    const w = world;
    when(w, 'Печать чека 2 из 3…', () => w.fiscal.setFault({ powerLoss: { afterPositions: 40 } }));
    const id = randomUUID();
    expect(await confirm(w, d, id)).toMatchObject({ state: 'fiscalizing', reason: expect.stringMatching(/Не пробивайте возврат повторно/) });
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    w.fiscal.device.link.powerOn();
    await w.restartApp();
    await w.app.saga.recoverPending();
    await w.app.settled();
    const done = w.app.saga.get(id);
    expect(done.state).toBe('synced');
    expectPrintedOnce(w, d, done);
    expectOneSession(w, d, done);
    expect(w.app.recoveredEvents.map((x) => [x.id, x.recovered])).toEqual([[id, 'restart']]);
  });

  it('power cut right after receipt 2 was fiscalized (its answer lost), then a restart: receipt 2 is found in the ФН, never printed again', async () => {
    const d = wholesale(205);
    world = await startWorld({ deals: [d], driverTimeouts: timeouts });
    const w = world;
    when(w, 'Печать чека 2 из 3…', () => w.fiscal.setFault({ powerLoss: 'afterCloseFiscalized' }));
    const id = randomUUID();
    expect((await confirm(w, d, id)).state).toBe('fiscalizing');
    expect(w.refundReceiptsInFn()).toHaveLength(2);
    w.fiscal.device.link.powerOn();
    await w.restartApp();
    await w.app.saga.recoverPending();
    await w.app.settled();
    const done = w.app.saga.get(id);
    expect(done.state).toBe('synced');
    expectPrintedOnce(w, d, done);
    expectOneSession(w, d, done);
  });
});
