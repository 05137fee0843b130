import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../appError';
import { ShtrihDriver } from './driver';
import type { FiscalReceiptInput } from '../receipt';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';

/**
 * Survivors of StrykerJS on driver.ts (issue 11 point 7) in the driver's safety guards: each case pins a
 * boundary or a branch that decides print / not print, cancel, or what recovery is told. Real driver over
 * the in-memory Shtrih-M emulator, as driver.test.ts.
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5, settleMs: 40 };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function ready(): Promise<{ emu: InMemoryEmulator; d: ShtrihDriver }> {
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
  cleanups.push(() => emu.close());
  const d = await ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS });
  cleanups.push(() => d.close());
  return { emu, d };
}

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
