import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/appError';
import { ShtrihDriver } from '../../../main/fiscal/shtrih/driver';
import type { FiscalDocument } from '../../../main/fiscal/documents';
import { createInMemoryEmulator } from '../../../emulators/shtrih/memory';
import { expectStoredExactly, printExactlyOnce, refundReceipt } from './helpers';

/**
 * 1% of all bytes, both directions, replaced by random other bytes, over 500 refunds. The in-memory link
 * (no wire time, instant device) keeps this inside the time budget; the pty suite runs the same fault
 * over a real pseudo-terminal. Timeouts are tight because the link is instant (a reply 40 ms late is not coming:
 * settleMs writes it off there instead of after the 600 ms a real line needs).
 *
 * The Shtrih-M checksum is an 8-bit XOR: two damaged bytes of a frame whose changes are equal cancel out,
 * and the device executes a frame that is not what was sent. No host can see that. The emulator counts
 * such frames; a receipt they touched is held to "printed exactly once, FN total = what the driver
 * returned" instead of byte-for-byte equality, and a device refusal they caused is retried as a cashier would.
 */
describe('1% random byte corruption over 500 receipts', () => {
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 2 });
  afterAll(() => emu.close());

  it('every receipt is in the ФН exactly once, exactly as sent', async () => {
    const driver = await ShtrihDriver.connect({ port: emu.port, timeouts: { enqMs: 8, ackMs: 10, interByteMs: 4, answerMs: 200, busyRetryMs: 2, settleMs: 40 } });
    await driver.openShift('Кассир');
    emu.setFault({ corruptProbability: 0.01, seed: 20_260_101 });
    const printed: Array<{ r: ReturnType<typeof refundReceipt>; doc: FiscalDocument; invisibleDamage: boolean }> = [];
    for (let i = 1; i <= 500; i++) {
      const r = refundReceipt(i, 2);
      const before = emu.stats.undetectedCorruptions;
      for (;;) {
        try {
          printed.push({ r, doc: await printExactlyOnce(driver, r), invisibleDamage: emu.stats.undetectedCorruptions > before });
          break;
        } catch (e) {
          // Only damage the checksum could not see may make the device refuse a valid receipt.
          if (!isAppError(e) || emu.stats.undetectedCorruptions === before) throw e;
        }
      }
    }
    emu.setFault({ corruptProbability: 0 });
    const docs = emu.device.model.documents;
    expect(docs.filter((d) => d.type === 3)).toHaveLength(500);
    expect(new Set(printed.map((p) => p.doc.number)).size).toBe(500);
    for (const { r, doc, invisibleDamage } of printed) {
      const stored = docs.find((d) => d.number === doc.number);
      expect(stored?.totalMinor).toBe(doc.totalMinor);
      expect(String(stored?.fiscalSign)).toBe(doc.fiscalSign);
      if (!invisibleDamage) expectStoredExactly(docs, r, doc);
    }
    const exempt = printed.filter((p) => p.invisibleDamage).length;
    // The fault really bit: the link repaired things hundreds of times; invisible damage stayed rare.
    expect(driver.stats.naksSent + driver.stats.frameResends).toBeGreaterThan(500);
    expect(exempt).toBeLessThan(10);
    console.log(`1% corruption, 500 receipts: ${JSON.stringify(driver.stats)}; frames damaged beyond the checksum's sight: ${emu.stats.undetectedCorruptions} (${exempt} receipts)`);
    await driver.close();
  }, 240_000);
});
