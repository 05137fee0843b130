import { describe, expect, it } from 'vitest';
import { isAppError } from '../../appError';
import { ShtrihDriver } from './driver';
import type { FiscalReceiptInput } from '../receipt';
import type { InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { TIMEOUTS as RIG_TIMEOUTS, useDriverRig } from './driverTestRig';

/**
 * Survivors of StrykerJS on driver.ts (issue 11 point 7) in the driver's safety guards: each case pins a
 * boundary or a branch that decides print / not print, cancel, or what recovery is told. Real driver over
 * the in-memory Shtrih-M emulator, as driver.test.ts.
 */
const TIMEOUTS = { ...RIG_TIMEOUTS, settleMs: 40 };
const { emulator, connect, ready } = useDriverRig(TIMEOUTS);

const line = (amountMinor: number): FiscalReceiptInput['positions'][number] => ({
  name: 'Товар', priceMinor: amountMinor, quantityMilli: 1_000, amountMinor, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods',
});

describe('ShtrihDriver reconcile boundaries', () => {
  it('20 documents since N0 are read and judged; the 21st sends the refund to a person', async () => {
    const { d } = await ready();
    const n0 = (await d.status()).lastDocumentNumber;
    for (let i = 0; i < 10; i++) {
      await d.openShift('Кассир');
      await d.closeShift();
    }
    expect((await d.status()).lastDocumentNumber - n0).toBe(20);
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    await d.openShift('Кассир');
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toMatchObject({ outcome: 'ambiguous', reason: '21 documents since 0' });
  });

  it('N0 equal to the ФН\'s last document is "nothing since" (not printed); one above it is another ФН (ambiguous)', async () => {
    const { d } = await ready();
    await d.openShift('Кассир');
    const last = (await d.status()).lastDocumentNumber;
    expect(await d.reconcileReceipt({ lastNumberBefore: last, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expect(await d.reconcileReceipt({ lastNumberBefore: last + 1, totalMinor: 100, operation: 'refundOfIncome' })).toMatchObject({ outcome: 'ambiguous', reason: expect.stringContaining('another FN') });
  });

  it('the receipt is found among the documents since N0 (the first one after N0 included)', async () => {
    const { d } = await ready();
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    const doc = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(1234)], tenders: { cashMinor: 1234 } });
    expect(doc.number).toBe(n0 + 1);
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 1234, operation: 'refundOfIncome' })).toEqual({ outcome: 'printed', document: doc });
  });
});

describe('ShtrihDriver refuses before the close', () => {
  it('a power blip between lines (fewer lines in the device than sent): cancelled, never closed, and the cashier is told the printer restarted', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    emu.device.link.onPowerLost(() => setImmediate(() => emu.device.link.powerOn()));
    emu.setFault({ powerLoss: { afterPositions: 2 } });
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100), line(200), line(300)], tenders: { cashMinor: 600 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_RECEIPT_INTERRUPTED');
    expect(isAppError(e) && e.retry).toBe('transient');
    expect(isAppError(e) && e.message).toBe('Печать чека прервалась: принтер перезапускался. Чек отменён и не пробит — повторите возврат.');
    expect(isAppError(e) && e.detail).toMatch(/^before close: mode 8, [12] operations of 3$/);
    expect(emu.device.model.hasOpenReceipt).toBe(false);
    expect(emu.device.model.documents.filter((x) => x.type === 3)).toHaveLength(0);
  });
});

describe('ShtrihDriver reads the closed receipt back twice', () => {
  it('the two reads of the last document disagree on its time only: refused as unknown outcome, never returned', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    // The close answer's fiscal sign is damaged (the claim is not trusted); the first FF0A (the claimed
    // number) is damaged too, harmlessly; the second (first read of the last document) gets another minute.
    emu.setFault({ undetectedDamage: [{ code: 0xff45, bytes: [12, 3], xor: 0x5a }, { code: 0xff0a, bytes: [4, 9], xor: 0x01 }, { code: 0xff0a, bytes: [9, 4], xor: 0x01 }] });
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(500)], tenders: { cashMinor: 500 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_VERIFY_FAILED');
    expect(isAppError(e) && e.retry).toBe('unknown-outcome');
    expect(emu.stats.undetectedCorruptions).toBe(3);
    expect(emu.device.model.documents.filter((x) => x.type === 3)).toHaveLength(1);
  });
});

/**
 * The device runs the next command with this code and then runs out of paper, answering "no paper" (0x6B)
 * although the command took effect — as a printer does when the roll ends while it prints the command's
 * text. Paper is loaded when the driver says it is out. Returns how many times the command ran.
 */
