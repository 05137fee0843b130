import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { immediateTransaction } from '../../../main/queue/database';
import { SESSION_TYPE } from '../../../main/backends/lifepos/schemas';
import type { Refund, RefundLineRequest } from '../../../preload/contract';
import { buildDeal, type BuiltDeal } from './fixtures';
import { startWorld, type World } from './world';

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

async function until(what: string, check: () => boolean, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The printer's power comes back and the app starts again; recovery runs as at start-up. */
async function powerOnAndRestart(w: World): Promise<void> {
  w.fiscal.device.link.powerOn();
  await w.restartApp();
  await w.app.saga.recoverPending();
}

const fast = { driverTimeouts: { enqMs: 80, ackMs: 120, answerMs: 1_500 } };

describe('refund receipts across power cuts, paper breaks and restarts', () => {
  it('power cut mid-receipt: the refund waits in fiscalizing; after restart recovery prints it once', async () => {
    const d = deal(11);
    world = await startWorld({ deals: [d], rig: fast });
    const w = world;
    await confirm(w, deal(11), [{ lineId: d.deal.positions[0]?.guid ?? '', quantityMilli: 1000 }]).catch(() => undefined);
    w.fiscal.setFault({ powerLoss: { afterPositions: 2 } });
    const id = randomUUID();
    await expect(confirm(w, d, all(d).slice(1), id)).rejects.toMatchObject({ code: 'refund.printer_lost', retry: 'unknown-outcome' });
    expect(w.app.saga.get(id)).toMatchObject({ state: 'fiscalizing', reason: expect.stringMatching(/Не пробивайте возврат повторно/) });
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
    world = await startWorld({ deals: [d], rig: fast });
    const w = world;
    w.fiscal.setFault({ powerLoss: 'afterCloseFiscalized' });
    const id = randomUUID();
    await expect(confirm(w, d, all(d), id)).rejects.toMatchObject({ code: 'refund.printer_lost' });
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
    world = await startWorld({ deals: [d], rig: { driverTimeouts: { paperPollMs: 20 } } });
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

  it('printer unreachable at confirm: nothing was sent, so the refund fails with a reason instead of hanging in confirmed', async () => {
    const d = deal(14);
    world = await startWorld({ deals: [d], rig: fast });
    const w = world;
    w.fiscal.setFault({ powerLoss: 'now' });
    const id = randomUUID();
    await expect(confirm(w, d, all(d), id)).rejects.toMatchObject({ retry: 'transient' });
    const r = w.app.saga.get(id);
    expect(r.state).toBe('failed');
    expect(r.reason).toMatch(/Чек не напечатан/);
    // The money did not go back: the cashier can make the refund again once the printer answers.
    w.fiscal.device.link.powerOn();
    const again = await confirm(w, d);
    expect(again.state).toBe('fiscalized');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
  });

  it('app killed between confirmed and fiscalizing: recovery prints the confirmed refund once', async () => {
    const d = deal(15);
    world = await startWorld({ deals: [d], rig: fast });
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
    world = await startWorld({ deals: [a, b], rig: fast });
    const w = world;
    w.fiscal.setFault({ powerLoss: { afterPositions: 3 } });
    const idA = randomUUID();
    await expect(confirm(w, a, all(a), idA)).rejects.toMatchObject({ code: 'refund.printer_lost' });
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
    world = await startWorld({ deals: [d], rig: fast });
    const w = world;
    w.fiscal.setFault({ powerLoss: 'afterCloseFiscalized' });
    const id = randomUUID();
    await expect(confirm(w, d, [{ lineId: d.deal.positions[0]?.guid ?? '', quantityMilli: 2000 }], id)).rejects.toMatchObject({ code: 'refund.printer_lost' });
    await powerOnAndRestart(w);
    await w.app.settled();
    expect(w.app.saga.get(id).state).toBe('synced');
    expect(w.lifepos.state.deals.get(d.deal.guid)?.payment_status).toBe('PartiallyRefunded');
  });

  // Known driver defect (main/fiscal/driver.ts, reported): the device loses the open receipt in a power
  // cut and is back before the driver gives up resending the position; the resent position opens a new
  // receipt, the driver goes on and closes it with the full tenders. The ФН then holds a receipt with
  // some of the lines. The saga notices the total and sends the refund to review, but the partial
  // receipt is fiscal. Marked `fails` until the driver checks the receipt's operation count before close.
  it('power back within the resend window after a cut mid-receipt: no partial receipt is fiscalized', async () => {
    const d = deal(18);
    world = await startWorld({ deals: [d], rig: fast });
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
