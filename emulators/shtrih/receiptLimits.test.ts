import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCESSING, DeviceModel } from './deviceModel';
import { firmwareOf } from './firmware';
import { freshState } from './state';

/** The per-receipt limits the emulated device enforces (main/fiscal/shtrih/PROTOCOL.md §Receipt limits), raw payloads. */
const PWD = [30, 0, 0, 0];
const device = (maxDocumentBytes?: number) => new DeviceModel(freshState(), {
  password: 30, persist: () => undefined, processing: DEFAULT_PROCESSING, processingScale: 0, firmware: firmwareOf('2026'), replace20With22: 2,
  ...(maxDocumentBytes === undefined ? {} : { maxDocumentBytes }),
});
const run = (d: DeviceModel, bytes: number[]): number[] => [...d.execute(Buffer.from(bytes)).answer];
/** FF46 refund of 1.00 × 1 at group 1, sum and tax computed by the device, named by `name` bytes ("A" by default). */
const line = (d: DeviceModel, name: number[] = [0x41]) => run(d, [0xff, 0x46, ...PWD, 2, 0x40, 0x42, 0x0f, 0, 0, 0, 100, 0, 0, 0, 0, ...Array(10).fill(0xff), 0x01, 1, 4, 1, ...name]);
const letters = (n: number) => Array<number>(n).fill(0xc0); // "А" in CP1251

describe('receipt limits of the emulated device', () => {
  it('the 101st position of a receipt is refused with the ФН error 0x0E; the receipt stays open with its 100', () => {
    const d = device();
    run(d, [0xe0, ...PWD]);
    for (let i = 0; i < 100; i++) expect(line(d)).toEqual([0xff, 0x46, 0]);
    expect(line(d)).toEqual([0xff, 0x46, 0x0e]);
    // 0xFF01 says a receipt is open with positions in it: nothing was lost by the refusal.
    expect(run(d, [0xff, 0x01, ...PWD]).slice(2, 6)).toEqual([0, 0x03, 0x04, 1]);
  });

  it('a name of 128 bytes is taken whole; 129 bytes are refused with 0x33 and nothing is added', () => {
    const d = device();
    run(d, [0xe0, ...PWD]);
    expect(line(d, letters(128))).toEqual([0xff, 0x46, 0]);
    expect(line(d, letters(129))).toEqual([0xff, 0x46, 0x33]);
    // FF45: 16 payment sums of 5 bytes (cash 1.00 first), rounding, 6 tax sums of 5 bytes, tax system.
    expect(run(d, [0xff, 0x45, ...PWD, 100, ...Array(4 + 75 + 1 + 30 + 1).fill(0)])[2]).toBe(0);
    const receipt = d.documents.at(-1);
    expect(receipt?.positions?.map((p) => p.name)).toEqual(['А'.repeat(128)]);
  });

  it('a 0x17 line of 40 bytes prints; 41 are refused with 0x33', () => {
    const d = device();
    expect(run(d, [0x17, ...PWD, 0x02, ...Array(40).fill(0x41)])).toEqual([0x17, 0, 30]);
    expect(run(d, [0x17, ...PWD, 0x02, ...Array(41).fill(0x41)])).toEqual([0x17, 0x33]);
  });

  it('a receipt whose ФН record would pass the document size is refused with the ФН error 0x10; what it holds stays', () => {
    // The assumed 32 KiB is out of reach of 100 positions; a device with a small limit shows the rule.
    const d = device(2_000);
    run(d, [0xe0, ...PWD]);
    let accepted = 0;
    while (line(d, letters(128))[2] === 0) accepted++;
    expect(line(d, letters(128))).toEqual([0xff, 0x46, 0x10]);
    // 400 bytes of receipt frame, about 160 per position with a 128-byte name.
    expect(accepted).toBeGreaterThanOrEqual(8);
    expect(accepted).toBeLessThanOrEqual(10);
    // A short name still fits where a long one did not.
    expect(line(d, [0x41])).toEqual([0xff, 0x46, 0]);
  });

  it('100 positions with 128-byte names stay under the assumed document size: the position limit binds first', () => {
    const d = device();
    run(d, [0xe0, ...PWD]);
    for (let i = 0; i < 100; i++) expect(line(d, letters(128))).toEqual([0xff, 0x46, 0]);
    expect(line(d, letters(1))).toEqual([0xff, 0x46, 0x0e]);
  });

  it('FF0C tags 1021 and 1008 take 64 bytes, 1203 takes 12; one byte more is refused with 0x33', () => {
    const d = device();
    run(d, [0xe0, ...PWD]);
    const tlv = (tag: number, n: number) => run(d, [0xff, 0x0c, ...PWD, tag & 0xff, tag >> 8, n & 0xff, n >> 8, ...Array<number>(n).fill(0x31)]);
    for (const [tag, max] of [[1021, 64], [1008, 64], [1203, 12]] as const) {
      expect(tlv(tag, max)[2]).toBe(0);
      expect(tlv(tag, max + 1)[2]).toBe(0x33);
    }
  });
});