function paperRunsOutDuring(emu: InMemoryEmulator, d: ShtrihDriver, code: number): { readonly runs: number } {
  const model = emu.device.model;
  const execute = model.execute.bind(model);
  let runs = 0;
  let armed = true;
  const codeOf = (payload: Buffer): number => (payload[0] === 0xff ? 0xff00 | (payload[1] ?? 0) : (payload[0] ?? -1));
  model.execute = (payload) => {
    const result = execute(payload);
    if (codeOf(payload) !== code) return result;
    runs++;
    if (!armed || result.answer[code > 0xff ? 2 : 1] !== 0) return result;
    armed = false;
    model.setPaper('out');
    return { ...result, answer: Buffer.concat([result.answer.subarray(0, code > 0xff ? 2 : 1), Buffer.from([0x6b])]) };
  };
  d.on('paperOut', () => setImmediate(() => emu.setFault({ paper: 'ok' })));
  return {
    get runs() {
      return runs;
    },
  };
}

/** Opens a receipt in the device the way a crashed run leaves one (0x8D, refund of income). */
const leaveReceiptOpen = (emu: InMemoryEmulator): void => void emu.device.model.execute(Buffer.from([0x8d, 30, 0, 0, 0, 2]));

describe('ShtrihDriver: a command that took effect before paper ran out is not sent again', () => {
  it('the close prints and then the paper ends: after loading paper the printed receipt is read back and returned, never closed again', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const close = paperRunsOutDuring(emu, d, 0xff45);
    const doc = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(700)], tenders: { cashMinor: 700 } });
    const stored = emu.device.model.documents.filter((x) => x.type === 3);
    expect(close.runs).toBe(1);
    expect(stored).toHaveLength(1);
    expect(doc).toMatchObject({ number: stored[0]?.number, totalMinor: 700, operation: 'refundOfIncome', type: 'receipt', fiscalSign: String(stored[0]?.fiscalSign) });
    expect(d.printerState.paperOut).toBe(false);
  });

  it('reconcile cancels a leftover receipt and the paper ends while the cancellation prints: cancelled once, "not printed"', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    leaveReceiptOpen(emu);
    const cancel = paperRunsOutDuring(emu, d, 0x88);
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expect(cancel.runs).toBe(1);
    expect(emu.device.model.hasOpenReceipt).toBe(false);
  });

  it('a doubled line is cancelled and the paper ends while the cancellation prints: cancelled once, reported interrupted (not printed)', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let lines = 0;
    model.execute = (payload) => {
      const result = execute(payload);
      if (payload[0] === 0xff && payload[1] === 0x46 && ++lines === 1) execute(payload);
      return result;
    };
    const cancel = paperRunsOutDuring(emu, d, 0x88);
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100), line(200)], tenders: { cashMinor: 300 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_RECEIPT_INTERRUPTED');
    expect(isAppError(e) && e.retry).toBe('transient');
    expect(cancel.runs).toBe(1);
    expect(model.hasOpenReceipt).toBe(false);
    expect(model.documents.filter((x) => x.type === 3)).toHaveLength(0);
  });
});

describe('ShtrihDriver: an interrupted receipt is cancelled even when the printer first waits for "continue"', () => {
  it('a doubled last line, the printer waiting for "continue printing": continued, then really cancelled (nothing left open)', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let lines = 0;
    model.execute = (payload) => {
      const result = execute(payload);
      if (payload[0] === 0xff && payload[1] === 0x46 && ++lines === 2) {
        execute(payload);
        // Paper ran out and was loaded while the line printed: the device now waits for 0xB0.
        model.submode = 3;
      }
      return result;
    };
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100), line(200)], tenders: { cashMinor: 300 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_RECEIPT_INTERRUPTED');
    expect(model.hasOpenReceipt).toBe(false);
    expect(model.submode).toBe(0);
    expect(model.documents.filter((x) => x.type === 3)).toHaveLength(0);
  });
});

describe('ShtrihDriver: the printer restarted after the last line, before the close', () => {
  it('no receipt left open: nothing to cancel, nothing closed, the cashier is told the printer restarted', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let lines = 0;
    // The power blip happens between the answer to line 2 (of 2) and the status read before the close.
    model.execute = (payload) => {
      if (payload[0] === 0x10 && lines === 2) {
        lines++;
        model.powerLoss();
      }
      if (payload[0] === 0xff && payload[1] === 0x46) lines++;
      return execute(payload);
    };
    const docs = model.documents.length;
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100), line(200)], tenders: { cashMinor: 300 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_RECEIPT_INTERRUPTED');
    expect(isAppError(e) && e.retry).toBe('transient');
    expect(isAppError(e) && e.message).toBe('Печать чека прервалась: принтер перезапускался. Чек отменён и не пробит — повторите возврат.');
    expect(model.documents.length).toBe(docs);
    expect(model.hasOpenReceipt).toBe(false);
  });
});

