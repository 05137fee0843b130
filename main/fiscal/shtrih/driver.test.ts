import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../appError';
import { ShtrihDriver } from './driver';
import type { PrinterState } from '../device';
import type { FiscalReceiptInput } from '../receipt';
import type { InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { TIMEOUTS, useDriverRig } from './driverTestRig';

const { cleanup, emulator, connect } = useDriverRig();

function positions(n: number): FiscalReceiptInput['positions'] {
  return Array.from({ length: n }, (_, i) => ({
    name: `Товар ${i + 1}`,
    priceMinor: 10_000 + i,
    quantityMilli: 1_500,
    amountMinor: Math.round(((10_000 + i) * 1_500) / 1_000),
    vat: 'vat20' as const,
    paymentMethod: 'fullPayment' as const,
    itemSign: 'goods' as const,
  }));
}

function refund(n = 3): FiscalReceiptInput & { total: number } {
  const p = positions(n);
  const total = p.reduce((s, x) => s + x.amountMinor, 0);
  return { operation: 'refundOfIncome', cashier: 'Петрова И.', positions: p, tenders: { cashMinor: total - 100, electronicMinor: 100 }, total };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

const receipts = (emu: InMemoryEmulator) => emu.device.model.documents.filter((d) => d.type === 3);

describe('ShtrihDriver receipts', () => {
  it('prints a refund and returns the ФН record of it', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Петрова И.');
    const r = refund(3);
    const doc = await d.printReceipt(r);
    expect(doc).toMatchObject({ type: 'receipt', operation: 'refundOfIncome', totalMinor: r.total });
    const stored = receipts(emu);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ number: doc.number, fiscalSign: Number(doc.fiscalSign), cashier: 'Петрова И.', operation: 2 });
    expect(stored[0]?.positions?.map((p) => [p.name, p.priceMinor, p.quantityMicro, p.amountMinor, p.taxRate, p.paymentMethod, p.itemSign])).toEqual(
      r.positions.map((p) => [p.name, p.priceMinor, p.quantityMilli * 1000, p.amountMinor, 1, 4, 1]),
    );
    expect(stored[0]?.payments?.[0]).toBe(r.total - 100);
    expect(stored[0]?.payments?.[1]).toBe(100);
    expect(await d.lastDocument()).toEqual(doc);
  });

  it('refuses a receipt whose tenders do not add up without sending anything', async () => {
    const emu = emulator();
    const d = await connect(emu);
    const before = emu.stats.commands;
    const r = refund(2);
    const e = await caught(d.printReceipt({ ...r, tenders: { cashMinor: r.total + 1 } }));
    expect(isAppError(e) && e.code).toBe('FISCAL_VALIDATION');
    expect(isAppError(e) && /не равна сумме чека/.test(e.message)).toBe(true);
    expect(emu.stats.commands).toBe(before);
  });

  it('refuses a line whose sum is not price × quantity, and a VAT rate the firmware does not have, before touching the device', async () => {
    const emu = emulator({ firmware: 'pre2026' });
    const d = await connect(emu);
    const before = emu.stats.commands;
    const r = refund(1);
    const bad = { ...r, positions: [{ ...r.positions[0]!, amountMinor: r.positions[0]!.amountMinor + 5 }], tenders: { cashMinor: r.total + 5 } };
    expect(isAppError(await caught(d.printReceipt(bad)))).toBe(true);
    const vat22 = { ...r, positions: [{ ...r.positions[0]!, vat: 'vat22' as const }] };
    const e = await caught(d.printReceipt(vat22));
    expect(isAppError(e) && e.code).toBe('FISCAL_VAT_RATE');
    expect(isAppError(e) && /Обновите прошивку ККТ/.test(e.message)).toBe(true);
    expect(emu.stats.commands).toBe(before);
  });

  it('honours a store override only where the device row prints that rate', async () => {
    const emu = emulator();
    // IT programmed row 7 as 22 % by hand and points 22 % at it; 10 % pointed at the 20 % row is refused.
    emu.device.model.firmware.taxRows[6] = { rate: 2200, name: 'НДС 22%' };
    const d = await connect(emu, { vatGroups: { vat22: 7, vat10: 1 } });
    await d.openShift('Кассир');
    const r = refund(1);
    await d.printReceipt({ ...r, positions: [{ ...r.positions[0]!, vat: 'vat22' }] });
    expect(receipts(emu)[0]?.positions?.[0]).toMatchObject({ taxGroup: 7, taxRate: 0x81, vatRate: 2200 });
    const e = await caught(d.printReceipt({ ...r, positions: [{ ...r.positions[0]!, vat: 'vat10' }] }));
    expect(isAppError(e) && e.code).toBe('FISCAL_VAT_RATE');
    expect(isAppError(e) && /в группе 1 .*«НДС 20%»/.test(e.message)).toBe(true);
    expect(receipts(emu)).toHaveLength(1);
  });

  it('says why it cannot print: shift closed, shift over 24 h (seen at connect)', async () => {
    const emu = emulator();
    const d = await connect(emu);
    const e = await caught(d.printReceipt(refund(1)));
    expect(isAppError(e) && e.code).toBe('FISCAL_SHIFT_CLOSED');
    await d.openShift('Кассир');
    emu.setFault({ clockOffsetMs: 25 * 3600 * 1000 });
    const d2 = await connect(emu);
    expect(d2.connectStatus.shiftExpired).toBe(true);
    const e2 = await caught(d2.printReceipt(refund(1)));
    expect(isAppError(e2) && e2.code).toBe('FISCAL_SHIFT_EXPIRED');
    expect(isAppError(e2) && e2.message).toMatch(/24 часов/);
    const z = await d2.closeShift();
    expect(z.type).toBe('closeShift');
    expect((await d2.status()).shiftOpen).toBe(false);
  });

  it('waits for paper when it is out before the receipt, then prints once', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    emu.setFault({ paper: 'out' });
    const states: PrinterState[] = [];
    d.on('status', (s) => states.push(s));
    d.on('paperOut', () => emu.setFault({ paper: 'ok' }));
    let back = 0;
    d.on('paperBack', () => back++);
    await d.printReceipt(refund(2));
    expect(back).toBe(1);
    expect(states.some((s) => s.paperOut)).toBe(true);
    expect(receipts(emu)).toHaveLength(1);
  });

  for (const answer of ['ok', 'paperError'] as const) {
    it(`paper out after 3 of 5 positions (${answer} answer): waits, continues with 0xB0, no line lost or doubled`, async () => {
      const emu = emulator();
      const d = await connect(emu);
      await d.openShift('Кассир');
      emu.setFault({ paperOutAfterPositions: 3, paperOutInterruptedAnswer: answer });
      d.on('paperOut', () => emu.setFault({ paper: 'ok' }));
      const r = refund(5);
      const doc = await d.printReceipt(r);
      const stored = receipts(emu);
      expect(stored).toHaveLength(1);
      expect(stored[0]?.positions?.map((p) => p.name)).toEqual(r.positions.map((p) => p.name));
      expect(doc.totalMinor).toBe(r.total);
    });
  }

  it('gives the receipt back unfinished (transient) if nobody loads paper in time; reconcile then cancels it', async () => {
    const emu = emulator();
    const d = await connect(emu, { timeouts: { ...TIMEOUTS, paperWaitMs: 100 } });
    await d.openShift('Кассир');
    emu.setFault({ paperOutAfterPositions: 1 });
    const before = (await d.status()).lastDocumentNumber;
    const e = await caught(d.printReceipt(refund(3)));
    expect(isAppError(e) && [e.code, e.retry]).toEqual(['FISCAL_PAPER_OUT', 'transient']);
    emu.setFault({ paper: 'ok' });
    expect(await d.reconcileReceipt({ lastNumberBefore: before, totalMinor: refund(3).total, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expect((await d.status()).openDocument).toBe(false);
  });

  it('names an open cover', async () => {
    const emu = emulator();
    const d = await connect(emu, { timeouts: { ...TIMEOUTS, paperWaitMs: 50 } });
    await d.openShift('Кассир');
    emu.setFault({ coverOpen: true });
    const e = await caught(d.printReceipt(refund(1)));
    expect(isAppError(e) && e.code).toBe('FISCAL_COVER_OPEN');
    expect(d.printerState.coverOpen).toBe(true);
  });

  it('retries while the printer is still busy with the previous command', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    const states: PrinterState[] = [];
    d.on('status', (s) => states.push(s));
    emu.setFault({ busyForMs: 80 });
    await d.printReceipt(refund(1));
    expect(states.some((s) => s.busy)).toBe(true);
    expect(receipts(emu)).toHaveLength(1);
  });

  it('cancels the receipt when the device refuses a line (nothing left open)', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    // The device loses its 10 % row after we read the table (another program reprogrammed it): it refuses line 2.
    emu.device.model.firmware.taxRows.splice(1);
    const r = refund(2);
    const e = await caught(d.printReceipt({ ...r, positions: [r.positions[0]!, { ...r.positions[1]!, vat: 'vat10' }] }));
    expect(isAppError(e) && e.deviceCode).toBe(0x33);
    expect((await d.status()).openDocument).toBe(false);
  });
});

