import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtolDriver } from './driver';
import { refund } from './refundFixture';
import { startPtyAtol, type AtolEmulator } from '../../../emulators/atol/device';
import type { SerialPortOptions } from '../port';

/** The driver on a real serial port: a socat pseudo-terminal pair with the ATOL emulator on the far end. */
const TIMEOUTS = { packetMs: 200, pollMs: 10, paperPollMs: 20, paperWaitMs: 5_000 };
const emulators: AtolEmulator[] = [];
const drivers: AtolDriver[] = [];
let dir = '';

afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close().catch(() => undefined);
  for (const e of emulators.splice(0)) await e.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<{ emu: AtolEmulator; driver: AtolDriver }> {
  dir = mkdtempSync(join(tmpdir(), 'atol-pty-'));
  const emu = await startPtyAtol({ stateFile: join(dir, 'fn.json'), printMs: 10 });
  emulators.push(emu);
  const driver = await AtolDriver.connect({ port: emu.port as SerialPortOptions, timeouts: TIMEOUTS });
  drivers.push(driver);
  return { emu, driver };
}

describe('ATOL driver ↔ emulator over a socat pty', () => {
  it('prints a refund and survives damaged frames on a real serial line', async () => {
    const { emu, driver } = await start();
    await driver.openShift('Иванова А.', '500100732259');
    emu.setFault({ badChecksumNext: 2, loseByteNext: 1 });
    const doc = await driver.printReceipt(refund());
    expect(doc).toMatchObject({ type: 'receipt', operation: 'refundOfIncome', totalMinor: 164_985 });
    expect(emu.device.model.state.documents.filter((d) => d.type === 3)).toHaveLength(1);
    expect(driver.stats.badFrames).toBeGreaterThanOrEqual(2);
  });

  it('power cut after the close: found in the ФН after restart from the state file, printed once', async () => {
    const { emu, driver } = await start();
    await driver.openShift('Иванова А.');
    const before = (await driver.status()).lastDocumentNumber;
    emu.setFault({ powerLossAfter: 0x4a });
    await expect(driver.printReceipt(refund())).rejects.toMatchObject({ code: 'FISCAL_ANSWER_LOST', retry: 'unknown-outcome' });
    await emu.restart();
    const judged = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: 164_985, operation: 'refundOfIncome' });
    expect(judged).toMatchObject({ outcome: 'printed', document: { number: before + 1 } });
    expect(emu.device.model.state.documents.filter((d) => d.type === 3)).toHaveLength(1);
  });

  it('power cut mid-receipt: known not printed after restart, the retry prints exactly one receipt', async () => {
    const { emu, driver } = await start();
    await driver.openShift('Иванова А.');
    const before = (await driver.status()).lastDocumentNumber;
    emu.setFault({ powerLossAfter: 0xe6 });
    await expect(driver.printReceipt(refund())).rejects.toMatchObject({ retry: 'unknown-outcome' });
    await emu.restart();
    expect(await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: 164_985, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    await driver.printReceipt(refund());
    expect(emu.device.model.state.documents.filter((d) => d.type === 3)).toHaveLength(1);
  });
});