describe('ShtrihDriver: what a reconcile and a verified receipt tell the saga', () => {
  it('more than 20 documents since a non-zero N0: the reason counts the documents since N0', async () => {
    const { d } = await ready();
    await d.openShift('Кассир');
    await d.closeShift();
    const n0 = (await d.status()).lastDocumentNumber;
    expect(n0).toBeGreaterThan(0);
    for (let i = 0; i < 11; i++) {
      await d.openShift('Кассир');
      await d.closeShift();
    }
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'ambiguous', reason: `22 documents since ${n0}` });
  });

  it('the close answer agrees with the ФН\'s record of that document: returned, even if a status read after it is damaged', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const first = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(300)], tenders: { cashMinor: 300 } });
    // The next ФН status answer names the previous receipt as the last document (bytes 29..32; byte 7 compensates).
    emu.setFault({ undetectedDamage: [{ code: 0xff01, bytes: [29, 7], xor: ((first.number + 1) ^ first.number) & 0xff }] });
    const doc = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(300)], tenders: { cashMinor: 300 } });
    expect(doc.number).toBe(first.number + 1);
    expect(doc.fiscalSign).toBe(String(emu.device.model.documents.at(-1)?.fiscalSign));
  });

  it('a receipt the ФН does not confirm: the cashier is told it may have printed and to check the last receipt', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    emu.setFault({ undetectedDamage: [{ code: 0xff45, bytes: [12, 3], xor: 0x5a }, { code: 0xff0a, bytes: [4, 9], xor: 0x01 }, { code: 0xff0a, bytes: [9, 4], xor: 0x01 }] });
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(500)], tenders: { cashMinor: 500 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_VERIFY_FAILED');
    expect(isAppError(e) && e.message).toBe('Чек мог быть напечатан, но принтер не подтвердил его данные. Проверьте последний чек.');
    // Support reads which document the close named and what the ФН holds as its last one.
    const last = emu.device.model.documents.at(-1)?.number;
    expect(isAppError(e) && e.detail).toBe(`close answered document ${last}, FN last is ${last} (receipt, 500), expected total 500`);
  });
});

describe('ShtrihDriver: paper and busy waits end, and the printer state the header shows follows the device', () => {
  async function withPaperWait(paperWaitMs: number): Promise<{ emu: InMemoryEmulator; d: ShtrihDriver }> {
    const emu = emulator();
    const d = await connect(emu, { timeouts: { ...TIMEOUTS, paperWaitMs } });
    return { emu, d };
  }

  it('paper out before the receipt, loaded when told: one "paper out", one "paper back", the state clear again, the receipt printed once', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    emu.setFault({ paper: 'out' });
    const told: string[] = [];
    d.on('paperOut', () => {
      told.push('out');
      // The cashier needs a few status polls to load the roll.
      setTimeout(() => emu.setFault({ paper: 'ok' }), 30);
    });
    d.on('paperBack', () => told.push('back'));
    const doc = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(400)], tenders: { cashMinor: 400 } });
    expect(doc.totalMinor).toBe(400);
    expect(told).toEqual(['out', 'back']);
    expect(d.printerState).toEqual({ paperOut: false, coverOpen: false, offline: false, busy: false });
    expect(emu.device.model.documents.filter((x) => x.type === 3)).toHaveLength(1);
  });

  it('nobody loads paper or closes the cover in time: the cashier is told which, in Russian', async () => {
    const paper = await withPaperWait(60);
    await paper.d.openShift('Кассир');
    paper.emu.setFault({ paper: 'out' });
    const noPaper = await paper.d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(noPaper) && [noPaper.code, noPaper.retry, noPaper.message]).toEqual(['FISCAL_PAPER_OUT', 'transient', 'В принтере закончилась бумага. Вставьте новый рулон.']);
    expect(paper.d.printerState.paperOut).toBe(true);

    const cover = await withPaperWait(60);
    await cover.d.openShift('Кассир');
    cover.emu.setFault({ coverOpen: true });
    const open = await cover.d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(open) && [open.code, open.retry, open.message]).toEqual(['FISCAL_COVER_OPEN', 'transient', 'Закройте крышку принтера.']);
    expect(cover.d.printerState.coverOpen).toBe(true);
  });

  it('a printer that keeps answering "no paper" while its status says paper is in: given up after a bounded number of tries, not forever', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let opens = 0;
    // A faulty paper sensor: the open command is always refused for paper, the status shows the roll present.
    model.execute = (payload) => {
      if (payload[0] !== 0x8d) return execute(payload);
      opens++;
      return { answer: Buffer.from([0x8d, 0x6b]), processingMs: 0 };
    };
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_PAPER_OUT');
    expect(opens).toBeGreaterThan(1);
    expect(opens).toBeLessThan(30);
    expect(model.documents.filter((x) => x.type === 3)).toHaveLength(0);
  });

  it('busy, then a lost answer: the header shows "busy" (not offline) while it waits, then "offline"', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const states: Array<{ busy: boolean; offline: boolean }> = [];
    d.on('status', (s) => states.push({ busy: s.busy, offline: s.offline }));
    emu.setFault({ busyForMs: 80 });
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } });
    expect(states).toEqual([{ busy: true, offline: false }, { busy: false, offline: false }]);
    emu.setFault({ powerLoss: 'afterCloseFiscalized' });
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_ANSWER_LOST');
    expect(d.printerState.offline).toBe(true);
  });
});

