import { afterEach, describe, expect, it } from 'vitest';
import type { MainText, Sale } from '../../preload/contract';
import { PRINTER_WAITS } from './printerChannel';
import { cancelAtCommand, closeRigs, confirm, earlierInFlight, fnRefunds, lastDocumentNumber, rig, sale, total } from './sagaTestRig';

/**
 * What the cashier is told while the printer channel prints (issue 11 point 7): the coded reason the UI
 * says in Russian or Uzbek (stored as reasonText beside the Russian reason), the progress lines with
 * their codes, and that a refund of several receipts never loses what is printed. On the shared rig
 * (./sagaTestRig.ts): the emulated ФН is the judge.
 */
afterEach(closeRigs);

describe('printer channel: the reason a waiting or failed refund carries', () => {
  it('an earlier receipt not judged yet: the new refund waits, coded "printer.earlierUnsettled"', async () => {
    const r = rig();
    const later = sale(r, 1);
    earlierInFlight(r, 'r-earlier', await lastDocumentNumber(r));
    expect(await confirm(r, later, 'r-later')).toMatchObject({ state: 'confirmed' });
    expect(r.store.require('r-later').reasonText).toEqual({ code: 'printer.earlierUnsettled', params: {} });
    expect(fnRefunds(r)).toEqual([]);
  });

  it('a shift over 24 hours: failed, coded "printer.notPrinted" with the printer\'s error by code and text', async () => {
    const r = rig();
    const s = sale(r, 1);
    await r.printer.use((d) => d.openShift('Петрова И.'));
    r.emu.setFault({ clockOffsetMs: 25 * 3600 * 1000 });
    expect(await confirm(r, s, 'r-expired')).toMatchObject({ state: 'failed' });
    const message = 'Смена открыта больше 24 часов: закройте смену (Z-отчёт), затем оформите возврат заново.';
    expect(r.store.require('r-expired')).toMatchObject({
      reason: `Чек не напечатан: ${message}`,
      reasonText: { code: 'printer.notPrinted', params: { error: { code: 'FISCAL_SHIFT_EXPIRED', message } } },
    });
  });

  it('a receipt dropped in a power blip (not in the ФН): waits as confirmed, coded "printer.notPrintedWaits" with the error the text quotes', async () => {
    const r = rig();
    const s = sale(r, 3);
    await lastDocumentNumber(r);
    r.emu.device.link.onPowerLost(() => setImmediate(() => r.emu.device.link.powerOn()));
    r.emu.setFault({ powerLoss: { afterPositions: 2 } });
    expect(await confirm(r, s, 'r-blip')).toMatchObject({ state: 'confirmed' });
    const stored = r.store.require('r-blip');
    expect(stored.reasonText).toMatchObject({ code: 'printer.notPrintedWaits', params: { error: { code: expect.stringMatching(/^FISCAL_/), message: expect.any(String) } } });
    const error = (stored.reasonText as { params: { error: { message: string } } }).params.error;
    expect(stored.reason).toMatch(new RegExp(`^Чек возврата не напечатан: ${error.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} Чек напечатается сам`));
    expect(fnRefunds(r)).toEqual([]);
  });
});

describe('printer channel: a cancel that comes first', () => {
  it('a cancel that lands as the status is read, the printer then silent: the refund stays cancelled (never made to wait in fiscalizing), nothing printed', async () => {
    const r = rig();
    const s = sale(r, 1);
    await lastDocumentNumber(r);
    // The short status (0x10) opens the status read before the receipt; the ФН status after it gets no answer.
    const cancelled = cancelAtCommand(r, 'r-cancel-first', [0x10], () => r.emu.setFault({ silent: true }));
    expect(await confirm(r, s, 'r-cancel-first')).toMatchObject({ state: 'failed', reason: expect.stringMatching(/отменён кассиром/) });
    expect(cancelled()).toBe(true);
    expect(r.store.require('r-cancel-first').state).toBe('failed');
    r.emu.setFault({ silent: false });
    await r.saga.recoverPending();
    expect(r.store.require('r-cancel-first').state).toBe('failed');
    expect(fnRefunds(r)).toEqual([]);
  });
});

describe('printer channel: a recovery pass', () => {
  it('a sale record this till cannot parse is a fault to surface, not a printer to wait for: the pass fails with it, nothing printed', async () => {
    const r = rig();
    const s = sale(r, 1);
    r.emu.setFault({ silent: true });
    expect(await confirm(r, s, 'r-broken-sale')).toMatchObject({ state: 'confirmed' });
    r.emu.setFault({ silent: false });
    r.db.prepare("UPDATE sales_seen SET sale = '{broken' WHERE source = ? AND id = ?").run(s.ref.source, s.ref.id);
    await expect(r.saga.recoverPending()).rejects.toThrow(SyntaxError);
    expect(r.store.require('r-broken-sale').state).toBe('confirmed');
    expect(fnRefunds(r)).toEqual([]);
  });
});

