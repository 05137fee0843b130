import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShtrihDriver } from '../../../main/fiscal/shtrih/driver';
import { EmulatorState } from '../../../emulators/shtrih/state';
import { startSocatPair, type SocatPair } from '../../../emulators/shtrih/socat';
import { spawnEmulatorProcess, type EmulatorProcess } from '../../../emulators/shtrih/process';
import { expectStoredExactly, refundReceipt, tempDir } from './helpers';

/**
 * Crash recovery with real processes: the emulator and the cashier app each run in their own process
 * on a socat pty pair the test owns, and get killed with SIGKILL at the worst moments.
 */
const BAUD = 115_200;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ pair: SocatPair; stateFile: string; start(): Promise<EmulatorProcess> }> {
  const tmp = tempDir();
  cleanups.push(() => tmp.remove());
  const pair = await startSocatPair();
  cleanups.push(() => pair.close());
  const stateFile = join(tmp.dir, 'fn.json');
  const start = async (): Promise<EmulatorProcess> => {
    const p = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile, baudRate: BAUD, processingScale: 0.2 });
    cleanups.push(() => p.kill());
    return p;
  };
  return { pair, stateFile, start };
}

const fnState = (file: string) => EmulatorState.parse(JSON.parse(readFileSync(file, 'utf8')));
const receiptsIn = (file: string) => fnState(file).documents.filter((d) => d.type === 3);

async function driverOn(path: string): Promise<ShtrihDriver> {
  const d = await ShtrihDriver.connect({ port: { path, baudRate: BAUD } });
  cleanups.push(() => d.close());
  return d;
}

describe('crash recovery across processes', () => {
  it('emulator killed (power cut) right after fiscalizing the close: restart, reconcile says printed, no reprint', async () => {
    const { pair, stateFile, start } = await setup();
    let emu = await start();
    const d = await driverOn(pair.hostPath);
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    await emu.setFault({ powerLoss: 'afterCloseFiscalized' });
    const r = refundReceipt(1, 5);
    await expect(d.printReceipt(r)).rejects.toMatchObject({ retry: 'unknown-outcome' });
    await emu.kill();
    emu = await start();
    const outcome = await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome.outcome).toBe('printed');
    if (outcome.outcome === 'printed') expectStoredExactly(fnState(stateFile).documents, r, outcome.document);
    expect(receiptsIn(stateFile)).toHaveLength(1);
  });

  it('emulator killed -9 in the middle of a receipt: the open receipt dies with it; notPrinted, then printed once', async () => {
    const { pair, stateFile, start } = await setup();
    let emu = await start();
    let positionsSent = 0;
    let killing: Promise<void> | undefined;
    const d = await ShtrihDriver.connect({
      port: { path: pair.hostPath, baudRate: BAUD },
      timeouts: { enqMs: 100, ackMs: 150 },
      trace: (dir, bytes) => {
        // 02 LEN FF 46 …: an FF46 (operation) frame went out.
        if (dir === '>' && bytes[0] === 0x02 && bytes[2] === 0xff && bytes[3] === 0x46 && ++positionsSent === 3) killing = emu.kill();
      },
    });
    cleanups.push(() => d.close());
    await d.openShift('Кассир');
    const n0 = (await d.status()).lastDocumentNumber;
    const r = refundReceipt(2, 6);
    await expect(d.printReceipt(r)).rejects.toMatchObject({ retry: 'unknown-outcome' });
    await killing;
    emu = await start();
    const outcome = await d.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome).toEqual({ outcome: 'notPrinted' });
    expect(receiptsIn(stateFile)).toHaveLength(0);
    const doc = await d.printReceipt(r);
    expectStoredExactly(fnState(stateFile).documents, r, doc);
  });

  it('cashier app killed -9 right after sending close: next start fetches the stale answer, reconcile says printed', async () => {
    const { pair, stateFile, start } = await setup();
    await start();
    const setupDriver = await ShtrihDriver.connect({ port: { path: pair.hostPath, baudRate: BAUD } });
    await setupDriver.openShift('Кассир');
    await setupDriver.close();
    const n0 = fnState(stateFile).lastDocumentNumber;
    const r = refundReceipt(3, 4);

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/fiscal/driverChild.ts', pair.hostPath, String(BAUD), JSON.stringify(r)], {
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
        // "> 02 LEN ff45…": the close frame is in the kernel's hands.
        if (/^> 02[0-9a-f]{2}ff45/m.test(buf)) {
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
    if (outcome.outcome === 'printed') expectStoredExactly(fnState(stateFile).documents, r, outcome.document);
    expect(d.stats.staleAnswers).toBeGreaterThanOrEqual(1);
    expect(receiptsIn(stateFile)).toHaveLength(1);
  });
});
