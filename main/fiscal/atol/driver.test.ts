import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtolDriver } from './driver';
import { createInMemoryAtol, type AtolEmulator, type AtolEmulatorOptions } from '../../../emulators/atol/device';
import type { FiscalPort } from '../port';
import { refund } from './refundFixture';

const TIMEOUTS = { packetMs: 120, pollMs: 5, paperPollMs: 20, paperWaitMs: 5_000 };

const open: AtolEmulator[] = [];
const drivers: AtolDriver[] = [];
const dirs: string[] = [];

async function setup(opts: AtolEmulatorOptions = {}): Promise<{ emu: AtolEmulator; driver: AtolDriver }> {
  const emu = createInMemoryAtol({ printMs: 5, ...opts });
  open.push(emu);
  const driver = await AtolDriver.connect({ port: emu.port as FiscalPort, timeouts: TIMEOUTS });
  drivers.push(driver);
  return { emu, driver };
}

const receipts = (emu: AtolEmulator) => emu.device.model.state.documents.filter((d) => d.type === 3);

afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close().catch(() => undefined);
  for (const e of open.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ATOL driver ↔ emulator (in memory)', () => {
  it('opens a shift, prints a refund with cashier tags, VAT and two tenders, reports and closes the shift', async () => {
    const { emu, driver } = await setup();
    expect(driver.connectStatus.shiftOpen).toBe(false);
    const shift = await driver.openShift('Иванова А.', '500100732259');
    expect(shift).toMatchObject({ number: 1, type: 'openShift' });
    expect(emu.device.model.state.documents[0]?.tags).toEqual({ '1021': 'Иванова А.', '1203': '500100732259' });

    const doc = await driver.printReceipt(refund());
    expect(doc).toMatchObject({ number: 2, type: 'receipt', operation: 'refundOfIncome', totalMinor: 164_985 });
    const stored = emu.device.model.state.documents[1];
    expect(stored?.lines).toEqual([
      { name: 'Чайник №5', priceMinor: 150_000, quantityMilli: 1000, amountMinor: 150_000, sign: 1, method: 4, tax: 3 },
      { name: 'Сахар', priceMinor: 9_990, quantityMilli: 1500, amountMinor: 14_985, sign: 1, method: 4, tax: 2 },
    ]);
    expect(stored?.payments).toEqual([
      { type: 2, amountMinor: 100_000 },
      { type: 1, amountMinor: 64_985 },
    ]);
    expect(stored?.tags).toMatchObject({ '1021': 'Иванова А.', '1203': '500100732259', '1055': '1' });

    await driver.xReport();
    await driver.printText(['КОПИЯ ЧЕКА', 'Итого 1 649,85']);
    expect(emu.device.model.state.printed.slice(-2)).toEqual(['КОПИЯ ЧЕКА', 'Итого 1 649,85']);
    expect(await driver.lastDocument()).toEqual(doc);
    expect(await driver.findDocument(1)).toEqual(shift);
    const z = await driver.closeShift('Иванова А.');
    expect(z).toMatchObject({ number: 3, type: 'closeShift' });
    await expect(driver.closeShift()).rejects.toMatchObject({ code: 'FISCAL_SHIFT_CLOSED' });
    const first = refund().positions[0];
    if (!first) throw new Error('fixture');
    await expect(driver.printReceipt(refund({ positions: [{ ...first, markingCode: '0104600000000000215abc' }], tenders: { cashMinor: 150_000 } }))).rejects.toMatchObject({ code: 'FISCAL_UNSUPPORTED', retry: 'permanent' });
    const st = await driver.status();
    expect(st).toMatchObject({ shiftOpen: false, lastDocumentNumber: 3, openDocument: false, paperOut: false, modeText: 'режим выбора' });
  });

  it('refuses a rate it has no source for before anything is sent, and a device refusal leaves no open receipt', async () => {
    const { emu, driver } = await setup();
    await driver.openShift('Иванова А.');
    const before = emu.device.link.stats.packetsIn;
    const first = refund().positions[0];
    if (!first) throw new Error('fixture');
    await expect(driver.printReceipt(refund({ positions: [{ ...first, vat: 'vat22' }], tenders: { cashMinor: 150_000 } }))).rejects.toMatchObject({ code: 'FISCAL_VAT_RATE' });
    expect(emu.device.link.stats.packetsIn).toBe(before);
    // A 24-hour shift: the device refuses the receipt (136); the driver leaves nothing open.
    emu.device.model.state.shift.openedAtMs -= 25 * 3_600_000;
    await expect(driver.printReceipt(refund())).rejects.toMatchObject({ code: 'FISCAL_DEVICE_ERROR', deviceCode: 136 });
    expect((await driver.status()).openDocument).toBe(false);
    expect(receipts(emu)).toHaveLength(0);
  });

  it('a remainder line a kopeck off the device rounding closes for its own amount, either way; one further off is refused unsent', async () => {
    const { emu, driver } = await setup();
    await driver.openShift('Иванова А.');
    const cheese = { name: 'Сыр весовой', priceMinor: 3_333, vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods' } as const;
    // 33.33 × 0.333 = 11.09889, the device makes 11.10 of it; 33.33 × 0.337 = 11.23221, the device makes 11.23.
    for (const [quantityMilli, amountMinor] of [
      [333, 1_109],
      [337, 1_124],
    ] as const) {
      const doc = await driver.printReceipt(refund({ positions: [{ ...cheese, quantityMilli, amountMinor }], tenders: { cashMinor: amountMinor } }));
      expect(doc).toMatchObject({ type: 'receipt', operation: 'refundOfIncome', totalMinor: amountMinor });
      const stored = emu.device.model.state.documents.at(-1);
      expect(stored?.totalMinor).toBe(amountMinor);
      expect(stored?.lines.map((l) => [l.quantityMilli, l.amountMinor])).toEqual([[quantityMilli, amountMinor]]);
      expect(stored?.payments).toEqual([{ type: 1, amountMinor }]);
    }
    expect(receipts(emu)).toHaveLength(2);
    // Two kopecks from price × quantity is no rounding: refused as before, nothing reaches the device.
    const before = emu.device.link.stats.packetsIn;
    await expect(driver.printReceipt(refund({ positions: [{ ...cheese, quantityMilli: 333, amountMinor: 1_108 }], tenders: { cashMinor: 1_108 } }))).rejects.toMatchObject({ code: 'FISCAL_VALIDATION' });
    expect(emu.device.link.stats.packetsIn).toBe(before);
    expect(receipts(emu)).toHaveLength(2);
  });

  it('survives damaged and cut answers without running a command twice', async () => {
    const { emu, driver } = await setup();
    await driver.openShift('Иванова А.');
    emu.setFault({ badChecksumNext: 3 });
    expect((await driver.status()).shiftOpen).toBe(true);
    // The answer to the print command's ADD is damaged: the ADD is not sent again, REQ fetches the result.
    const duplicatesBefore = emu.device.link.stats.duplicateAdds;
    emu.setFault({ badChecksumNext: 1 });
    await driver.printText(['ОДНА СТРОКА']);
    emu.setFault({ loseByteNext: 2 });
    await driver.printText(['ВТОРАЯ СТРОКА']);
    const printed = emu.device.model.state.printed;
    expect(printed.filter((l) => l === 'ОДНА СТРОКА')).toHaveLength(1);
    expect(printed.filter((l) => l === 'ВТОРАЯ СТРОКА')).toHaveLength(1);
    expect(driver.stats.badFrames).toBeGreaterThanOrEqual(4);
    expect(emu.device.link.stats.duplicateAdds).toBe(duplicatesBefore);
  });

  it('a lost print request is reported as unknown, not resent; a lost status request is resent', async () => {
    const { emu, driver } = await setup();
    emu.setFault({ dropAddsNext: 1 });
    await expect(driver.printText(['ПОТЕРЯНО'])).rejects.toMatchObject({ code: 'FISCAL_ANSWER_LOST', retry: 'unknown-outcome' });
    expect(emu.device.model.state.printed).not.toContain('ПОТЕРЯНО');
    emu.setFault({ dropAddsNext: 1 });
    expect((await driver.status()).modeText).toBe('режим выбора');
  });

  it('a position lost on the way is delivered again only because the device kept its mode (no restart)', async () => {
    const { emu, driver } = await setup();
    await driver.openShift('Иванова А.');
    emu.setFault({ dropAddOf: 0xe6 });
    const doc = await driver.printReceipt(refund());
    expect(doc.totalMinor).toBe(164_985);
    expect(emu.device.model.state.documents.at(-1)?.lines).toHaveLength(2);
    expect(emu.device.link.stats.duplicateAdds).toBe(0);
  });

  it('lost ACKs leave results in the device, yet a reused task id never fetches an old result', async () => {
    const { emu, driver } = await setup();
    await driver.openShift('Иванова А.');
    // Twenty results stay in the device (its buffer holds 32), then task ids (0..0xDF) wrap twice.
    emu.setFault({ dropAcksNext: 20 });
    for (let i = 0; i < 250; i++) {
      expect(await driver.cashInDrawer()).toBe(0);
      expect((await driver.status()).lastDocumentNumber).toBe(1);
    }
    // Without emptying the buffer at the wrap, a new task under a held id is answered B2 and its REQ fetches the
    // old result: three commands an iteration against 224 ids put another command's answer there (malformed).
  });

  it('waits for paper in the middle of a receipt and prints every position once', async () => {
    const { emu, driver } = await setup();
    await driver.openShift('Иванова А.');
    emu.setFault({ paper: 'out' });
    let sawPaperOut = false;
    driver.on('paperOut', () => {
      sawPaperOut = true;
      emu.setFault({ paper: 'ok' });
    });
    const doc = await driver.printReceipt(refund());
    expect(sawPaperOut).toBe(true);
    expect(doc.totalMinor).toBe(164_985);
    expect(emu.device.model.state.documents.at(-1)?.lines).toHaveLength(2);
  });

  it('reports a silent device as not answering, within bounded time', async () => {
    const { emu, driver } = await setup();
    emu.setFault({ silent: true });
    const started = Date.now();
    await expect(driver.status()).rejects.toMatchObject({ code: 'FISCAL_NO_ANSWER' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('power lost after a position: the receipt is known not printed, cancelled, and printed once on retry', async () => {
    const { emu, driver } = await setup();
    await driver.openShift('Иванова А.');
    const before = (await driver.status()).lastDocumentNumber;
    emu.setFault({ powerLossAfter: 0xe6 });
    await expect(driver.printReceipt(refund())).rejects.toMatchObject({ retry: 'unknown-outcome' });
    await emu.restart();
    const judged = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: 164_985, operation: 'refundOfIncome' });
    expect(judged).toEqual({ outcome: 'notPrinted' });
    await driver.printReceipt(refund());
    expect(receipts(emu)).toHaveLength(1);
  });

  it('power lost after the close was fiscalized: the receipt is found in the ФН, never printed twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atol-state-'));
    dirs.push(dir);
    const { emu, driver } = await setup({ stateFile: join(dir, 'fn.json') });
    await driver.openShift('Иванова А.');
    const before = (await driver.status()).lastDocumentNumber;
    emu.setFault({ powerLossAfter: 0x4a });
    await expect(driver.printReceipt(refund())).rejects.toMatchObject({ retry: 'unknown-outcome' });
    await emu.restart();
    const judged = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: 164_985, operation: 'refundOfIncome' });
    expect(judged).toMatchObject({ outcome: 'printed', document: { number: before + 1, type: 'receipt', operation: 'refundOfIncome', totalMinor: 164_985 } });
    expect(receipts(emu)).toHaveLength(1);
  });

  it('keeps the ФН across a restart from the state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atol-state-'));
    dirs.push(dir);
    const file = join(dir, 'fn.json');
    const first = await setup({ stateFile: file });
    await first.driver.openShift('Иванова А.');
    const doc = await first.driver.printReceipt(refund());
    const second = await setup({ stateFile: file });
    expect(await second.driver.lastDocument()).toEqual(doc);
    expect((await second.driver.status()).shiftOpen).toBe(true);
  });

  it('names itself from A5, keeps the drawer count through 49/4F and receipts, and refuses read-back before sending anything', async () => {
    const { emu, driver } = await setup();
    expect(driver.identity).toEqual({ protocol: 'atol', model: 'АТОЛ 30Ф', modelNumber: 0x43, protocolVersion: '3', firmware: '05.09.00.72.13', firmwareBuild: null, firmwareDate: null });
    await driver.openShift('Иванова А.');
    expect(await driver.cashInDrawer()).toBe(0);
    const first = await driver.cashOperation('in', 200_000);
    expect(await driver.cashInDrawer()).toBe(200_000);
    // The refund pays 64 985 in cash out of the drawer.
    await driver.printReceipt(refund());
    expect(await driver.cashInDrawer()).toBe(135_015);
    const second = await driver.cashOperation('out', 35_015);
    expect(second).toBeGreaterThan(first);
    expect(await driver.cashInDrawer()).toBe(100_000);
    // More than the drawer holds: the device refuses, nothing moves, the device is back in selection mode.
    await expect(driver.cashOperation('out', 100_001)).rejects.toMatchObject({ code: 'FISCAL_DEVICE_ERROR', deviceCode: 152 });
    expect(await driver.cashInDrawer()).toBe(100_000);
    await expect(driver.cashOperation('in', 0)).rejects.toMatchObject({ code: 'FISCAL_VALIDATION' });
    const before = emu.device.link.stats.packetsIn;
    await expect(driver.readDocumentTlv(2)).rejects.toMatchObject({ code: 'FISCAL_UNSUPPORTED', retry: 'permanent', message: expect.stringContaining('АТОЛ') });
    await expect(driver.readReceipt(2)).rejects.toMatchObject({ code: 'FISCAL_UNSUPPORTED' });
    expect(emu.device.link.stats.packetsIn).toBe(before);
    expect(driver.taxFacts).toBeNull();
    expect(driver.lastUncheckedCodes).toEqual([]);
  });

  it('prints a rate with no public tax number only when the settings name its number', async () => {
    const emu = createInMemoryAtol({ printMs: 5 });
    open.push(emu);
    const driver = await AtolDriver.connect({ port: emu.port as FiscalPort, timeouts: TIMEOUTS, vatGroups: { vat22: 7 } });
    drivers.push(driver);
    expect(driver.taxPlan.groups.vat22).toBe(7);
    expect(driver.taxPlan.refused.vat122).toContain('F9');
    await driver.openShift('Иванова А.');
    const first = refund().positions[0];
    if (!first) throw new Error('fixture');
    await driver.printReceipt(refund({ positions: [{ ...first, vat: 'vat22' }], tenders: { cashMinor: 150_000 } }));
    expect(emu.device.model.state.documents.at(-1)?.lines[0]?.tax).toBe(7);
  });

  it('prints a correction receipt', async () => {
    const { driver } = await setup();
    await driver.openShift('Иванова А.');
    const doc = await driver.printCorrection({ kind: 'self', operation: 'income', totalMinor: 5_000, tenders: { cashMinor: 5_000 }, taxSystem: 'osn' });
    expect(doc).toMatchObject({ type: 'correction', operation: 'income', totalMinor: 5_000 });
  });
});