describe('printer channel: a refund of several receipts', () => {
  it('printer off after receipts 1 and 2 of 3: both ФД numbers in the reason and its code; the retry clears the reason, says "receipt 3 of 3" by code and prints only receipt 3', async () => {
    let goSilent = true;
    let whilePrinting: { reason?: string; reasonText?: MainText } | undefined;
    const r = rig();
    r.onProgress = (message) => {
      if (goSilent && message.startsWith('Чек 2 из 3 напечатан')) r.emu.setFault({ silent: true });
      if (message === 'Печать чека 3 из 3…') {
        const { reason, reasonText } = r.store.require('r-three');
        whilePrinting = { reason, reasonText };
      }
    };
    const s = sale(r, 201);
    expect(await confirm(r, s, 'r-three')).toMatchObject({ state: 'fiscalizing' });
    const fds = r.store.receipts('r-three').flatMap((p) => (p.fiscal ? [p.fiscal.number] : []));
    expect(fds).toHaveLength(2);
    expect(r.store.require('r-three')).toMatchObject({
      reason: `Напечатано чеков: 2 из 3 (ФД № ${fds[0]}, ${fds[1]}), они остаются в силе. ${PRINTER_WAITS}`,
      reasonText: { code: 'printer.partlyPrinted', params: { printed: 2, count: 3, fds, then: { code: 'printer.waits', params: {} } } },
    });
    expect(r.progress.filter((l) => l.message.startsWith('Печать чека')).map((l) => l.coded)).toEqual([
      { code: 'printer.printing', params: { seq: 1, count: 3 } },
      { code: 'printer.printing', params: { seq: 2, count: 3 } },
    ]);
    goSilent = false;
    r.emu.setFault({ silent: false });
    expect(await confirm(r, s, 'r-three')).toMatchObject({ state: 'fiscalized' });
    // The waiting reason is gone once receipt 3 is on its way: the screen shows printing, not "принтер не отвечает".
    expect(whilePrinting).toEqual({ reason: undefined, reasonText: undefined });
    expect(r.progress.filter((l) => l.message === 'Печать чека 3 из 3…').map((l) => l.coded)).toEqual([{ code: 'printer.printing', params: { seq: 3, count: 3 } }]);
    expect(fnRefunds(r)).toEqual(r.store.receipts('r-three').map((p) => p.totalMinor));
  });

  it('receipt 2 refused for good after receipt 1 printed: to a person, coded "printer.partlyRefused" with the ФД printed and the printer\'s error', async () => {
    const r = rig();
    const s = sale(r, 101);
    const mixed: Sale = { ...s, lines: s.lines.map((l, i) => (i === 100 ? { ...l, vat: 'vat12' as const } : l)) };
    r.seen.remember({ sale: mixed, knownToServer: new Set() });
    expect(await confirm(r, mixed, 'r-refused2')).toMatchObject({ state: 'review' });
    const stored = r.store.require('r-refused2');
    const fd = r.store.receipts('r-refused2')[0]?.fiscal?.number;
    expect(stored.reasonText).toMatchObject({ code: 'printer.partlyRefused', params: { printed: 1, count: 2, fds: [fd], error: { code: expect.any(String), message: expect.any(String) } } });
    const error = (stored.reasonText as { params: { error: { message: string } } }).params.error;
    expect(stored.reason).toContain(`Следующий чек принтер не принял: ${error.message}.`);
    expect(fnRefunds(r)).toEqual([total(s) - s.lines[100]!.amountMinor]);
  });
});

describe('printer channel: the journal support reads', () => {
  it('each receipt sent is logged with its N0 and who printed it; the LIFE POS sync is logged', async () => {
    const r = rig();
    const journal = r.logs;
    const s = sale(r, 1);
    const n0 = await lastDocumentNumber(r);
    await confirm(r, s, 'r-logged');
    expect(journal.filter((l) => l.message === 'printing refund receipt')).toEqual([
      { level: 'info', message: 'printing refund receipt', fields: { refundId: 'r-logged', receipt: 1, of: 1, docNumberBefore: n0, shiftOpen: false, by: 'counter' } },
    ]);
    r.saga.markSynced('r-logged');
    expect(journal.filter((l) => l.fields.refundId === 'r-logged').at(-1)).toEqual({ level: 'info', message: 'refund synced with LIFE POS', fields: { refundId: 'r-logged' } });
  });

  it('a receipt held back by an earlier one names the earlier refund; a recovery pass that cannot read a sale says it is postponed and why', async () => {
    const r = rig();
    const journal = r.logs;
    const later = sale(r, 1);
    earlierInFlight(r, 'r-earlier', await lastDocumentNumber(r));
    await confirm(r, later, 'r-later');
    expect(journal).toContainEqual({ level: 'warn', message: 'an earlier receipt is not reconciled yet; not printing', fields: { refundId: 'r-later', unsettled: ['r-earlier'] } });
    await r.saga.recoverPending();
    expect(journal).toContainEqual({ level: 'warn', message: 'refund recovery postponed', fields: { refundId: 'r-earlier', code: expect.any(String), by: 'recovery' } });
    expect(r.store.require('r-earlier').state).toBe('fiscalizing');
    expect(fnRefunds(r)).toEqual([]);
  });
});

describe('printer channel: LIFE POS told', () => {
  it('the last LIFE POS job\'s call marks the refund synced and says so at once', async () => {
    const r = rig();
    const s = sale(r, 1);
    await confirm(r, s, 'r-sync1');
    r.saga.markSynced('r-sync1');
    expect(r.store.require('r-sync1').state).toBe('synced');
    expect(r.progress.filter((p) => p.id === 'r-sync1').at(-1)).toMatchObject({ state: 'synced', message: 'Возврат отправлен в LIFE POS' });
  });
});
