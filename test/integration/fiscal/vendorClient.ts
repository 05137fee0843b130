import { expect } from 'vitest';
import { ShtrihTransport } from '../../../main/fiscal/shtrih/transport';
import type { FiscalPort } from '../../../main/fiscal/port';
import type { EmulatedDevice } from '../../../emulators/shtrih/device';

/**
 * What a client other than ours sends, byte for byte, written from the public sources (PROTOCOL.md):
 * 0xFC without a password as javapos ReadDeviceMetrics and pyshtrih `model()` do, and the FF46 frame the
 * vendor's fr_drv_ng logged in shtrih-m/fr_drv_ng issue 247 (sum 100.00, tax FF FF FF FF FF, group 4,
 * department, payment method and item sign 0). Only the link layer is ours; the payloads are not built by
 * the driver's encoders, so a driver mistake cannot hide an emulator one.
 */
const PASSWORD = Buffer.from([0x1e, 0, 0, 0]);
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** The FF46 payload of the issue 247 capture (LEN 0x30, LRC 0x8F in the log). */
export const VENDOR_FF46 = hex('FF46 1E000000 01 40420F000000 1027000000 1027000000 FFFFFFFFFF 08 00 00 00 CAEEECEFEBE5EAF1EDFBE920EEE1E5E4');

/** FF46 with both sum and tax FF..FF: the device must compute them (javapos FSPrintRecItem). */
export function ff46DeviceComputes(operation: number, quantityMicro: number, priceMinor: number, taxByte: number): Buffer {
  const q = Buffer.alloc(6);
  q.writeUIntLE(quantityMicro, 0, 6);
  const price = Buffer.alloc(5);
  price.writeUIntLE(priceMinor, 0, 5);
  return Buffer.concat([hex('FF46'), PASSWORD, Buffer.from([operation]), q, price, hex('FFFFFFFFFF FFFFFFFFFF'), Buffer.from([taxByte, 1, 4, 1]), Buffer.from('Tovar', 'ascii')]);
}

export interface VendorClientRun {
  identity: { type: number; subtype: number; protocol: number; subprotocol: number; model: number; language: number; name: string };
}

/** Runs the vendor-style session against a device on `port` and checks what the device recorded. */
export async function runVendorClient(port: FiscalPort, device: EmulatedDevice): Promise<VendorClientRun> {
  const t = new ShtrihTransport(port, { timeouts: { enqMs: 200, ackMs: 300, answerMs: 3_000 } });
  try {
    const fc = await t.exchange(Buffer.from([0xfc]));
    expect(fc[0]).toBe(0xfc);
    expect(fc[1]).toBe(0);
    const name = new TextDecoder('windows-1251').decode(fc.subarray(8)).replace(/\0+$/, '');
    const identity = { type: fc[2] ?? -1, subtype: fc[3] ?? -1, protocol: fc[4] ?? -1, subprotocol: fc[5] ?? -1, model: fc[6] ?? -1, language: fc[7] ?? -1, name };

    // Table 6 row 1 field 1: the 20 % rate in hundredths of a percent.
    const rate = await t.exchange(Buffer.concat([Buffer.from([0x1f]), PASSWORD, hex('06 0100 01')]));
    expect([...rate]).toEqual([0x1f, 0, 0xd0, 0x07]);

    expect([...(await t.exchange(Buffer.concat([Buffer.from([0xe0]), PASSWORD])))].slice(0, 2)).toEqual([0xe0, 0]);
    expect([...(await t.exchange(Buffer.concat([Buffer.from([0x8d]), PASSWORD, Buffer.from([0])])))].slice(0, 2)).toEqual([0x8d, 0]);
    expect([...(await t.exchange(VENDOR_FF46))]).toEqual([0xff, 0x46, 0]);
    // 1.5 × 99.99 at 20 % (group 1): the device computes 149.99 (half up) and its VAT 25.00.
    expect([...(await t.exchange(ff46DeviceComputes(1, 1_500_000, 9_999, 0x01)))]).toEqual([0xff, 0x46, 0]);
    // A tax byte naming two groups at once is refused with 0x33, as before.
    expect([...(await t.exchange(ff46DeviceComputes(1, 1_000_000, 100, 0x03)))]).toEqual([0xff, 0x46, 0x33]);
    const close = Buffer.alloc(2 + 4 + 16 * 5 + 1 + 6 * 5 + 1);
    hex('FF45').copy(close, 0);
    PASSWORD.copy(close, 2);
    close.writeUIntLE(10_000 + 14_999, 6, 5);
    close[6 + 80 + 1 + 30] = 1;
    const closed = await t.exchange(close);
    expect([...closed.subarray(0, 3)]).toEqual([0xff, 0x45, 0]);

    const receipt = device.model.documents.at(-1);
    expect(receipt?.totalMinor).toBe(24_999);
    expect(receipt?.positions?.map((p) => ({ amount: p.amountMinor, group: p.taxGroup, tag: p.vatTag, vat: p.vatMinor }))).toEqual([
      { amount: 10_000, group: 4, tag: 6, vat: 0 },
      { amount: 14_999, group: 1, tag: 1, vat: 2_500 },
    ]);
    return { identity };
  } finally {
    await t.close();
  }
}