describe('ShtrihDriver: cash operations are refused unless the shift is open and no receipt is', () => {
  it('a receipt left open, a shift over 24 h, a closed shift: refused (permanent) with the reason and the device mode, no cash moved, the open receipt not touched', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const cash = await d.cashInDrawer();
    const refusal = async (): Promise<unknown> => {
      const e = await d.cashOperation('in', 100).catch((x: unknown) => x);
      return isAppError(e) && [e.code, e.retry, e.message, e.detail];
    };

    leaveReceiptOpen(emu);
    expect(await refusal()).toEqual(['FISCAL_DOCUMENT_OPEN', 'permanent', 'В принтере открыт незавершённый чек. Его нужно проверить и отменить.', 'device mode 8.2, submode 0']);
    expect(emu.device.model.hasOpenReceipt).toBe(true);
    expect(await d.cancelOpenDocument()).toBe(true);

    emu.setFault({ clockOffsetMs: 25 * 3600 * 1000 });
    expect(await refusal()).toEqual(['FISCAL_SHIFT_EXPIRED', 'permanent', 'Смена длится больше 24 часов. Закройте смену (Z-отчёт) и откройте новую.', 'device mode 3.0, submode 0']);
    await d.closeShift();

    expect(await refusal()).toEqual(['FISCAL_SHIFT_CLOSED', 'permanent', 'Смена закрыта. Откройте смену.', 'device mode 4.0, submode 0']);
    expect(await d.cashInDrawer()).toBe(cash);
  });
});

describe('ShtrihDriver: the open and the close of a receipt around a paper break', () => {
  it('the open prints and then the paper ends: after loading paper the receipt is not opened again, and is printed once', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const open = paperRunsOutDuring(emu, d, 0x8d);
    const doc = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(250)], tenders: { cashMinor: 250 } });
    expect(open.runs).toBe(1);
    expect(doc).toMatchObject({ totalMinor: 250, operation: 'refundOfIncome' });
    expect(emu.device.model.documents.filter((x) => x.type === 3)).toHaveLength(1);
  });

  it('the paper is out when the close is sent (refused, nothing fiscalized): the close is sent again after loading, and the new receipt is returned, not the earlier one of the same total', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const earlier = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(800)], tenders: { cashMinor: 800 } });
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let closes = 0;
    model.execute = (payload) => {
      if (payload[0] === 0xff && payload[1] === 0x45 && ++closes === 1) model.setPaper('out');
      return execute(payload);
    };
    d.on('paperOut', () => setImmediate(() => emu.setFault({ paper: 'ok' })));
    const doc = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(800)], tenders: { cashMinor: 800 } });
    expect(closes).toBe(2);
    expect(doc.number).toBe(earlier.number + 1);
    expect(model.documents.filter((x) => x.type === 3)).toHaveLength(2);
    expect(model.hasOpenReceipt).toBe(false);
  });
});

describe('ShtrihDriver: a refused line whose cancellation cannot even read the status', () => {
  it('the caller is told the device\'s refusal of the line, not a failure of the cancellation, and the receipt is left for reconcile', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let refused = false;
    model.execute = (payload) => {
      if (payload[0] === 0xff && payload[1] === 0x46) {
        refused = true;
        return { answer: Buffer.from([0xff, 0x46, 0x33]), processingMs: 0 };
      }
      // After the refusal the status read itself is refused (device error 0x5F), so the status is unknown.
      if (refused && payload[0] === 0x10) return { answer: Buffer.from([0x10, 0x5f]), processingMs: 0 };
      return execute(payload);
    };
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.deviceCode]).toEqual([expect.any(String), 0x33]);
    expect(model.documents.filter((x) => x.type === 3)).toHaveLength(0);
    // With the device's mode unknown nothing is cancelled blindly: reconcile finds the receipt open.
    expect(model.hasOpenReceipt).toBe(true);
  });
});

