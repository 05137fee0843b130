import { describe, expect, it } from 'vitest';
import { isAppError } from '../../appError';
import type { FiscalReceiptInput } from '../receipt';
import type { InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { NANO_MODEL } from './taxByte';
import { TIMEOUTS, useDriverRig } from './driverTestRig';

/**
 * The last StrykerJS survivors of driver.ts (issue 11 point 7): what the driver hands the link at connect
 * and per command, how it reads the device's tax table, the tax byte of the device's model, and the texts
 * a cashier and IT read. Real driver over the in-memory Shtrih-M emulator (driverTestRig.ts).
 */
const { emulator, connect } = useDriverRig();

const line = (amountMinor: number, vat: FiscalReceiptInput['positions'][number]['vat'] = 'vat20'): FiscalReceiptInput['positions'][number] => ({
  name: 'Товар', priceMinor: amountMinor, quantityMilli: 1_000, amountMinor, vat, paymentMethod: 'fullPayment', itemSign: 'goods',
});

/** Rewrites the device's answers to 0x1F (read table) for table 6, as a device with that table content answers. */
function taxTableAnswers(emu: InMemoryEmulator, answer: (row: number, field: number, value: Buffer) => Buffer | 'refuse'): void {
  const model = emu.device.model;
  const execute = model.execute.bind(model);
  model.execute = (payload) => {
    const result = execute(payload);
    if (payload[0] !== 0x1f || payload[5] !== 6 || result.answer[1] !== 0) return result;
    // 0x1F: code, password (4), table, row (2), field; answer: code, error, value.
    const a = answer(payload.readUInt16LE(6), payload[8] ?? 0, result.answer.subarray(2));
    return { ...result, answer: a === 'refuse' ? Buffer.from([0x1f, 0x33]) : Buffer.concat([result.answer.subarray(0, 2), a]) };
  };
}

describe('ShtrihDriver reads the device\'s tax table (PROTOCOL.md §VAT 2026: table 6 field 1 rate, field 2 name, CP1251)', () => {
  it('a row whose name the device refuses ends the table: the rows before it are the table', async () => {
    const emu = emulator();
    taxTableAnswers(emu, (row, field, value) => (row === 3 && field === 2 ? 'refuse' : value));
    const d = await connect(emu);
    expect(d.taxFacts.rows).toEqual([{ group: 1, rate: 2000, name: 'НДС 20%' }, { group: 2, rate: 1000, name: 'НДС 10%' }]);
  }, 20_000);

  it('a rate field the device answers with no bytes reads as 0 %, and the table goes on', async () => {
    const emu = emulator();
    taxTableAnswers(emu, (row, field, value) => (row === 2 && field === 1 ? Buffer.alloc(0) : value));
    const d = await connect(emu);
    expect(d.taxFacts.rows?.slice(0, 3)).toEqual([{ group: 1, rate: 2000, name: 'НДС 20%' }, { group: 2, rate: 0, name: 'НДС 10%' }, { group: 3, rate: 0, name: 'НДС 0%' }]);
    expect(d.taxFacts.rows).toHaveLength(12);
  }, 20_000);

  it('a name is cut of its trailing NULs and spaces only: a NUL inside the name stays', async () => {
    const emu = emulator();
    const rows = emu.device.model.firmware.taxRows;
    rows[0] = { rate: 2000, name: '  НДС 20%  ' };
    rows[1] = { rate: 1000, name: 'НДС\u000010%' };
    const d = await connect(emu);
    expect(d.taxFacts.rows?.slice(0, 2).map((r) => r.name)).toEqual(['НДС 20%', 'НДС\u000010%']);
  }, 20_000);
});

describe('ShtrihDriver sends the tax byte of the device\'s own model (PROTOCOL.md §VAT 2026, taxByte.ts)', () => {
  it('a ШТРИХ-НАНО-Ф (model 152) gets 22 % as 0x90, the desktop code 0xCB would be another byte on its wire', async () => {
    const emu = emulator();
    const model = emu.device.model;
    const execute = model.execute.bind(model);
    const taxBytes: number[] = [];
    model.execute = (payload) => {
      if (payload[0] === 0xff && payload[1] === 0x46) taxBytes.push(payload[28] ?? -1);
      const result = execute(payload);
      // 0xFC answer: code, error, type, subtype, protocol, subprotocol, model, language, name.
      if (payload[0] !== 0xfc || result.answer[1] !== 0) return result;
      const answer = Buffer.from(result.answer);
      answer[6] = NANO_MODEL;
      return { ...result, answer };
    };
    const d = await connect(emu);
    expect(d.identity.modelNumber).toBe(NANO_MODEL);
    await d.openShift('Кассир');
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(1220, 'vat22')], tenders: { cashMinor: 1220 } });
    expect(taxBytes).toEqual([0x90]);
  }, 20_000);
});

