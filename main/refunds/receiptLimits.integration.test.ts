import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../emulators/shtrih/memory';
import { ShtrihDriver } from '../fiscal/shtrih/driver';
import { MAX_RECEIPT_POSITIONS } from '../fiscal/receipt';
import { cp1251 } from '../fiscal/shtrih/binary';
import type { RefundLine, RefundTender } from '../../preload/contract';
import { fiscalPositions, fiscalRefundReceipt } from './refundDocuments';
import { planReceipts } from './receiptPlan';

/**
 * The app stays under the device's per-receipt limits (issue 20 point 1; main/fiscal/shtrih/PROTOCOL.md §Receipt
 * limits): a wholesale refund of long-named lines, planned and written as the printer channel does it,
 * prints on the Shtrih-M emulator, which refuses a 101st position (0x0E), a name over 128 bytes (0x33)
 * and a document past its size (0x10) — so any receipt it takes was within them.
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };
let emu: InMemoryEmulator | undefined;
let driver: ShtrihDriver | undefined;
afterEach(async () => {
  await driver?.close();
  await emu?.close();
});

/** 230 lines with 200-character names; every seventh a discounted 5 units (prints as two positions). */
function wholesale(): RefundLine[] {
  return Array.from({ length: 230 }, (_, i) => {
    const split = i % 7 === 3;
    return {
      lineId: `line-${i}`,
      name: `Позиция ${i + 1}: ${'Кабель медный ВВГнг-LS 3×2,5 ГОСТ 31996-2012, бухта '.repeat(4)}`.slice(0, 200),
      quantityMilli: split ? 5000 : 1000,
      amountMinor: split ? 10_002 : 12_345,
      vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods',
    };
  });
}

describe('a wholesale refund within the device\'s receipt limits', () => {
  it('is planned as receipts of at most 100 positions with names cut to 128 bytes, and the emulator prints every one', async () => {
    emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
    driver = await ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS });
    await driver.openShift('Петрова И.');
    const lines = wholesale();
    const total = lines.reduce((s, l) => s + l.amountMinor, 0);
    const tenders: RefundTender[] = [
      { paymentPartId: 'cash', kind: 'cash', amountMinor: total - 500_000, needsCard: false },
      { paymentPartId: 'card', kind: 'card', amountMinor: 500_000, needsCard: true, rrn: '123456789012' },
    ];
    const plan = planReceipts(lines, tenders, (l) => fiscalPositions(l).length, MAX_RECEIPT_POSITIONS);
    expect(plan.length).toBeGreaterThanOrEqual(3);
    for (const part of plan) {
      const ids = new Set(part.lineIds);
      const receipt = fiscalRefundReceipt({
        id: 'refund-wholesale',
        lines: lines.filter((l) => ids.has(l.lineId)),
        tenders: part.tenders.map((share) => ({ ...(tenders.find((t) => t.paymentPartId === share.paymentPartId) as RefundTender), amountMinor: share.amountMinor })),
      }, 'Петрова И.');
      const doc = await driver.printReceipt(receipt);
      expect(doc.totalMinor).toBe(part.totalMinor);
    }
    const printed = emu.device.model.documents.filter((d) => d.type === 3);
    expect(printed).toHaveLength(plan.length);
    expect(printed.reduce((s, d) => s + (d.totalMinor ?? 0), 0)).toBe(total);
    const positions = printed.flatMap((d) => d.positions ?? []);
    // 230 lines, 33 of them as two positions: nothing lost, no line split across receipts.
    expect(positions).toHaveLength(230 + 33);
    for (const d of printed) expect((d.positions ?? []).length).toBeLessThanOrEqual(MAX_RECEIPT_POSITIONS);
    expect(Math.max(...printed.map((d) => (d.positions ?? []).length))).toBeGreaterThanOrEqual(MAX_RECEIPT_POSITIONS - 1);
    for (const p of positions) {
      expect(cp1251(p.name)).toHaveLength(128);
      expect(p.name.endsWith('…')).toBe(true);
    }
  });
});
