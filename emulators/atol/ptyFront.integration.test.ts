import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AtolDriver } from '../../main/fiscal/atol/driver';
import { refund } from '../../main/fiscal/atol/refundFixture';
import { startPtyAtol, type PtyAtol } from './device';

/**
 * The ATOL emulator's pty front (../ptyFront.ts) under the fault names the Shtrih-M one takes, with the
 * ATOL driver on the host end of a real socat pty: what the refund chaos relies on when it runs over ATOL.
 */
const TIMEOUTS = { packetMs: 150, pollMs: 5, paperPollMs: 10, paperWaitMs: 5_000 };
const TOTAL = 164_985;
let emu: PtyAtol | undefined;
let driver: AtolDriver | undefined;
let dir = '';

afterEach(async () => {
  await driver?.close().catch(() => undefined);
  await emu?.close();
  driver = undefined;
  emu = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<{ emu: PtyAtol; driver: AtolDriver; receipts: () => number }> {
  dir = mkdtempSync(join(tmpdir(), 'atol-front-'));
  const e = await startPtyAtol({ stateFile: join(dir, 'fn.json'), printMs: 5, baudRate: 115_200, dir });
  emu = e;
  const d = await AtolDriver.connect({ port: { path: e.path, baudRate: 115_200 }, timeouts: TIMEOUTS });
  driver = d;
  await d.openShift('Иванова А.');
  return { emu: e, driver: d, receipts: () => e.device.model.state.documents.filter((x) => x.type === 3).length };
}

const powerLost = (e: PtyAtol): Promise<void> => new Promise((resolve) => e.onPowerLost(resolve));

describe('ATOL emulator pty front: the Shtrih-M fault names', () => {
  it('a wrong checksum, then an answer cut short: each repaired by the link, one receipt each', async () => {
    const { emu: e, driver: d, receipts } = await start();
    const repairs = (): number => d.stats.badFrames + d.stats.resends;
    e.setFault({ badChecksumNext: 2 });
    await expect(d.printReceipt(refund())).resolves.toMatchObject({ operation: 'refundOfIncome', totalMinor: TOTAL });
    expect(d.stats.badFrames).toBeGreaterThanOrEqual(2);
    const afterChecksums = repairs();
    e.setFault({ dropNextAnswerBytes: 3 });
    await expect(d.printReceipt(refund())).resolves.toMatchObject({ operation: 'refundOfIncome', totalMinor: TOTAL });
    expect(repairs()).toBeGreaterThan(afterChecksums);
    expect(receipts()).toBe(2);
  });

  it('paper runs out under the first position: the driver waits, the paper comes back, the receipt holds both positions', async () => {
    const { emu: e, driver: d } = await start();
    e.setFault({ paperOutAfterPositions: 1 });
    let sawOut = false;
    d.on('paperOut', () => {
      sawOut = e.paperOut;
      e.setFault({ paper: 'ok' });
    });
    await d.printReceipt(refund());
    expect(sawOut).toBe(true);
    expect(e.paperOut).toBe(false);
    const [doc] = e.device.model.state.documents.filter((x) => x.type === 3);
    expect(doc?.lines.map((l) => l.name)).toEqual(['Чайник №5', 'Сахар']);
    expect(doc?.totalMinor).toBe(TOTAL);
  });

  it('power cut after the first position: dark until powerOn, which annuls the open receipt; the retry prints one', async () => {
    const { emu: e, driver: d, receipts } = await start();
    const before = (await d.status()).lastDocumentNumber;
    const lost = powerLost(e);
    e.setFault({ powerLoss: { afterPositions: 1 } });
    await expect(d.printReceipt(refund())).rejects.toMatchObject({ retry: 'unknown-outcome' });
    await lost;
    expect(e.device.link.poweredOff).toBe(true);
    expect(e.device.model.state.receipt?.lines).toHaveLength(1);
    await e.powerOn();
    expect(e.device.model.state.receipt).toBeNull();
    expect(await d.reconcileReceipt({ lastNumberBefore: before, totalMinor: TOTAL, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    await d.printReceipt(refund());
    expect(receipts()).toBe(1);
  });

  it('power cut right after the close (4A) took effect: the answer is lost, the ФН holds the receipt once', async () => {
    const { emu: e, driver: d, receipts } = await start();
    const before = (await d.status()).lastDocumentNumber;
    const lost = powerLost(e);
    e.setFault({ powerLoss: 'afterCloseFiscalized' });
    await expect(d.printReceipt(refund())).rejects.toMatchObject({ code: 'FISCAL_ANSWER_LOST', retry: 'unknown-outcome' });
    await lost;
    expect(receipts()).toBe(1);
    await e.powerOn();
    expect(await d.reconcileReceipt({ lastNumberBefore: before, totalMinor: TOTAL, operation: 'refundOfIncome' })).toMatchObject({ outcome: 'printed', document: { number: before + 1 } });
    expect(receipts()).toBe(1);
  });

  it("power cut 'now' and a silent device: no answer until powered on / heard again; powerOn leaves a live device alone", async () => {
    const { emu: e, driver: d } = await start();
    const live = e.device;
    await e.powerOn();
    expect(e.device).toBe(live);
    const lost = powerLost(e);
    e.setFault({ powerLoss: 'now' });
    await lost;
    await expect(d.status()).rejects.toMatchObject({ code: 'FISCAL_NO_ANSWER' });
    await e.powerOn();
    expect(e.device).not.toBe(live);
    await expect(d.status()).resolves.toMatchObject({ shiftOpen: true });
    e.setFault({ silent: true });
    await expect(d.status()).rejects.toMatchObject({ code: 'FISCAL_NO_ANSWER' });
    e.setFault({ silent: false });
    await expect(d.status()).resolves.toMatchObject({ shiftOpen: true });
  });
});