describe('ShtrihDriver: the link gets the times the driver was given', () => {
  it('a report that takes longer than the default answer wait is waited for with the report\'s own time (AnswerMs.report), not judged lost', async () => {
    // Default answer wait and busy limit of 200 ms; this device needs 1 s for the Z report (PROTOCOL.md §Link:
    // a device still working answers ENQ with ACK, and the host waits up to the command's own answer time).
    const emu = emulator({ processingScale: 1, processing: { report: 1_000, openShift: 5, status: 1, fnQuery: 1, writeTable: 1, tlv: 1 } });
    const d = await connect(emu, { timeouts: { ...TIMEOUTS, answerMs: 200, maxBusyMs: 200 } });
    await d.openShift('Кассир');
    const z = await d.closeShift('Кассир');
    expect(z.type).toBe('closeShift');
    expect(emu.device.model.documents.at(-1)?.number).toBe(z.number);
  }, 20_000);

  it('the ENQ and settle waits given at connect are the ones used: a silent device is given up after a few short waits, not the default 150 ms / 600 ms ones', async () => {
    const emu = emulator();
    const d = await connect(emu, { timeouts: { ...TIMEOUTS, enqMs: 10, settleMs: 10 } });
    emu.setFault({ silent: true });
    const started = Date.now();
    const e = await d.status().catch((x: unknown) => x);
    const elapsed = Date.now() - started;
    expect(isAppError(e) && e.code).toBe('FISCAL_NO_ANSWER');
    // Five ENQ waits and four settle waits of 10 ms each; with the link's defaults (150 ms, 600 ms) at least 3 s.
    expect(elapsed).toBeLessThan(1_500);
  }, 20_000);
});

describe('ShtrihDriver: what the cashier and IT read', () => {
  it('a correction whose tenders do not add up to its total is refused in Russian, with the two sums for IT, before the device is asked', async () => {
    const emu = emulator();
    const d = await connect(emu);
    const before = emu.stats;
    const framesBefore = JSON.stringify(before);
    const e = await d.printCorrection({ kind: 'self', operation: 'income', totalMinor: 500, tenders: { cashMinor: 300, electronicMinor: 100 }, taxSystem: 'osn' }).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.message, e.detail]).toEqual(['FISCAL_VALIDATION', 'Сумма оплат не равна сумме коррекции.', 'tenders 400 != total 500']);
    expect(JSON.stringify(emu.stats)).toBe(framesBefore);
  }, 20_000);

  it('paper not loaded in time: IT reads how long the driver waited, the device\'s mode and submode, and that the receipt stays open', async () => {
    const emu = emulator();
    const d = await connect(emu, { timeouts: { ...TIMEOUTS, paperWaitMs: 60 } });
    await d.openShift('Кассир');
    emu.setFault({ paper: 'out' });
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Кассир', positions: [line(100)], tenders: { cashMinor: 100 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_PAPER_OUT');
    expect(isAppError(e) && e.detail).toMatch(/^no paper after 60 ms \(mode \d+, submode \d+\); an open receipt stays open for reconciliation$/);
  }, 20_000);
});
