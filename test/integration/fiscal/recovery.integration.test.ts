import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FiscalDevice } from '../../../main/fiscal/device';
import { startSocatPair, type SocatPair } from '../../../emulators/socat';
import { expectStoredExactly, refundReceipt, tempDir } from './helpers';
import { atol, shtrih, type EmulatorProcessHandle, type ProtocolUnderTest } from './protocols';

/**
 * Crash recovery with real processes, for each protocol: the emulator and the cashier app each run in
 * their own process on a socat pty pair the test owns, and get killed with SIGKILL at the worst moments.
 * The guarantee is the same for both: a receipt interrupted by a power cut or a crash is found printed or
 * not printed in the ФН, and is never printed twice.
 */
const BAUD = 115_200;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each([shtrih, atol])('crash recovery across processes ($name)', (p: ProtocolUnderTest) => {
  async function setup(): Promise<{ pair: SocatPair; stateFile: string; start(): Promise<EmulatorProcessHandle> }> {
    const tmp = tempDir();
    cleanups.push(() => tmp.remove());
    const pair = await startSocatPair();
    cleanups.push(() => pair.close());
    const stateFile = join(tmp.dir, 'fn.json');
    const start = async (): Promise<EmulatorProcessHandle> => {
      const e = await p.spawn(pair.devicePath, stateFile, BAUD);
      cleanups.push(() => e.kill());
      return e;
    };
    return { pair, stateFile, start };
  }

  async function driverOn(path: string, opts?: Parameters<ProtocolUnderTest['connect']>[2]): Promise<FiscalDevice> {
    const d = await p.connect(path, BAUD, opts);
    cleanups.push(() => d.close());
    return d;
  }

  it('emulator killed (power cut) right after fiscalizing the close: restart, reconcile says printed, no reprint', async () => {
    const { pair, stateFile, start } = await setup();
    let emu = await start();
    const d = await driverOn(pair.hostPath);
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    await emu.powerCutAfterClose();
    const r = refundReceipt(1, 5);
    await expect(d.printReceipt(r)).rejects.toMatchObject({ retry: 'unknown-outcome' });
    await emu.kill();
    emu = await start();
    const outcome = await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome.outcome).toBe('printed');
    if (outcome.outcome === 'printed') expectStoredExactly(p.receiptsIn(stateFile), r, outcome.document, p);
    expect(p.receiptsIn(stateFile)).toHaveLength(1);
  });

  it('emulator killed -9 in the middle of a receipt: the open receipt dies with it; notPrinted, then printed once', async () => {
    const { pair, stateFile, start } = await setup();
    let emu = await start();
    let positionsSent = 0;
    let killing: Promise<void> | undefined;
    const d = await driverOn(pair.hostPath, {
      quickTimeouts: true,
      trace: (dir, bytes) => {
        if (dir === '>' && p.isPositionFrame(bytes) && ++positionsSent === 3) killing = emu.kill();
      },
    });
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    const r = refundReceipt(2, 6);
    await expect(d.printReceipt(r)).rejects.toMatchObject({ retry: 'unknown-outcome' });
    expect(positionsSent).toBe(3);
    await killing;
    emu = await start();
    const outcome = await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome).toEqual({ outcome: 'notPrinted' });
    expect(p.receiptsIn(stateFile)).toHaveLength(0);
    const doc = await d.printReceipt(r);
    expectStoredExactly(p.receiptsIn(stateFile), r, doc, p);
  });

  it('cashier app killed -9 right after sending close: next start reconciles from the ФН and says printed, once', async () => {
    const { pair, stateFile, start } = await setup();
    await start();
    const setupDriver = await p.connect(pair.hostPath, BAUD);
    await setupDriver.openShift('Кассир');
    await setupDriver.close();
    const n0 = p.lastDocumentIn(stateFile);
    const r = refundReceipt(3, 4);

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/fiscal/driverChild.ts', p.name, pair.hostPath, String(BAUD), JSON.stringify(r)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((res) => child.once('exit', res));
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        // The close frame is in the kernel's hands.
        if (p.closeTrace.test(buf)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`driver child exited before close: ${buf.slice(-400)}`)));
    });
    await exited;

    const d = await driverOn(pair.hostPath);
    const outcome = await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome.outcome).toBe('printed');
    if (outcome.outcome === 'printed') expectStoredExactly(p.receiptsIn(stateFile), r, outcome.document, p);
    // Shtrih-M still held the close's answer and the new driver fetched it; ATOL's ABORT at connect drops it.
    const stale = p.staleAnswersFetched(d);
    if (stale !== null) expect(stale).toBeGreaterThanOrEqual(1);
    expect(p.receiptsIn(stateFile)).toHaveLength(1);
  });
});