describe('ShtrihDriver recovery', () => {
  it('lost close answer (device power cut right after fiscalizing): reconcile says printed, never prints twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fiscal-drv-'));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const emu = emulator({ stateFile: join(dir, 'fn.json') });
    const d = await connect(emu);
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    emu.setFault({ powerLoss: 'afterCloseFiscalized' });
    const r = refund(4);
    const e = await caught(d.printReceipt(r));
    expect(isAppError(e) && e.retry).toBe('unknown-outcome');
    emu.restart();
    const d2 = await connect(emu);
    const outcome = await d2.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome.outcome).toBe('printed');
    expect(receipts(emu)).toHaveLength(1);
    if (outcome.outcome === 'printed') expect(outcome.document.number).toBe(n0 + 1);
  });

  it('power cut mid-receipt: the ФН never fiscalized it, reconcile says notPrinted', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    emu.setFault({ powerLoss: { afterPositions: 2 } });
    const r = refund(4);
    expect(isAppError(await caught(d.printReceipt(r)))).toBe(true);
    emu.restart();
    const d2 = await connect(emu);
    expect(d2.connectStatus.openDocument).toBe(false);
    expect(await d2.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expect(receipts(emu)).toHaveLength(0);
  });

  it('an open document found at connect is cancelled by reconcile (notPrinted)', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    // The app died between lines: the device still holds the open receipt in RAM.
    emu.device.model.execute(Buffer.from([0x8d, 30, 0, 0, 0, 2]));
    const d2 = await connect(emu);
    expect(d2.connectStatus.openDocument).toBe(true);
    expect(await d2.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expect((await d2.status()).openDocument).toBe(false);
  });

  it('a mismatching or second receipt after N0 is ambiguous', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    const r = refund(1);
    await d.printReceipt(r);
    expect((await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total + 1, operation: 'refundOfIncome' })).outcome).toBe('ambiguous');
    await d.printReceipt(r);
    expect((await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' })).outcome).toBe('ambiguous');
  });
});

