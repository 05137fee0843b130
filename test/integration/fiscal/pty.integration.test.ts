import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { isAppError } from '../../../main/appError';
import { ShtrihDriver } from '../../../main/fiscal/shtrih/driver';
import { startPtyEmulator, type PtyEmulator } from '../../../emulators/shtrih/pty';
import { expectStoredExactly as expectStored, printExactlyOnce, refundReceipt, tempDir } from './helpers';
import { shtrih, shtrihReceipt, type StoredReceipt } from './protocols';
import type { FiscalDocument } from '../../../main/fiscal/documents';

/**
 * Every fault class over a real pseudo-terminal pair (socat) with the serialport package on both ends,
 * at 115200 baud wire time and a 10x faster device than declared (keeps the file quick).
 */
const BAUD = 115_200;
const TIMEOUTS = { paperPollMs: 20, busyRetryMs: 20 };
let emu: PtyEmulator;
let driver: ShtrihDriver;
let seq = 0;
const tmp = tempDir();

beforeAll(async () => {
  emu = await startPtyEmulator({ stateFile: join(tmp.dir, 'fn.json'), baudRate: BAUD, processingScale: 0.1 });
  driver = await ShtrihDriver.connect({ port: { path: emu.path, baudRate: BAUD }, timeouts: TIMEOUTS });
  await driver.openShift('Смирнова О.');
});

afterAll(async () => {
  await driver?.close();
  await emu?.close();
  tmp.remove();
});

const docs = () => emu.device.model.documents.filter((d) => d.type === 3).map(shtrihReceipt);
// Read after the receipt printed (the argument after it is awaited first): the ФН as it is now.
const expectStoredExactly = (receipts: () => StoredReceipt[], r: ReturnType<typeof refundReceipt>, doc: FiscalDocument): void => expectStored(receipts(), r, doc, shtrih);

describe('fiscal driver over a socat pty', () => {
  it('prints a 10-line refund', async () => {
    const r = refundReceipt(++seq, 10);
    expectStoredExactly(docs, r, await driver.printReceipt(r));
  });

  it('bad checksums on answers: NAK and refetch', async () => {
    emu.setFault({ badChecksumNext: 4 });
    const r = refundReceipt(++seq);
    expectStoredExactly(docs, r, await driver.printReceipt(r));
    expect(driver.stats.naksSent).toBeGreaterThanOrEqual(4);
  });

  it('lost bytes: a truncated answer, then 2% byte loss for a receipt', async () => {
    emu.setFault({ dropNextAnswerBytes: 3 });
    const r1 = refundReceipt(++seq);
    expectStoredExactly(docs, r1, await printExactlyOnce(driver, r1));
    emu.setFault({ lossProbability: 0.02, seed: 11 });
    const r2 = refundReceipt(++seq);
    const doc = await printExactlyOnce(driver, r2);
    emu.setFault({ lossProbability: 0 });
    expectStoredExactly(docs, r2, doc);
  });

  it('1% random corruption both ways over 10 receipts', async () => {
    emu.setFault({ corruptProbability: 0.01, seed: 5 });
    const printed: Array<[ReturnType<typeof refundReceipt>, Awaited<ReturnType<typeof printExactlyOnce>>]> = [];
    for (let i = 0; i < 10; i++) {
      const r = refundReceipt(++seq);
      printed.push([r, await printExactlyOnce(driver, r)]);
    }
    emu.setFault({ corruptProbability: 0 });
    for (const [r, doc] of printed) expectStoredExactly(docs, r, doc);
  });

  it('paper out before the receipt and after 2 lines: waits, continues, prints once', async () => {
    let outs = 0;
    const onOut = (): void => {
      outs++;
      emu.setFault({ paper: 'ok' });
    };
    driver.on('paperOut', onOut);
    emu.setFault({ paper: 'out' });
    const r1 = refundReceipt(++seq);
    expectStoredExactly(docs, r1, await driver.printReceipt(r1));
    emu.setFault({ paperOutAfterPositions: 2, paperOutInterruptedAnswer: 'paperError' });
    const r2 = refundReceipt(++seq, 4);
    expectStoredExactly(docs, r2, await driver.printReceipt(r2));
    driver.off('paperOut', onOut);
    expect(outs).toBe(2);
  });

  it('printer busy with the previous command', async () => {
    emu.setFault({ busyForMs: 150 });
    const r = refundReceipt(++seq);
    expectStoredExactly(docs, r, await driver.printReceipt(r));
  });

  it('power loss mid-receipt: nothing fiscalized, reconcile says notPrinted, the resend prints once', async () => {
    const n0 = (await driver.status()).lastDocumentNumber;
    emu.setFault({ powerLoss: { afterPositions: 2 } });
    const r = refundReceipt(++seq);
    const e = await driver.printReceipt(r).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isAppError(e) && e.retry).toBe('unknown-outcome');
    emu.device.link.powerOn();
    expect(await driver.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' })).toEqual({ outcome: 'notPrinted' });
    expectStoredExactly(docs, r, await driver.printReceipt(r));
  });

  it('lost answer to close (power cut after fiscalizing): reconcile says printed', async () => {
    const n0 = (await driver.status()).lastDocumentNumber;
    emu.setFault({ powerLoss: 'afterCloseFiscalized' });
    const r = refundReceipt(++seq);
    await expect(driver.printReceipt(r)).rejects.toMatchObject({ retry: 'unknown-outcome' });
    emu.device.link.powerOn();
    const outcome = await driver.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' });
    expect(outcome.outcome).toBe('printed');
    if (outcome.outcome === 'printed') expectStoredExactly(docs, r, outcome.document);
  });

  it('silent device: FISCAL_NO_ANSWER within a bounded time, and back to work when it answers again', async () => {
    emu.setFault({ silent: true });
    const t0 = Date.now();
    await expect(driver.status()).rejects.toMatchObject({ code: 'FISCAL_NO_ANSWER', retry: 'transient' });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(driver.printerState.offline).toBe(true);
    emu.setFault({ silent: false });
    expect((await driver.status()).shiftOpen).toBe(true);
    expect(driver.printerState.offline).toBe(false);
  });
});

describe('npm run fiscal (the IT tool) against the pty emulator', () => {
  // Its own pty: two programs reading one tty would split the bytes between them.
  let own: PtyEmulator;
  const ownDir = tempDir();
  beforeAll(async () => {
    own = await startPtyEmulator({ stateFile: join(ownDir.dir, 'fn.json'), baudRate: BAUD, processingScale: 0.1 });
    const d = await ShtrihDriver.connect({ port: { path: own.path, baudRate: BAUD } });
    await d.openShift('ИТ');
    await d.close();
  });
  afterAll(async () => {
    await own?.close();
    ownDir.remove();
  });

  const cli = (args: string[]): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'main/fiscal/cli.ts', ...args], { cwd: process.cwd() });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });

  it('status → 0 with the shift shown; last-document → 0; bad usage → 2; silent device → 4', async () => {
    const status = await cli(['status', '--port', own.path, '--baud', String(BAUD)]);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/Смена открыта \/ shift open:\s+да/);
    const last = await cli(['last-document', '--port', own.path]);
    expect(last.code).toBe(0);
    expect(last.out).toMatch(/ФП \/ fiscal sign:\s+\d+/);
    expect((await cli(['status'])).code).toBe(2);
    own.setFault({ silent: true });
    const silent = await cli(['status', '--port', own.path]);
    own.setFault({ silent: false });
    expect(silent.code).toBe(4);
    expect(silent.out).toMatch(/не отвечает/);
  });
});