describe('ShtrihDriver: a receipt interrupted by lost contact is left to reconcile', () => {
  it('the printer stops hearing mid-receipt (the line never delivered) and comes back: the receipt is not cancelled by the failed run; reconcile cancels it, "not printed"', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    model.execute = (payload) => {
      const result = execute(payload);
      // The cashier tag (FF0C) is answered, then the device hears nothing more until the driver says "offline".
      if (payload[0] === 0xff && payload[1] === 0x0c) emu.setFault({ silent: true });
      return result;
    };
    d.on('status', (s) => {
      if (s.offline) emu.setFault({ silent: false });
    });
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.retry]).toEqual(['FISCAL_NO_ANSWER', 'transient']);
    expect(model.hasOpenReceipt).toBe(true);
    model.execute = execute;
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expect(model.hasOpenReceipt).toBe(false);
  });
});

describe('ShtrihDriver: before the close the device must hold an open receipt, whatever its status counts', () => {
  it('the printer restarted after the last line and its status still counts our two lines with no receipt open: refused as a restart, never closed', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let lines = 0;
    let restarted = false;
    model.execute = (payload) => {
      if (payload[0] === 0x10 && lines === 2 && !restarted) {
        restarted = true;
        model.powerLoss();
      }
      if (payload[0] === 0xff && payload[1] === 0x46) lines++;
      const result = execute(payload);
      if (!restarted || payload[0] !== 0x10) return result;
      // Short status answer: code, error, operator, flags (2), mode, submode, operations (low byte) …
      const answer = Buffer.from(result.answer);
      answer[7] = 2;
      return { ...result, answer };
    };
    const docs = model.documents.length;
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100), line(200)], tenders: { cashMinor: 300 } }).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.message]).toEqual(['FISCAL_RECEIPT_INTERRUPTED', 'Печать чека прервалась: принтер перезапускался. Чек отменён и не пробит — повторите возврат.']);
    expect(model.documents.length).toBe(docs);
  });
});

describe('ShtrihDriver: a "no paper" refusal while the roll is in', () => {
  it('no "paper back" without a "paper out" first, no "continue printing" to a device not waiting for it, and exactly 22 tries before giving up', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let opens = 0;
    let continues = 0;
    model.execute = (payload) => {
      if (payload[0] === 0xb0) continues++;
      if (payload[0] !== 0x8d) return execute(payload);
      opens++;
      return { answer: Buffer.from([0x8d, 0x6b]), processingMs: 0 };
    };
    const told: string[] = [];
    d.on('paperOut', () => told.push('out'));
    d.on('paperBack', () => told.push('back'));
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_PAPER_OUT');
    expect(told).toEqual([]);
    expect(continues).toBe(0);
    expect(opens).toBe(22);
  });
});

/** Records the payload of every command the device receives. */
function recordCommands(emu: InMemoryEmulator): Buffer[] {
  const model = emu.device.model;
  const execute = model.execute.bind(model);
  const seen: Buffer[] = [];
  model.execute = (payload) => {
    seen.push(Buffer.from(payload));
    return execute(payload);
  };
  return seen;
}

/** Rewrites one byte of the next answers to a command, as a device in that state would answer. */
function patchAnswers(emu: InMemoryEmulator, code: number, index: number, value: number): void {
  const model = emu.device.model;
  const execute = model.execute.bind(model);
  model.execute = (payload) => {
    const result = execute(payload);
    const got = payload[0] === 0xff ? 0xff00 | (payload[1] ?? 0) : payload[0];
    if (got !== code) return result;
    const answer = Buffer.from(result.answer);
    answer[index] = value;
    return { ...result, answer };
  };
}