describe('ShtrihDriver other operations', () => {
  it('X-report, text, correction, find document; unknown document is FISCAL_NOT_FOUND', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    await d.xReport();
    await d.printText(['Копия чека', 'x'.repeat(90), '']);
    const c = await d.printCorrection({ kind: 'self', operation: 'income', totalMinor: 5000, tenders: { cashMinor: 5000 }, taxSystem: 'osn' });
    expect(c).toMatchObject({ type: 'correction', operation: 'income', totalMinor: 5000 });
    expect(await d.findDocument(c.number)).toEqual(c);
    const e = await caught(d.findDocument(999));
    expect(isAppError(e) && e.code).toBe('FISCAL_NOT_FOUND');
  });

  it('a wrong password is a clear permanent error at connect', async () => {
    const emu = emulator();
    const e = await caught(ShtrihDriver.connect({ port: emu.port, password: 1, timeouts: TIMEOUTS }));
    expect(isAppError(e) && [e.code, e.retry, e.deviceCode]).toEqual(['FISCAL_BAD_PASSWORD', 'permanent', 0x4f]);
  });

  it('an unplugged device at connect is FISCAL_NO_ANSWER and the port is released', async () => {
    const emu = emulator({ faults: { silent: true } });
    const e = await caught(ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS }));
    expect(isAppError(e) && e.code).toBe('FISCAL_NO_ANSWER');
    expect(emu.port.isOpen).toBe(false);
  });
});

