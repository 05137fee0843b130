import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../appError';
import { ShtrihDriver } from './driver';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';

/** The driver's cashier tags (1021/1203 on shift documents and receipts) and cash commands, against the emulator. */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp(initialCashMinor?: number): Promise<{ emu: InMemoryEmulator; d: ShtrihDriver }> {
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10, ...(initialCashMinor ? { initialCashMinor } : {}) });
  cleanups.push(() => emu.close());
  const d = await ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS });
  cleanups.push(() => d.close());
  return { emu, d };
}

const INN = '500100732259';
const line = { name: 'Молоко', priceMinor: 8_990, quantityMilli: 1_000, amountMinor: 8_990, vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods' } as const;

describe('cashier tags', () => {
  it('the shift documents and every receipt of the shift carry the signed-in cashier (1021) and INN (1203)', async () => {
    const { emu, d } = await setUp();
    await d.openShift('Иванова А.', INN);
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Иванова А.', cashierInn: INN, positions: [line], tenders: { electronicMinor: 8_990 } });
    await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Петров Б.', positions: [line], tenders: { electronicMinor: 8_990 } });
    await d.closeShift('Петров Б.', '164807134931');
    expect(emu.device.model.documents.map((x) => [x.type, x.cashier, x.cashierInn])).toEqual([
      [2, 'Иванова А.', INN],
      [3, 'Иванова А.', INN],
      [3, 'Петров Б.', undefined],
      [5, 'Петров Б.', '164807134931'],
    ]);
  });

  it('refuses an INN that is not 12 digits before anything is printed', async () => {
    const { emu, d } = await setUp();
    await d.openShift('Иванова А.');
    const before = emu.device.model.documents.length;
    const e = await d.printReceipt({ operation: 'refundOfIncome', cashier: 'Иванова А.', cashierInn: '12345', positions: [line], tenders: { electronicMinor: 8_990 } }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_VALIDATION');
    expect(emu.device.model.documents).toHaveLength(before);
    expect(emu.device.model.hasOpenReceipt).toBe(false);
  });
});

describe('cash', () => {
  it('cash in and out move the drawer the register counts; a cash-out above it is refused with the device reason', async () => {
    const { emu, d } = await setUp(20_000);
    await d.openShift('Иванова А.');
    expect(await d.cashInDrawer()).toBe(20_000);
    expect(await d.cashOperation('in', 5_000)).toBe(1);
    expect(await d.cashOperation('out', 12_000)).toBe(2);
    expect(await d.cashInDrawer()).toBe(13_000);
    const e = await d.cashOperation('out', 13_001).catch((x: unknown) => x);
    expect(isAppError(e) && [e.code, e.deviceCode]).toEqual(['FISCAL_NO_CASH', 0x46]);
    expect(await d.cashInDrawer()).toBe(13_000);
    await d.openDrawer();
    expect(emu.device.model.drawerOpenings).toBe(1);
  });

  it('cash operations need an open shift; the driver says so without sending them', async () => {
    const { emu, d } = await setUp();
    const e = await d.cashOperation('in', 100).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('FISCAL_SHIFT_CLOSED');
    expect(emu.device.model.snapshot.cash.documents).toBe(0);
    const zero = await d.cashOperation('in', 0).catch((x: unknown) => x);
    expect(isAppError(zero) && zero.code).toBe('FISCAL_VALIDATION');
  });
});