describe('ShtrihDriver: what a receipt, a text and a correction send to the device', () => {
  const tagsSent = (seen: Buffer[]): number[] => seen.filter((b) => b[0] === 0xff && b[1] === 0x0c).map((b) => b.readUInt16LE(6));

  it('the cashier\'s INN (1203) and the customer\'s contact (1008) are sent only when given, and then both', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const seen = recordCommands(emu);
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } });
    expect(tagsSent(seen.splice(0))).toEqual([1021]);
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', cashierInn: '500100732259', customerContact: 'buyer@example.ru', positions: [line(100)], tenders: { cashMinor: 100 } });
    expect(tagsSent(seen)).toEqual([1021, 1203, 1008]);
  });

  it('text lines are printed in pieces of at most 40 characters; an empty line prints an empty line', async () => {
    const { emu, d } = await ready();
    await d.printText(['', 'а'.repeat(90), 'Итого']);
    expect(emu.device.model.tape).toEqual(['', 'а'.repeat(40), 'а'.repeat(40), 'а'.repeat(10), 'Итого']);
  });

  it('a cancellation that prints and then the paper ends: cancelled once, reported done', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    leaveReceiptOpen(emu);
    const cancel = paperRunsOutDuring(emu, d, 0x88);
    expect(await d.cancelOpenDocument()).toBe(true);
    expect(cancel.runs).toBe(1);
    expect(emu.device.model.hasOpenReceipt).toBe(false);
  });

  it('a correction tells the device its kind (own decision 0, tax office order 1) and operation (income 1, expense 3)', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const seen = recordCommands(emu);
    await d.printCorrection({ kind: 'self', operation: 'income', totalMinor: 100, tenders: { cashMinor: 100 }, taxSystem: 'osn' });
    await d.printCorrection({ kind: 'prescribed', operation: 'expense', totalMinor: 100, tenders: { cashMinor: 100 }, taxSystem: 'osn' });
    // FF4A: code (2), password (4), correction type, operation …
    expect(seen.filter((b) => b[0] === 0xff && b[1] === 0x4a).map((b) => [b[6], b[7]])).toEqual([[0, 1], [1, 3]]);
  });

  it('a correction that prints and then the paper ends: printed once, and the ФН\'s record of it is returned', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const correction = paperRunsOutDuring(emu, d, 0xff4a);
    const doc = await d.printCorrection({ kind: 'self', operation: 'income', totalMinor: 300, tenders: { cashMinor: 300 }, taxSystem: 'osn' });
    expect(correction.runs).toBe(1);
    expect(doc).toMatchObject({ type: 'correction', totalMinor: 300, number: emu.device.model.documents.at(-1)?.number });
  });

  it('a correction that is not a correction (unknown kind) is refused before the device is asked', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const seen = recordCommands(emu);
    const e = await d.printCorrection({ kind: 'other' as 'self', operation: 'income', totalMinor: 100, tenders: { cashMinor: 100 }, taxSystem: 'osn' }).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.message]).toEqual(['FISCAL_VALIDATION', 'Данные чека коррекции заполнены неверно.']);
    expect(seen).toHaveLength(0);
  });
});

describe('ShtrihDriver: the tax system a receipt is closed with', () => {
  /** The tax system byte of every close (FF45) the device receives. */
  function recordCloseTaxSystems(emu: InMemoryEmulator): number[] {
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    const taxSystems: number[] = [];
    model.execute = (payload) => {
      // FF45: code (2), password (4), 16 payments × 5, rounding (1), 6 tax sums × 5, tax system.
      if (payload[0] === 0xff && payload[1] === 0x45) taxSystems.push(payload[2 + 4 + 80 + 1 + 30] ?? -1);
      return execute(payload);
    };
    return taxSystems;
  }

  it('the receipt\'s own tax system when it names one, otherwise the till\'s default', async () => {
    const emu = emulator();
    const d = await connect(emu, { defaultTaxSystem: 'usnIncome' });
    await d.openShift('Кассир');
    const taxSystems = recordCloseTaxSystems(emu);
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } });
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', taxSystem: 'patent', positions: [line(100)], tenders: { cashMinor: 100 } });
    expect(taxSystems).toEqual([2, 32]);
  });

  it('a till with no default set closes with the general system (ОСН, 1), and starts with no unchecked marking codes', async () => {
    const { emu, d } = await ready();
    expect(d.lastUncheckedCodes).toEqual([]);
    await d.openShift('Кассир');
    const taxSystems = recordCloseTaxSystems(emu);
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } });
    expect(taxSystems).toEqual([1]);
  });
});

