import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { immediateTransaction } from '../../../main/queue/database';
import { SESSION_TYPE } from '../../../main/backends/lifepos/schemas';
import type { Refund, RefundLineRequest } from '../../../preload/contract';
import { buildDeal, type BuiltDeal } from './fixtures';
import { until } from './testApp';
import { startWorld, type World, type WorldOptions } from './world';

/**
 * The printer half of the saga under power cuts, paper breaks and app restarts. The emulated ФН's
 * state file counts the receipts: a refund is printed exactly once or the test fails.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const deal = (n: number, lines = 4): BuiltDeal => buildDeal(n, {
  lines: Array.from({ length: lines }, (_, i) => ({ name: `Товар ${n}-${i + 1}`, quantityMilli: 3000, priceKopecks: 10_001 + i * 37 })),
});
const all = (d: BuiltDeal): RefundLineRequest[] => d.deal.positions.map((p) => ({ lineId: p.guid, quantityMilli: p.quantity }));
const reversals = (w: World, d: BuiltDeal) => (w.lifepos.state.sessions.get(d.deal.guid) ?? []).filter((s) => s.type_of === SESSION_TYPE.reversal);

function confirm(w: World, d: BuiltDeal, lines = all(d), refundId = randomUUID()): Promise<Refund> {
  return w.app.saga.confirm({ refundId, sale: { source: 'lifepos', id: d.deal.guid }, lines, cardRrns: {} });
}


/** The printer's power comes back and the app starts again; recovery runs as at start-up. */
async function powerOnAndRestart(w: World): Promise<void> {
  w.fiscal.device.link.powerOn();
  await w.restartApp();
  await w.app.saga.recoverPending();
}

const fast = { enqMs: 80, ackMs: 120, answerMs: 1_500 };

/** A world whose printer is off when the refund of the whole sale is confirmed: the refund waits. */
async function confirmedWithPrinterOff(n: number, app: WorldOptions['app'] = {}): Promise<{ w: World; d: BuiltDeal; id: ReturnType<typeof randomUUID> }> {
  const d = deal(n);
  world = await startWorld({ deals: [d], driverTimeouts: fast, app });
  const w = world;
  w.fiscal.setFault({ powerLoss: 'now' });
  const id = randomUUID();
  expect(await confirm(w, d, all(d), id)).toMatchObject({ state: 'confirmed', reason: expect.stringMatching(/Принтер не отвечает.*напечатается сам.*второй чек не напечатается/s) });
  return { w, d, id };
}

