import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../main/appError';
import type { Handlers, ManualLine, Refund, Sale } from '../../../preload/contract';
import { rejectionOf } from '../../support/caughtAppError';
import { startWorld, type World } from './world';

/**
 * Issue 14 point 5 through the app's real services: the refund saga over a SQLite file, the fiscal
 * emulator on a pty (its ФН in a state file counts the receipts), the LIFE POS emulator that must hear
 * nothing of it. A refund without a receipt needs a reason and a manager's grant, prints exactly once,
 * and waits out a printer that is off like any refund.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const LINES: ManualLine[] = [
  { name: 'Чайник Scarlett', priceMinor: 149_900, quantityMilli: 1000, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' },
  { name: 'Яблоки, кг', priceMinor: 12_990, quantityMilli: 1_250, vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods' },
];
const TOTAL = 149_900 + Math.round((12_990 * 1_250) / 1000);
const REASON = 'Покупатель потерял чек, товар с ярлыком магазина';
const rejected = (p: Promise<unknown>) => rejectionOf(p, AppError);

async function withManager(h: Handlers): Promise<string> {
  const view = await h['people.add']({ name: 'Смирнова Е.', role: 'manager', pin: '2468' });
  return view.people[0]?.id ?? '';
}
const whole = (sale: Sale) => sale.lines.map((l) => ({ lineId: l.lineId, quantityMilli: l.refundableMilli }));
const confirm = (h: Handlers, sale: Sale, extra: { reason?: string; approvalId?: string; refundId?: string } = {}): Promise<Refund> =>
  h['refunds.confirm']({ refundId: extra.refundId ?? randomUUID(), sale: sale.ref, lines: whole(sale), cardRrns: {}, ...(extra.reason ? { reason: extra.reason } : {}), ...(extra.approvalId ? { approvalId: extra.approvalId } : {}) });

describe('refund without a receipt', () => {
  it('is refused in Russian without a reason and without a manager\'s grant for it; nothing prints', async () => {
    world = await startWorld({ deals: [] });
    const h = world.app.handlers;
    const managerId = await withManager(h);
    const sale = await h['refunds.withoutReceipt']({ lines: LINES, payment: 'cash' });
    expect(sale).toMatchObject({ ref: { source: 'local' }, totalMinor: TOTAL, payments: [{ kind: 'cash', amountMinor: TOTAL }] });

    const noReason = await rejected(confirm(h, sale));
    expect([noReason.code, noReason.message]).toEqual(['refund.reason_required', expect.stringMatching(/^Укажите причину возврата без чека/)]);
    const noGrant = await rejected(confirm(h, sale, { reason: REASON }));
    expect([noGrant.code, noGrant.detail, noGrant.message]).toEqual(['APPROVAL_REQUIRED', 'approval:refundWithoutReceipt', expect.stringMatching(/управляющего: возврат без чека/)]);
    // A grant for another action does not open this one.
    const other = await h['people.approve']({ managerId, pin: '2468', action: 'refundAboveLimit', detail: 'не тот' });
    expect((await rejected(confirm(h, sale, { reason: REASON, approvalId: other.approvalId }))).detail).toBe('approval:refundWithoutReceipt');
    expect(world.refundReceiptsInFn()).toHaveLength(0);
    expect(await h['refunds.list']({ limit: 10 })).toEqual([]);
  });

  it('with a reason and a PIN it prints exactly once, syncs nowhere, and the journal marks it with the reason and the manager', async () => {
    world = await startWorld({ deals: [] });
    const w = world;
    const h = w.app.handlers;
    const managerId = await withManager(h);
    const sale = await h['refunds.withoutReceipt']({ lines: LINES, payment: 'cash' });
    const grant = await h['people.approve']({ managerId, pin: '2468', action: 'refundWithoutReceipt', detail: 'возврат без чека' });
    const refundId = randomUUID();
    const refund = await confirm(h, sale, { reason: REASON, approvalId: grant.approvalId, refundId });
    expect(refund).toMatchObject({ state: 'synced', totalMinor: TOTAL });
    const receipts = w.refundReceiptsInFn();
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.totalMinor).toBe(TOTAL);
    expect(receipts[0]?.positions?.map((p) => p.name)).toEqual(LINES.map((l) => l.name));
    // The same id again (a double Enter, "Повторить") answers the done refund: no second receipt, no second grant.
    expect((await confirm(h, sale, { refundId })).state).toBe('synced');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    // The grant is spent: a second refund without a receipt needs a PIN of its own.
    const again = await h['refunds.withoutReceipt']({ lines: LINES.slice(0, 1), payment: 'cash' });
    expect((await rejected(confirm(h, again, { reason: REASON, approvalId: grant.approvalId }))).code).toBe('APPROVAL_REQUIRED');

    expect(w.app.outbox.list({})).toEqual([]);
    expect(w.lifepos.state.sessions.size).toBe(0);
    const [entry] = await h['journal.list']({});
    expect(entry).toMatchObject({ kind: 'refund', id: refundId, withoutReceipt: true, totalMinor: TOTAL });
    const detail = await h['journal.get']({ kind: 'refund', id: refundId });
    expect(detail).toMatchObject({ kind: 'refund', reason: REASON, approvedBy: 'Смирнова Е.' });
    // The pseudo-sale is no sale to pick from the recent list.
    expect((await h['sales.recent']({})).map((s) => s.ref.id)).not.toContain(sale.ref.id);
  });

  it('power cut mid-receipt: it waits in fiscalizing (not failed) and, after the printer is back and the app restarts, recovery prints it once', async () => {
    world = await startWorld({ deals: [], driverTimeouts: { enqMs: 80, ackMs: 120, answerMs: 1_500 }, app: { printerProbeMs: 60_000, pendingRecheckMs: 60_000 } });
    const w = world;
    const h = w.app.handlers;
    const managerId = await withManager(h);
    const sale = await h['refunds.withoutReceipt']({ lines: LINES, payment: 'card' });
    const grant = await h['people.approve']({ managerId, pin: '2468', action: 'refundWithoutReceipt', detail: 'возврат без чека' });
    w.fiscal.setFault({ powerLoss: { afterPositions: 1 } });
    const refundId = randomUUID();
    const refund = await h['refunds.confirm']({ refundId, sale: sale.ref, lines: whole(sale), cardRrns: { [sale.payments[0]?.paymentPartId ?? '']: '123456789012' }, reason: REASON, approvalId: grant.approvalId });
    expect(refund).toMatchObject({ state: 'fiscalizing', reason: expect.stringMatching(/Не пробивайте возврат повторно/) });
    expect(w.refundReceiptsInFn()).toHaveLength(0);

    w.fiscal.device.link.powerOn();
    await w.restartApp();
    await w.app.saga.recoverPending();
    expect(w.app.saga.get(refundId)).toMatchObject({ state: 'synced', totalMinor: TOTAL });
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    expect(w.refundReceiptsInFn()[0]?.totalMinor).toBe(TOTAL);
    // Confirmed again after the restart (the cashier's "Повторить"): the done refund, still one receipt.
    expect((await w.app.handlers['refunds.confirm']({ refundId, sale: sale.ref, lines: whole(sale), cardRrns: {} })).state).toBe('synced');
    expect(w.refundReceiptsInFn()).toHaveLength(1);
    const [entry] = await w.app.handlers['journal.list']({});
    expect(entry).toMatchObject({ id: refundId, withoutReceipt: true });
  });
});
