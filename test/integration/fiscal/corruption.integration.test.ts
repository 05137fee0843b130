import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/appError';
import type { FiscalDocument } from '../../../main/fiscal/documents';
import { AmbiguousOutcome, expectStoredExactly, printExactlyOnce, refundReceipt } from './helpers';
import { atol, shtrih, type ProtocolUnderTest } from './protocols';

/**
 * 1% of all bytes, both directions, replaced by random other bytes, over 500 refunds, for each protocol.
 * The in-memory link (no wire time, instant device) keeps this inside the time budget; the pty suites run
 * the same faults over a real pseudo-terminal. Timeouts are tight because the link is instant.
 *
 * No checksum sees everything: Shtrih-M's 8-bit XOR misses two damaged bytes whose changes are equal,
 * ATOL's CRC-8 misses 1 in 256 frames with two or more damaged bytes or a damaged length. The device then
 * executes, or the host reads, a frame that is not what was sent; no host can see that. Each emulator counts
 * such frames; a receipt they touched is held to "printed exactly once, ФН total = what the driver
 * returned" instead of byte-for-byte equality, a device refusal they caused is retried as a cashier would, and
 * a receipt the device registered other than sent (reconcile: ambiguous) is left to a person, never reprinted.
 */
describe.each([shtrih, atol])('1% random byte corruption over 500 receipts ($name)', (p: ProtocolUnderTest) => {
  it('every receipt is in the ФН exactly once, exactly as sent', async () => {
    const { emu, driver } = await p.inMemory();
    try {
      await driver.openShift('Кассир');
      emu.noise(0.01, 20_260_101);
      const printed: Array<{ r: ReturnType<typeof refundReceipt>; doc: FiscalDocument; invisibleDamage: boolean }> = [];
      for (let i = 1; i <= 500; i++) {
        const r = refundReceipt(i, 2);
        const before = emu.undetected();
        for (;;) {
          try {
            printed.push({ r, doc: await printExactlyOnce(driver, r), invisibleDamage: emu.undetected() > before });
            break;
          } catch (e) {
            // Only damage the checksum could not see may make the device refuse a valid receipt, or register one
            // that is not what was sent (reconcile then finds another total: a person's to look at, never a reprint).
            if (emu.undetected() === before) throw e;
            if (e instanceof AmbiguousOutcome) {
              printed.push({ r, doc: await driver.lastDocument(), invisibleDamage: true });
              break;
            }
            if (!isAppError(e)) throw e;
          }
        }
      }
      emu.quiet();
      const receipts = emu.receipts();
      expect(receipts).toHaveLength(500);
      expect(new Set(printed.map((x) => x.doc.number)).size).toBe(500);
      for (const { r, doc, invisibleDamage } of printed) {
        const stored = receipts.find((d) => d.number === doc.number);
        expect(stored?.totalMinor).toBe(doc.totalMinor);
        expect(stored?.fiscalSign).toBe(doc.fiscalSign);
        if (!invisibleDamage) expectStoredExactly(receipts, r, doc, p);
      }
      const exempt = printed.filter((x) => x.invisibleDamage).length;
      // The fault really bit: the link repaired things hundreds of times; invisible damage stayed rare.
      expect(p.repairs(driver)).toBeGreaterThan(500);
      expect(exempt).toBeLessThan(10);
      console.log(`${p.name}, 1% corruption, 500 receipts: ${JSON.stringify(driver.stats)}; frames damaged beyond the checksum's sight: ${emu.undetected()} (${exempt} receipts)`);
    } finally {
      await driver.close();
      await emu.close();
    }
  }, 240_000);
});