describe('refund receipts across power cuts, paper breaks and restarts', () => {
  it('power cut mid-receipt: the refund waits in fiscalizing; after restart recovery prints it once', async () => {
    const d = deal(11);
    world = await startWorld({ deals: [d], driverTimeouts: fast });
    const w = world;
    await confirm(w, deal(11), [{ lineId: d.deal.positions[0]?.guid ?? '', quantityMilli: 1000 }]).catch(() => undefined);
    w.fiscal.setFault({ powerLoss: { afterPositions: 2 } });
    const id = randomUUID();
    // The confirm answers the refund's real state: pending, with what the cashier does now.
    expect(await confirm(w, d, all(d).slice(1), id)).toMatchObject({ state: 'fiscalizing', reason: expect.stringMatching(/Не пробивайте возврат повторно/) });
    expect(w.app.saga.get(id)).toMatchObject({ state: 'fiscalizing' });
    // It may be in the ФН: the cashier cannot cancel it.
    await expect(w.app.handlers['refunds.cancel']({ id })).rejects.toMatchObject({ code: 'refund.not_cancellable', message: expect.stringMatching(/чек мог дойти до принтера/) });
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    await powerOnAndRestart(w);
    await w.app.settled();
    const r = w.app.saga.get(id);
    expect(r.state).toBe('synced');
    const receipts = w.refundReceiptsInFn();
    expect(receipts).toHaveLength(2);
    expect(receipts[1]?.totalMinor).toBe(r.totalMinor);
    expect(r.fiscal?.number).toBe(receipts[1]?.number);
    expect(reversals(w, d)).toHaveLength(2);
  });

  it('power cut right after the close was fiscalized: recovery finds the receipt, never prints a second one', async () => {
    const d = deal(12);
    world = await startWorld({ deals: [d], driverTimeouts: fast });
    const w = world;
    w.fiscal.setFault({ powerLoss: 'afterCloseFiscalized' });
    const id = randomUUID();
    expect((await confirm(w, d, all(d), id)).state).toBe('fiscalizing');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    await powerOnAndRestart(w);
    await w.app.settled();
    const r = w.app.saga.get(id);
    expect(r.state).toBe('synced');
    const receipts = w.refundReceiptsInFn();
    expect(receipts).toHaveLength(1);
    expect(r.fiscal).toMatchObject({ number: receipts[0]?.number, fiscalSign: String(receipts[0]?.fiscalSign) });
    expect(reversals(w, d)[0]?.receipt?.fiscal_document_number).toBe(receipts[0]?.number);
  });

  it('paper runs out mid-receipt: the receipt completes once paper is back, nothing printed twice', async () => {
    const d = deal(13);
    world = await startWorld({ deals: [d], driverTimeouts: { paperPollMs: 20 } });
    const w = world;
    w.fiscal.setFault({ paperOutAfterPositions: 2 });
    const off = w.app.printer.onState((s) => {
      if (s.state === 'paperOut') w.fiscal.setFault({ paper: 'ok' });
    });
    const r = await confirm(w, d);
    off();
    expect(r.state).toBe('fiscalized');
    const receipts = w.refundReceiptsInFn();
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.positions).toHaveLength(4);
    expect(receipts[0]?.totalMinor).toBe(r.totalMinor);
  });

  it('printer off at confirm: the refund waits (not failed), its lines stay taken, and it prints by itself once the printer answers', async () => {
    const { w, d, id } = await confirmedWithPrinterOff(14);
    // The money has not gone back yet, but it will: nobody may refund these lines again meanwhile.
    const sale = await w.app.handlers['sales.get']({ ref: { source: 'lifepos', id: d.deal.guid } });
    expect(sale.lines.every((l) => l.refundableMilli === 0)).toBe(true);
    w.fiscal.device.link.powerOn();
    // No one presses anything: the printer probe reconnects and the pending refund prints.
    await until('printed by itself', () => w.app.saga.get(id).state !== 'confirmed' && w.app.saga.get(id).state !== 'fiscalizing');
    await w.app.settled();
    expect(w.app.saga.get(id).state).toBe('synced');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(w.app.progress.filter((p) => p.refundId === id).map((p) => p.state)).toEqual(['confirmed', 'confirmed', 'fiscalizing', 'fiscalized', 'synced']);
    // The cashier was watching (same run, no restart): the background print is still told once.
    expect(w.app.recoveredEvents.map((r) => [r.id, r.recovered])).toEqual([[id, 'background']]);
  });

  it('printer off at confirm: "Повторить" with the same id resumes the refund, it does not answer the stored row', async () => {
    const { w, d, id } = await confirmedWithPrinterOff(19, { printerProbeMs: 60_000, pendingRecheckMs: 60_000 });
    // Still off: the retry tries again and says so honestly.
    expect(await confirm(w, d, all(d), id)).toMatchObject({ state: 'confirmed', reason: expect.stringMatching(/Принтер не отвечает/) });
    w.fiscal.device.link.powerOn();
    // The timers are a minute away here: only the retry can have printed it.
    const again = await confirm(w, d, all(d), id);
    expect(again.state).toBe('fiscalized');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(w.refundReceiptsInFn()[0]?.totalMinor).toBe(again.totalMinor);
    // A third press answers the done refund and prints nothing more.
    expect((await confirm(w, d, all(d), id)).state).toMatch(/fiscalized|synced/);
    expect(w.refundReceiptsInFn()).toHaveLength(1);
  });

  it('a refund proven not printed may be cancelled: its lines are refundable again and nothing prints later', async () => {
    const { w, d, id } = await confirmedWithPrinterOff(20);
    const cancelled = await w.app.handlers['refunds.cancel']({ id });
    expect(cancelled).toMatchObject({ state: 'failed', reason: expect.stringMatching(/отменён кассиром/) });
    // A second press changes nothing.
    expect((await w.app.handlers['refunds.cancel']({ id })).state).toBe('failed');
    const sale = await w.app.handlers['sales.get']({ ref: { source: 'lifepos', id: d.deal.guid } });
    expect(sale.lines.map((l) => l.refundableMilli)).toEqual(d.deal.positions.map((p) => p.quantity));
    w.fiscal.device.link.powerOn();
    // The printer answers again; a new refund of the same lines prints, the cancelled one never does.
    const fresh = await confirm(w, d);
    expect(fresh.state).toBe('fiscalized');
    await w.app.saga.recoverPending();
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(w.refundReceiptsInFn()[0]?.totalMinor).toBe(fresh.totalMinor);
    expect(w.app.saga.get(id).state).toBe('failed');
    // A retried confirm of the cancelled refund answers it as it is: nothing is printed for it.
    expect((await confirm(w, d, all(d), id)).state).toBe('failed');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
  });

  it('after a restart, what recovery printed is shown to the cashier once ("после перезапуска")', async () => {
    const { w, id } = await confirmedWithPrinterOff(21);
    await w.restartApp();
    expect(await w.app.handlers['refunds.recovered']({})).toEqual([]);
    w.fiscal.device.link.powerOn();
    await until('printed after the restart', () => w.app.saga.get(id).state === 'fiscalized' || w.app.saga.get(id).state === 'synced');
    const shown = await w.app.handlers['refunds.recovered']({});
    expect(shown.map((r) => [r.id, r.recovered])).toEqual([[id, 'restart']]);
    expect(w.app.recoveredEvents.map((r) => r.id)).toEqual([id]);
    await w.app.handlers['refunds.acknowledge']({ ids: [id] });
    expect(await w.app.handlers['refunds.recovered']({})).toEqual([]);
    await w.restartApp();
    expect(await w.app.handlers['refunds.recovered']({})).toEqual([]);
    expect(w.refundReceiptsInFn()).toHaveLength(1);
  });

  it('the guard: a new receipt waits while an earlier interrupted one cannot be judged yet (equal totals never confused)', async () => {
    const a = deal(22);
    const b = deal(22_000 + 22);
    world = await startWorld({ deals: [a, b], driverTimeouts: fast, app: { pendingRecheckMs: 60_000, printerProbeMs: 60_000 } });
    const w = world;
    // B's sale is seen (kept locally); A's never is, so while LIFE POS is down A cannot be judged.
    await w.app.finder.get({ source: 'lifepos', id: b.deal.guid });
    const status = await w.app.printer.use((driver) => driver.status());
    const idA = randomUUID();
    const totalA = a.deal.total_sum.value;
    // What the saga commits right before sending A's receipt; the app "dies" before it is sent.
    immediateTransaction(w.app.db, () => {
      w.app.store.insertConfirmed({
        id: idA, sale: { source: 'lifepos', id: a.deal.guid }, saleNumber: a.deal.number, currency: 'RUB', totalMinor: totalA,
        lines: a.deal.positions.map((p) => ({ lineId: p.guid, name: p.name, quantityMilli: p.quantity, amountMinor: p.total_sum.value, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' })),
        tenders: [{ paymentPartId: a.sale.payment_parts[0]?.guid ?? '', kind: 'cash', amountMinor: totalA, needsCard: false }],
      });
      w.app.store.setState(idA, 'fiscalizing', { docNumberBefore: status.lastDocumentNumber });
      w.app.store.setReceiptSent(idA, 1, status.lastDocumentNumber);
    });
    await w.lifepos.faults.setOffline(true);
    await w.restartApp();
    const rb = await confirm(w, b, all(b));
    expect(rb.totalMinor).toBe(totalA);
    // Printed now, B's receipt would be judged later as A's (same total): B must wait.
    expect(rb).toMatchObject({ state: 'confirmed', reason: expect.stringMatching(/сначала сверит предыдущий возврат/) });
    expect(w.refundReceiptsInFn()).toHaveLength(0);
    await w.lifepos.faults.setOffline(false);
    await w.app.saga.recoverPending();
    await w.app.settled();
    const [ra, rb2] = [w.app.saga.get(idA), w.app.saga.get(rb.id)];
    expect([ra.state, rb2.state]).toEqual(['synced', 'synced']);
    const receipts = w.refundReceiptsInFn();
    expect(receipts).toHaveLength(2);
    expect(new Set([ra.fiscal?.number, rb2.fiscal?.number])).toEqual(new Set(receipts.map((r) => r.number)));
  });

  it('database deleted after a refund was printed: the same refund confirmed again is refused, nothing prints twice', async () => {
    const d = deal(23, 2);
    world = await startWorld({ deals: [d], driverTimeouts: fast });
    const w = world;
    const id = randomUUID();
    const input = { refundId: id, sale: { source: 'lifepos' as const, id: d.deal.guid }, lines: [{ lineId: d.deal.positions[0]?.guid ?? '', quantityMilli: 1000 }], cardRrns: {} };
    expect((await w.app.handlers['refunds.confirm'](input)).state).toBe('fiscalized');
    await w.app.settled();
    await w.restartApp({ loseDatabase: true });
    // The ФН and LIFE POS still know the refund; the cashier's screen retries it with the same id.
    await expect(w.app.handlers['refunds.confirm'](input)).rejects.toMatchObject({ code: 'refund.printed_before_loss', message: expect.stringMatching(/уже пробит.*Повторно не пробивайте/s) });
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(reversals(w, d)).toHaveLength(1);
    // A new refund of what is left still goes through once the history is whole.
    expect((await confirm(w, d, [{ lineId: d.deal.positions[1]?.guid ?? '', quantityMilli: 1000 }])).state).toBe('fiscalized');
    expect(w.refundReceiptsInFn()).toHaveLength(2);
  });

  it('app killed between confirmed and fiscalizing: recovery prints the confirmed refund once', async () => {
    const d = deal(15);
    world = await startWorld({ deals: [d], driverTimeouts: fast });
    const w = world;
    const sale = await w.app.finder.get({ source: 'lifepos', id: d.deal.guid });
    const preview = await w.app.saga.preview(sale.ref, all(d));
    const id = randomUUID();
    // What the saga commits before it touches the printer; the process "dies" right after.
    immediateTransaction(w.app.db, () => w.app.store.insertConfirmed({ id, sale: sale.ref, saleNumber: sale.number, currency: sale.currency, lines: preview.lines, tenders: preview.tenders, totalMinor: preview.totalMinor }));
    await w.restartApp();
    await w.app.saga.recoverPending();
    await w.app.settled();
    expect(w.app.saga.get(id).state).toBe('synced');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(w.lifepos.state.deals.get(d.deal.guid)?.payment_status).toBe('Refunded');
  });

  it('after a restart a new refund is never printed before an earlier one is reconciled (equal totals cannot be confused)', async () => {
    const a = deal(16);
    const b = deal(16_000 + 16);
    world = await startWorld({ deals: [a, b], driverTimeouts: fast });
    const w = world;
    w.fiscal.setFault({ powerLoss: { afterPositions: 3 } });
    const idA = randomUUID();
    expect((await confirm(w, a, all(a), idA)).state).toBe('fiscalizing');
    w.fiscal.device.link.powerOn();
    await w.restartApp();
    // The first thing after the restart is a new refund of the same amount; recovery runs on connect.
    const rb = await confirm(w, b);
    await until('refund A settled', () => w.app.saga.get(idA).state !== 'fiscalizing' && w.app.saga.get(idA).state !== 'confirmed');
    await w.app.settled();
    const ra = w.app.saga.get(idA);
    expect(ra.totalMinor).toBe(rb.totalMinor);
    expect(ra.state).toBe('synced');
    const receipts = w.refundReceiptsInFn();
    expect(receipts).toHaveLength(2);
    expect(new Set([ra.fiscal?.number, w.app.saga.get(rb.id).fiscal?.number]).size).toBe(2);
  });

  it('a partial refund recovered after a power cut sets PartiallyRefunded, not Refunded', async () => {
    const d = deal(17, 1);
    world = await startWorld({ deals: [d], driverTimeouts: fast });
    const w = world;
    w.fiscal.setFault({ powerLoss: 'afterCloseFiscalized' });
    const id = randomUUID();
    expect((await confirm(w, d, [{ lineId: d.deal.positions[0]?.guid ?? '', quantityMilli: 2000 }], id)).state).toBe('fiscalizing');
    await powerOnAndRestart(w);
    await w.app.settled();
    expect(w.app.saga.get(id).state).toBe('synced');
    expect(w.lifepos.state.deals.get(d.deal.guid)?.payment_status).toBe('PartiallyRefunded');
  });

  // Known driver defect (main/fiscal/shtrih/driver.ts, reported): the device loses the open receipt in a power
  // cut and is back before the driver gives up resending the position; the resent position opens a new
  // receipt, the driver goes on and closes it with the full tenders. The ФН then holds a receipt with
  // some of the lines. The saga notices the total and sends the refund to review, but the partial
  // receipt is fiscal. Marked `fails` until the driver checks the receipt's operation count before close.
  it('power back within the resend window after a cut mid-receipt: no partial receipt is fiscalized', async () => {
    const d = deal(18);
    world = await startWorld({ deals: [d], driverTimeouts: fast });
    const w = world;
    const link = w.fiscal.device.link;
    link.onPowerLost(() => setTimeout(() => link.powerOn(), 20));
    w.fiscal.setFault({ powerLoss: { afterPositions: 2 } });
    const id = randomUUID();
    await confirm(w, d, all(d), id).catch(() => undefined);
    await w.app.saga.recoverPending();
    for (const receipt of w.refundReceiptsInFn()) expect(receipt.positions).toHaveLength(4);
    expect(w.app.saga.get(id).state).not.toBe('review');
  });
});