describe('ShtrihDriver: the status the header and the saga read', () => {
  it('an open cover is shown, and the mode is named in Russian with its number', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    emu.setFault({ coverOpen: true });
    const s = await d.status();
    expect([s.coverOpen, s.modeText]).toEqual([true, 'смена открыта (режим 2.0)']);
    expect(d.printerState.coverOpen).toBe(true);
  });

  it('a document the ФН has begun counts as open even when the printer shows no receipt, and the other way round', async () => {
    const fnBegun = await ready();
    await fnBegun.d.openShift('Кассир');
    // FF01 answer: code (2), error, phase, current document …
    patchAnswers(fnBegun.emu, 0xff01, 4, 0x04);
    expect((await fnBegun.d.status()).openDocument).toBe(true);

    const printerOnly = await ready();
    await printerOnly.d.openShift('Кассир');
    leaveReceiptOpen(printerOnly.emu);
    patchAnswers(printerOnly.emu, 0xff01, 4, 0x00);
    expect((await printerOnly.d.status()).openDocument).toBe(true);
  });

  it('a receipt open (mode 8) counts as an open shift only when the ФН says the shift is open; a closed shift (mode 4) is closed whatever the ФН byte', async () => {
    const receipt = await ready();
    await receipt.d.openShift('Кассир');
    leaveReceiptOpen(receipt.emu);
    // FF01 answer: code (2), error, phase, current document, document data, shift open …
    patchAnswers(receipt.emu, 0xff01, 6, 0);
    expect((await receipt.d.status()).shiftOpen).toBe(false);

    const closed = await ready();
    patchAnswers(closed.emu, 0xff01, 6, 1);
    const s = await closed.d.status();
    expect([s.mode, s.shiftOpen]).toEqual([4, false]);
  });

  it('paper is out when the roll sensor says so, and also while the device reports submode 1 (passive) or 2 (active) "no paper"', async () => {
    // Short status answer: code, error, operator, flags (low byte: bit 1 roll, bit 7 optical), mode, submode …
    for (const [index, value] of [[3, 0x80], [6, 1], [6, 2]] as const) {
      const { emu, d } = await ready();
      await d.openShift('Кассир');
      expect((await d.status()).paperOut).toBe(false);
      patchAnswers(emu, 0x10, index, value);
      expect([index, value, (await d.status()).paperOut]).toEqual([index, value, true]);
      expect(d.printerState.paperOut).toBe(true);
    }
  });
});

describe('ShtrihDriver: shifts, reports and cash around refusals and paper breaks', () => {
  it('opening a shift that is open is refused (permanent) before anything prints', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const docs = emu.device.model.documents.length;
    const e = await d.openShift('Кассир').catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.retry, e.message]).toEqual(['FISCAL_SHIFT_OPEN', 'permanent', 'Смена уже открыта.']);
    expect(emu.device.model.documents.length).toBe(docs);
  });

  it('a shift open or a Z-report that prints and then the paper ends: printed once', async () => {
    const { emu, d } = await ready();
    const open = paperRunsOutDuring(emu, d, 0xe0);
    expect((await d.openShift('Кассир')).type).toBe('openShift');
    expect(open.runs).toBe(1);
    const z = paperRunsOutDuring(emu, d, 0x41);
    expect((await d.closeShift()).type).toBe('closeShift');
    expect(z.runs).toBe(1);
  });

  it('an X-report cut by the paper is printed again in full', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const x = paperRunsOutDuring(emu, d, 0x40);
    await d.xReport();
    expect(x.runs).toBe(2);
  });

  it('a cash amount that is not a positive whole number of kopecks, or too big for the 5-byte field, is refused before the device is asked', async () => {
    const { d } = await ready();
    await d.openShift('Кассир');
    for (const amount of [0, -1, 1.5, 0xff_ffff_ffff + 1]) {
      const e = await d.cashOperation('out', amount).catch((x: unknown) => x);
      expect(isAppError(e) && [e.code, e.message, e.detail]).toEqual(['FISCAL_VALIDATION', 'Сумма внесения или выплаты должна быть больше нуля.', `cash out: ${amount}`]);
    }
    // The largest amount the field holds is the device's to judge.
    const largest = await d.cashOperation('in', 0xff_ffff_ffff).catch((x: unknown) => x);
    expect(isAppError(largest) && largest.code).not.toBe('FISCAL_VALIDATION');
    expect(await d.cashOperation('in', 1)).toBeGreaterThan(0);
  });
});

