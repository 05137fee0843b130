import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../appError';
import { AtolDriver } from './driver';
import { refund } from './refundFixture';
import { createInMemoryAtol, type AtolEmulator } from '../../../emulators/atol/device';
import type { FiscalPort } from '../port';

/**
 * Receipts on a noisy line (bytes lost and changed at random, both directions, seeded): every receipt the
 * driver or the ФН reconciliation confirms is in the ФН exactly once, and nothing else is.
 */
let emu: AtolEmulator | undefined;
let driver: AtolDriver | undefined;
afterEach(async () => {
  await driver?.close().catch(() => undefined);
  await emu?.close();
});

async function retrying<T>(f: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (i > 8 || !isAppError(e) || e.retry === 'permanent') throw e;
    }
  }
}

describe('ATOL driver on a noisy line', () => {
  it.each([11, 29])('seed %i: every confirmed receipt is in the ФН once, no other receipt is', async (seed) => {
    emu = createInMemoryAtol({ printMs: 2 });
    const d = await AtolDriver.connect({ port: emu.port as FiscalPort, timeouts: { packetMs: 60, pollMs: 2 } });
    driver = d;
    await d.openShift('Иванова А.');
    emu.setFault({ corruptProbability: 0.004, lossProbability: 0.002, seed });
    let confirmed = 0;
    let unknown = 0;
    for (let i = 0; i < 8; i++) {
      const before = await retrying(async () => (await d.status()).lastDocumentNumber);
      try {
        await d.printReceipt(refund());
        confirmed++;
      } catch (e) {
        if (!isAppError(e) || e.retry === 'permanent') throw e;
        unknown++;
        const judged = await retrying(() => d.reconcileReceipt({ lastNumberBefore: before, totalMinor: 164_985, operation: 'refundOfIncome' }));
        expect(judged.outcome).not.toBe('ambiguous');
        if (judged.outcome === 'printed') confirmed++;
      }
    }
    const receipts = emu.device.model.state.documents.filter((doc) => doc.type === 3);
    expect(receipts).toHaveLength(confirmed);
    expect(receipts.every((r) => r.totalMinor === 164_985)).toBe(true);
    expect(d.stats.badFrames + unknown).toBeGreaterThan(0);
  }, 30_000);
});
