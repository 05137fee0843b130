import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../appError';
import { ShtrihDriver } from './driver';
import { priceRefundLines } from '../../refunds/refundableRemainder';
import { fiscalRefundReceipt } from '../../refunds/refundDocuments';
import type { RefundTender, SaleLine } from '../../../preload/contract';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';
import type { EmulatorOptions } from '../../../emulators/shtrih/device';

/**
 * Refunds across the 2026 VAT change (issue 25), from the sale line as the back end recorded it, through
 * refund pricing and the receipt document, to what the emulated ФН recorded: tag 1199, rate and VAT sum.
 * The device clock is today's (2026 or later), so a 2025 sale is always refunded "in 2026".
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function till(opts: EmulatorOptions = {}): Promise<{ emu: InMemoryEmulator; driver: ShtrihDriver }> {
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10, ...opts });
  cleanups.push(() => emu.close());
  const driver = await ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS });
  cleanups.push(() => driver.close());
  await driver.openShift('Кассир');
  return { emu, driver };
}

const saleLine = (lineId: string, over: Partial<SaleLine>): SaleLine => ({
  lineId, name: `Позиция ${lineId}`, priceMinor: 12_000, quantityMilli: 1000, amountMinor: 12_000, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods',
  refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000, ...over,
});
const cash = (amountMinor: number): RefundTender => ({ paymentPartId: 'p1', kind: 'cash', amountMinor, needsCard: false });

/** Refund every line of a sale in full and return what the ФН recorded for each position. */
async function refundAll(driver: ShtrihDriver, emu: InMemoryEmulator, lines: SaleLine[]) {
  const refundLines = priceRefundLines(lines, lines.map((l) => ({ lineId: l.lineId, quantityMilli: l.quantityMilli })));
  const total = refundLines.reduce((s, l) => s + l.amountMinor, 0);
  await driver.printReceipt(fiscalRefundReceipt({ id: 'r1', lines: refundLines, tenders: [cash(total)] }, 'Кассир'));
  const receipt = emu.device.model.documents.at(-1);
  expect(receipt?.operation).toBe(2);
  return (receipt?.positions ?? []).map((p) => ({ group: p.taxGroup, tag: p.vatTag, rate: p.vatRate, vat: p.vatMinor, amount: p.amountMinor, method: p.paymentMethod }));
}

describe('VAT on refunds across 1 January 2026 (2026 firmware, "do not replace 20 with 22")', () => {
  it('a 2025 sale at 20 % refunded in 2026 prints 20 % (tag 1199 = 1) and its VAT sum', async () => {
    const { emu, driver } = await till();
    const recorded = await refundAll(driver, emu, [saleLine('a', { amountMinor: 12_345, priceMinor: 12_345 })]);
    expect(recorded).toEqual([{ group: 1, tag: 1, rate: 2000, vat: 2_058, amount: 12_345, method: 4 }]);
  });

  it('a 2026 sale at 22 % prints 22 % (tag 1199 = 11, group 11) and its VAT sum', async () => {
    const { emu, driver } = await till();
    const recorded = await refundAll(driver, emu, [saleLine('a', { vat: 'vat22', amountMinor: 12_200, priceMinor: 12_200 })]);
    expect(recorded).toEqual([{ group: 11, tag: 11, rate: 2200, vat: 2_200, amount: 12_200, method: 4 }]);
  });

  it('a receipt mixing 20 % and 10 % lines keeps each line\'s own rate', async () => {
    const { emu, driver } = await till();
    const recorded = await refundAll(driver, emu, [
      saleLine('a', { amountMinor: 6_000, priceMinor: 6_000 }),
      saleLine('b', { vat: 'vat10', amountMinor: 5_500, priceMinor: 5_500 }),
    ]);
    expect(recorded.map(({ tag, rate, vat }) => ({ tag, rate, vat }))).toEqual([
      { tag: 1, rate: 2000, vat: 1_000 },
      { tag: 2, rate: 1000, vat: 500 },
    ]);
  });

  it('a 2025 prepayment at 20/120 is refunded at 20/120 (tag 1199 = 3) as a prepayment', async () => {
    const { emu, driver } = await till();
    const recorded = await refundAll(driver, emu, [saleLine('a', { vat: 'vat120', paymentMethod: 'prepayment100', itemSign: 'payment', amountMinor: 60_000, priceMinor: 60_000 })]);
    expect(recorded).toEqual([{ group: 5, tag: 3, rate: 2000, vat: 10_000, amount: 60_000, method: 1 }]);
  });
});

describe('a device that cannot print the sale\'s rate refuses before the printer is touched', () => {
  it('pre-2026 firmware: 20 % still prints at 20 %, 22 % is refused with "update the firmware"', async () => {
    const { emu, driver } = await till({ firmware: 'pre2026' });
    expect(driver.taxFacts.rows).toHaveLength(6);
    expect(await refundAll(driver, emu, [saleLine('a', {})])).toMatchObject([{ tag: 1, rate: 2000, vat: 2_000 }]);
    const before = emu.stats.commands;
    const e = await refundAll(driver, emu, [saleLine('b', { vat: 'vat22' })]).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_VAT_RATE');
    expect(isAppError(e) && e.message).toMatch(/Обновите прошивку ККТ до версии 2026 года/);
    expect(emu.stats.commands).toBe(before);
  });

  it('2026 firmware left at the vendor default (replace 20 % with 22 %): 20 % and 20/120 are refused with what to set, 22 % prints', async () => {
    const { emu, driver } = await till({ replace20With22: 1 });
    expect(driver.taxFacts.replace20With22).toBe(1);
    const before = emu.stats.commands;
    for (const vat of ['vat20', 'vat120'] as const) {
      const e = await refundAll(driver, emu, [saleLine('a', { vat })]).catch((x: unknown) => x);
      expect(isAppError(e) && e.message).toMatch(/таблице 17 поле 71 значение 2/);
    }
    expect(emu.stats.commands).toBe(before);
    expect(await refundAll(driver, emu, [saleLine('b', { vat: 'vat22', amountMinor: 12_200, priceMinor: 12_200 })])).toMatchObject([{ tag: 11, rate: 2200 }]);
  });
});