/**
 * verifiedReceipt (issue 11): the close answer names a document; the driver returns the ФН's own record,
 * read separately. Each case damages an answer the way line noise can without the LRC noticing (two
 * bytes, same XOR), and fails if the check it aims at is removed.
 */
describe('ShtrihDriver reads a closed receipt back from the ФН', () => {
  async function ready(): Promise<{ emu: InMemoryEmulator; d: ShtrihDriver }> {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    return { emu, d };
  }
  const FF45 = 0xff45;
  const FF0A = 0xff0a;

  it('a close answer whose document number points at an earlier receipt of the same total: returns the new receipt', async () => {
    const { emu, d } = await ready();
    const first = await d.printReceipt(refund(2));
    const next = first.number + 1;
    // Answer bytes 8..11 hold the document number; byte 3 (change) takes the compensating flip.
    emu.setFault({ undetectedDamage: [{ code: FF45, bytes: [8, 3], xor: (next ^ first.number) & 0xff }] });
    const second = await d.printReceipt(refund(2));
    const stored = receipts(emu).at(-1);
    expect(second.number).toBe(next);
    expect(second.fiscalSign).toBe(String(stored?.fiscalSign));
    expect(emu.stats.undetectedCorruptions).toBe(1);
  });

  it('a close answer with a damaged fiscal sign: returns the ФН\'s fiscal sign, not the claimed one', async () => {
    const { emu, d } = await ready();
    emu.setFault({ undetectedDamage: [{ code: FF45, bytes: [12, 3], xor: 0x5a }] });
    const doc = await d.printReceipt(refund(1));
    const stored = receipts(emu).at(-1);
    expect(doc).toMatchObject({ number: stored?.number, fiscalSign: String(stored?.fiscalSign), totalMinor: stored?.totalMinor, operation: 'refundOfIncome', type: 'receipt' });
    expect(emu.stats.undetectedCorruptions).toBe(1);
  });

  it('two reads of the ФН that disagree: no document is returned, the outcome stays unknown for reconciliation', async () => {
    const { emu, d } = await ready();
    // The claimed number is 65 536 off (not in the ФН), and the first read of the last document is damaged.
    emu.setFault({ undetectedDamage: [{ code: FF45, bytes: [10, 3], xor: 0x01 }, { code: FF0A, bytes: [14, 4], xor: 0x21 }] });
    const r = refund(1);
    const e = await caught(d.printReceipt(r));
    expect(isAppError(e) && e.code).toBe('FISCAL_VERIFY_FAILED');
    expect(isAppError(e) && e.retry).toBe('unknown-outcome');
    // The receipt is in the ФН: reconciliation (the saga's next step) finds it, and nothing prints twice.
    expect(receipts(emu)).toHaveLength(1);
    const outcome = await d.reconcileReceipt({ lastNumberBefore: (receipts(emu)[0]?.number ?? 1) - 1, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome.outcome).toBe('printed');
  });

  it('a last document in the ФН that is not our receipt (an earlier income of the same total): refused, never returned', async () => {
    const { emu, d } = await ready();
    const income = await d.printReceipt({ ...refund(1), operation: 'income' });
    // The close answer's fiscal sign is damaged (so the claim is not trusted), and the ФН status read after it
    // names the income receipt as the last document (bytes 29..32; byte 7, warnings, compensates).
    const mask = ((income.number + 1) ^ income.number) & 0xff;
    emu.setFault({ undetectedDamage: [{ code: FF45, bytes: [12, 3], xor: 0x5a }, { code: 0xff01, bytes: [29, 7], xor: mask }] });
    const e = await caught(d.printReceipt(refund(1)));
    expect(isAppError(e) && e.code).toBe('FISCAL_VERIFY_FAILED');
    expect(receipts(emu).map((r) => r.operation)).toEqual([1, 2]);
  });
});

/** The driver's other safety guards (issue 11): each case fails if its guard is removed. */
describe('ShtrihDriver safety guards', () => {
  it('an open receipt left in the device is reported, not cancelled or printed into, by a new receipt', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    emu.device.model.execute(Buffer.from([0x8d, 30, 0, 0, 0, 2]));
    const e = await caught(d.printReceipt(refund(1)));
    expect(isAppError(e) && e.code).toBe('FISCAL_DOCUMENT_OPEN');
    expect(emu.device.model.hasOpenReceipt).toBe(true);
    expect(receipts(emu)).toHaveLength(0);
  });

  it('a power blip between lines (the resent line opens a new receipt by itself): the partial receipt is cancelled, never closed', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    // The device dies right after registering line 2, before its ACK, and is back at once.
    emu.device.link.onPowerLost(() => setImmediate(() => emu.device.link.powerOn()));
    emu.setFault({ powerLoss: { afterPositions: 2 } });
    const e = await caught(d.printReceipt(refund(3)));
    expect(isAppError(e) && e.code).toBe('FISCAL_RECEIPT_INTERRUPTED');
    expect(receipts(emu)).toHaveLength(0);
    expect(emu.device.model.hasOpenReceipt).toBe(false);
  });

  it('a line registered twice in the open receipt (a command repeated on the link): the receipt is cancelled, never closed', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    // The device runs line 2 twice, as it would if the host sent its frame again while it held it.
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    let lines = 0;
    model.execute = (payload) => {
      const result = execute(payload);
      if (payload[0] === 0xff && payload[1] === 0x46 && ++lines === 2) execute(payload);
      return result;
    };
    const e = await caught(d.printReceipt(refund(3)));
    expect(isAppError(e) && e.code).toBe('FISCAL_RECEIPT_INTERRUPTED');
    expect(isAppError(e) && e.detail).toContain('4 operations of 3');
    expect(isAppError(e) && e.message).toContain('лишняя позиция');
    expect(receipts(emu)).toHaveLength(0);
    expect(model.hasOpenReceipt).toBe(false);
  });

  it('reconcile: a ФН whose last document is below the recorded N0 (another ФН?) is ambiguous, not "not printed"', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    const last = (await d.status()).lastDocumentNumber;
    expect(await d.reconcileReceipt({ lastNumberBefore: last + 5, totalMinor: 100, operation: 'refundOfIncome' })).toMatchObject({ outcome: 'ambiguous' });
  });

  it('reconcile: more than 20 documents since N0 go to a person even when none is a receipt', async () => {
    const emu = emulator();
    const d = await connect(emu);
    const n0 = (await d.status()).lastDocumentNumber;
    for (let i = 0; i < 11; i++) {
      await d.openShift('Кассир');
      await d.closeShift();
    }
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toMatchObject({ outcome: 'ambiguous' });
    expect(await d.reconcileReceipt({ lastNumberBefore: n0 + 2, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
  });

  it('reconcile sends "continue printing" to a device waiting for it, then cancels the open receipt', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    emu.device.model.execute(Buffer.from([0x8d, 30, 0, 0, 0, 2]));
    emu.device.model.submode = 3;
    expect(await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: 100, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expect(emu.device.model.submode).toBe(0);
    expect(emu.device.model.hasOpenReceipt).toBe(false);
  });

  it('close shift on a closed shift, cancel with nothing open, a correction that does not add up: refused, nothing printed', async () => {
    const emu = emulator();
    const d = await connect(emu);
    const docs = emu.device.model.documents.length;
    const e = await caught(d.closeShift());
    expect(isAppError(e) && e.code).toBe('FISCAL_SHIFT_CLOSED');
    expect(await d.cancelOpenDocument()).toBe(false);
    await d.openShift('Кассир');
    const c = await caught(d.printCorrection({ kind: 'self', operation: 'income', totalMinor: 5000, tenders: { cashMinor: 4000 }, taxSystem: 'osn' }));
    expect(isAppError(c) && c.code).toBe('FISCAL_VALIDATION');
    expect(emu.device.model.documents.length).toBe(docs + 1);
  });
});

/** Survivors of StrykerJS on driver.ts (npm run mutation:fiscal) in what the saga and the UI rely on. */
describe('ShtrihDriver status and verification details', () => {
  it('status: shift open in modes 2, 3 and 8 (receipt open in an open shift), closed in 4; one event per change', async () => {
    const emu = emulator();
    const d = await connect(emu);
    const events: PrinterState[] = [];
    d.on('status', (s) => events.push(s));
    expect(await d.status()).toMatchObject({ mode: 4, shiftOpen: false, shiftExpired: false, openDocument: false });
    await d.openShift('Кассир');
    expect(await d.status()).toMatchObject({ mode: 2, shiftOpen: true, openDocument: false });
    emu.device.model.execute(Buffer.from([0x8d, 30, 0, 0, 0, 2]));
    expect(await d.status()).toMatchObject({ mode: 8, shiftOpen: true, openDocument: true });
    await d.cancelOpenDocument();
    emu.setFault({ clockOffsetMs: 25 * 3600 * 1000 });
    expect(await d.status()).toMatchObject({ mode: 3, shiftOpen: true, shiftExpired: true });
    expect(events).toEqual([]);
    emu.setFault({ paper: 'out' });
    await d.status();
    await d.status();
    emu.setFault({ paper: 'ok' });
    await d.status();
    expect(events.map((s) => s.paperOut)).toEqual([true, false]);
  });

  it('marks the printer offline when it stops answering, and online again when it answers', async () => {
    const emu = emulator();
    const d = await connect(emu);
    emu.setFault({ silent: true });
    expect(isAppError(await caught(d.status())) && d.printerState.offline).toBe(true);
    emu.setFault({ silent: false });
    await d.status();
    expect(d.printerState.offline).toBe(false);
    await emu.close();
    const e = await caught(d.status());
    expect(isAppError(e) && e.code).toBe('FISCAL_PORT_CLOSED');
    expect(d.printerState.offline).toBe(true);
  });

  it('gives up on a printer that stays busy past the limit (FISCAL_BUSY), having retried until then', async () => {
    const emu = emulator();
    const d = await connect(emu, { timeouts: { ...TIMEOUTS, busyMaxMs: 60 } });
    await d.openShift('Кассир');
    emu.setFault({ busyForMs: 5_000 });
    const before = emu.stats.commands;
    const e = await caught(d.xReport());
    expect(isAppError(e) && e.code).toBe('FISCAL_BUSY');
    expect(emu.stats.commands - before).toBeGreaterThan(2);
  });

  it('a correction adds up with every tender kind, the counter-provision one included', async () => {
    const emu = emulator();
    const d = await connect(emu);
    await d.openShift('Кассир');
    const c = await d.printCorrection({ kind: 'prescribed', operation: 'income', totalMinor: 5000, tenders: { cashMinor: 1000, electronicMinor: 1000, prepaymentMinor: 1000, creditMinor: 1000, counterMinor: 1000 }, taxSystem: 'osn' });
    expect(c).toMatchObject({ type: 'correction', totalMinor: 5000 });
  });

  for (const [what, earlier] of [
    ['another total', (d: ShtrihDriver) => d.printReceipt({ ...refund(2), operation: 'income' })],
    ['a correction, not a receipt', (d: ShtrihDriver) => d.printCorrection({ kind: 'self', operation: 'income', totalMinor: refund(1).total, tenders: { cashMinor: refund(1).total }, taxSystem: 'osn' })],
  ] as const) {
    it(`the ФН's last document is ${what} of the same operation: refused, never returned`, async () => {
      const emu = emulator();
      const d = await connect(emu);
      await d.openShift('Кассир');
      const previous = await earlier(d);
      const mask = ((previous.number + 1) ^ previous.number) & 0xff;
      emu.setFault({ undetectedDamage: [{ code: 0xff45, bytes: [12, 3], xor: 0x5a }, { code: 0xff01, bytes: [29, 7], xor: mask }] });
      const e = await caught(d.printReceipt({ ...refund(1), operation: 'income' }));
      expect(isAppError(e) && e.code).toBe('FISCAL_VERIFY_FAILED');
    });
  }
});