describe('ShtrihDriver: what it learns of the device at connect (identity, 2026 VAT facts)', () => {
  /** An emulator whose tax table is cut to `rows` rows before the driver connects; the commands it received. */
  async function connectWithTaxRows(rows: number): Promise<{ d: ShtrihDriver; seen: Buffer[] }> {
    const emu = emulator();
    emu.device.model.firmware.taxRows.splice(rows);
    const seen = recordCommands(emu);
    const d = await connect(emu);
    return { d, seen };
  }
  // 0x1F read table: code, password (4), table, row (2), field.
  const readsTable17 = (seen: Buffer[]): boolean => seen.some((b) => b[0] === 0x1f && b[5] === 17);

  it('the device names itself (model, model number, protocol version) as 0xFC answers', async () => {
    const { d } = await ready();
    // The emulator is a ШТРИХ-М-01Ф (model 250), protocol 1.12, with 2026 firmware C.3 build 664.
    expect(d.identity).toEqual({ protocol: 'shtrih', model: 'ШТРИХ-М-01Ф', modelNumber: 250, protocolVersion: '1.12', firmware: 'C.3', firmwareBuild: 664, firmwareDate: '2026-01-21' });
  });

  it('all 12 rows of 2026 firmware are read; 11 rows are enough to ask table 17 whether 20 % is replaced with 22 %', async () => {
    const full = await connectWithTaxRows(12);
    expect(full.d.taxFacts.rows).toHaveLength(12);
    const eleven = await connectWithTaxRows(11);
    expect(eleven.d.taxFacts.rows).toHaveLength(11);
    expect(readsTable17(eleven.seen)).toBe(true);
    expect(eleven.d.taxFacts.replace20With22).not.toBeNull();
  });

  it('old firmware (6 rows) is not asked table 17; a device with no tax rows has none (null), not an empty list', async () => {
    const old = await connectWithTaxRows(6);
    expect(old.d.taxFacts.rows).toHaveLength(6);
    expect(readsTable17(old.seen)).toBe(false);
    expect(old.d.taxFacts.replace20With22).toBeNull();
    const none = await connectWithTaxRows(0);
    expect(none.d.taxFacts.rows).toBeNull();
  });
});

describe('ShtrihDriver: modes, empty ФН, listeners and link statistics', () => {
  it('a cash operation in a mode that is neither open shift nor one named above: refused as not ready, naming the mode', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    // Short status answer: code, error, operator, flags (2), mode …
    patchAnswers(emu, 0x10, 5, 6);
    const e = await d.cashOperation('in', 100).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.message]).toEqual(['FISCAL_WRONG_MODE', 'Принтер не готов: ожидание подтверждения даты.']);
    patchAnswers(emu, 0x10, 5, 9);
    const unknown = await d.cashOperation('in', 100).catch((x: unknown) => x);
    expect(isAppError(unknown) && [unknown.code, unknown.message]).toEqual(['FISCAL_WRONG_MODE', 'Принтер не готов: режим 9.']);
  });

  it('a ФН with no documents yet: "last document" is a clear "not found", not a read of document 0', async () => {
    const { emu, d } = await ready();
    // FF01 answer: … last document number (4 bytes LE) from byte 29.
    for (const i of [29, 30, 31, 32]) patchAnswers(emu, 0xff01, i, 0);
    const e = await d.lastDocument().catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.retry, e.message, e.detail]).toEqual(['FISCAL_NOT_FOUND', 'permanent', 'В фискальном накопителе ещё нет документов.', 'FN last document number is 0']);
  });

  it('a listener taken off hears nothing more; the link statistics count the exchanges', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const heard: string[] = [];
    const listener = (): void => void heard.push('out');
    d.on('paperOut', listener);
    expect(d.off('paperOut', listener)).toBe(d);
    emu.setFault({ paper: 'out' });
    d.on('paperOut', () => setImmediate(() => emu.setFault({ paper: 'ok' })));
    await d.xReport();
    expect(heard).toEqual([]);
    expect(d.stats.roundTrips).toBeGreaterThan(0);
  });

  it('closing a shift without a cashier sends no cashier tags (no FF42, no FF0C)', async () => {
    const { emu, d } = await ready();
    await d.openShift('Кассир');
    const seen = recordCommands(emu);
    await d.closeShift();
    expect(seen.filter((b) => b[0] === 0xff && (b[1] === 0x42 || b[1] === 0x0c))).toEqual([]);
  });
});

describe('ShtrihDriver: only a refusal is an answer at connect', () => {
  it('a device type answer (0xFC) that cannot be read fails the connect, rather than being taken as "the device does not name itself"', async () => {
    const emu = emulator();
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    model.execute = (payload) => (payload[0] === 0xfc ? { answer: Buffer.from([0xfc, 0x00]), processingMs: 0 } : execute(payload));
    const e = await ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS }).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.deviceCode]).toEqual(['FISCAL_PROTOCOL', undefined]);
  });

  it('a device that refuses 0xFC (an older model) connects, unnamed', async () => {
    const emu = emulator();
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    // 0x37: "command not supported by this implementation".
    model.execute = (payload) => (payload[0] === 0xfc ? { answer: Buffer.from([0xfc, 0x37]), processingMs: 0 } : execute(payload));
    const d = await connect(emu);
    expect(d.identity).toMatchObject({ model: null, modelNumber: null, protocolVersion: null, firmware: 'C.3' });
  });
});
