import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCESSING, DeviceModel } from './deviceModel';
import { firmwareOf, groupOfTaxByte, type FirmwareGeneration } from './firmware';
import { freshState } from './state';

/** The two firmware generations, driven with raw payloads (password 30), independent of the driver. */
const PWD = [30, 0, 0, 0];

function device(generation: FirmwareGeneration, replace20With22: 1 | 2 = 2): DeviceModel {
  return new DeviceModel(freshState(), { password: 30, persist: () => undefined, processing: DEFAULT_PROCESSING, processingScale: 0, firmware: firmwareOf(generation), replace20With22 });
}

const run = (d: DeviceModel, bytes: number[]): number[] => [...d.execute(Buffer.from(bytes)).answer];
const readTable = (d: DeviceModel, table: number, row: number, field: number) => run(d, [0x1f, ...PWD, table, row, 0, field]);

/** Refund of 122.00 at the group the tax byte names; sum and tax FF..FF (the device computes them). */
function refundLine(d: DeviceModel, taxByte: number): number[] {
  const qty = [0x40, 0x42, 0x0f, 0, 0, 0];
  const price = [0xa8, 0x2f, 0, 0, 0];
  return run(d, [0xff, 0x46, ...PWD, 2, ...qty, ...price, ...Array(10).fill(0xff), taxByte, 1, 4, 1, 0x41]);
}

function close(d: DeviceModel, cash: number): number[] {
  const body = Buffer.alloc(4 + 80 + 1 + 30 + 1);
  Buffer.from(PWD).copy(body, 0);
  body.writeUIntLE(cash, 4, 5);
  body[4 + 80 + 1 + 30] = 1;
  return run(d, [0xff, 0x45, ...body]);
}

describe('emulated firmware generations', () => {
  it('pre-2026: six tax rows, no table 17 field 71, groups 7..12 refused with 0x33', () => {
    const d = device('pre2026');
    expect(readTable(d, 6, 6, 1)).toEqual([0x1f, 0, 0xe8, 0x03]);
    expect(readTable(d, 6, 7, 1)).toEqual([0x1f, 0x33]);
    expect(readTable(d, 17, 1, 71)).toEqual([0x1f, 0x33]);
    run(d, [0xe0, ...PWD]);
    expect(refundLine(d, 0xcb)).toEqual([0xff, 0x46, 0x33]);
    expect(refundLine(d, 0x01)).toEqual([0xff, 0x46, 0]);
    expect(close(d, 12_200)[2]).toBe(0);
    expect(d.documents.at(-1)?.positions?.[0]).toMatchObject({ taxGroup: 1, vatTag: 1, vatRate: 2000, vatMinor: 2_033, amountMinor: 12_200 });
  });

  it('2026: twelve rows with 22 % and 22/122 in 11 and 12; group 11 records tag 1199 = 11', () => {
    const d = device('2026');
    expect(readTable(d, 6, 11, 1)).toEqual([0x1f, 0, 0x98, 0x08]);
    expect(Buffer.from(readTable(d, 6, 12, 2).slice(2)).toString('latin1').length).toBe(64);
    expect(readTable(d, 17, 1, 71)).toEqual([0x1f, 0, 2]);
    run(d, [0xe0, ...PWD]);
    expect(refundLine(d, 0xcb)).toEqual([0xff, 0x46, 0]);
    expect(close(d, 12_200)[2]).toBe(0);
    expect(d.documents.at(-1)?.positions?.[0]).toMatchObject({ taxGroup: 11, vatTag: 11, vatRate: 2200, vatMinor: 2_200 });
  });

  it('2026 left at "replace 20 with 22": group 1 is recorded as 22 % (tag 11) once the device clock is in 2026', () => {
    const d = device('2026', 1);
    d.clockOffsetMs = Date.UTC(2026, 5, 1) - Date.now();
    run(d, [0xe0, ...PWD]);
    expect(refundLine(d, 0x01)).toEqual([0xff, 0x46, 0]);
    expect(close(d, 12_200)[2]).toBe(0);
    expect(d.documents.at(-1)?.positions?.[0]).toMatchObject({ taxGroup: 1, vatTag: 11, vatRate: 2200 });
    // The same device in 2025 still prints 20 % for group 1.
    const before = device('2026', 1);
    before.clockOffsetMs = Date.UTC(2025, 11, 20) - Date.now();
    run(before, [0xe0, ...PWD]);
    refundLine(before, 0x01);
    close(before, 12_200);
    expect(before.documents.at(-1)?.positions?.[0]).toMatchObject({ vatTag: 1, vatRate: 2000 });
  });

  it('reads the FF46 tax byte as the vendor documents it', () => {
    expect([0x01, 0x08, 0x20, 0x81, 0x88, 0x90, 0xa0, 0xcb, 0xcc].map(groupOfTaxByte)).toEqual([1, 4, 6, 7, 10, 11, 12, 11, 12]);
    expect([0x00, 0x03, 0x40, 0x83, 0xc0].map(groupOfTaxByte)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
