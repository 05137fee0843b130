import { describe, expect, it } from 'vitest';
import { DEFAULT_PROCESSING, DeviceModel } from './deviceModel';
import { firmwareOf } from './firmware';
import { freshState } from './state';

/** The per-receipt limits the emulated device enforces (main/fiscal/PROTOCOL.md §Receipt limits), raw payloads. */
const PWD = [30, 0, 0, 0];
const device = () => new DeviceModel(freshState(), { password: 30, persist: () => undefined, processing: DEFAULT_PROCESSING, processingScale: 0, firmware: firmwareOf('2026'), replace20With22: 2 });
const run = (d: DeviceModel, bytes: number[]): number[] => [...d.execute(Buffer.from(bytes)).answer];
/** FF46 refund of 1.00 × 1 at group 1, sum and tax computed by the device. */
const line = (d: DeviceModel) => run(d, [0xff, 0x46, ...PWD, 2, 0x40, 0x42, 0x0f, 0, 0, 0, 100, 0, 0, 0, 0, ...Array(10).fill(0xff), 0x01, 1, 4, 1, 0x41]);

describe('receipt limits of the emulated device', () => {
  it('the 101st position of a receipt is refused with the ФН error 0x0E; the receipt stays open with its 100', () => {
    const d = device();
    run(d, [0xe0, ...PWD]);
    for (let i = 0; i < 100; i++) expect(line(d)).toEqual([0xff, 0x46, 0]);
    expect(line(d)).toEqual([0xff, 0x46, 0x0e]);
    // 0xFF01 says a receipt is open with positions in it: nothing was lost by the refusal.
    expect(run(d, [0xff, 0x01, ...PWD]).slice(2, 6)).toEqual([0, 0x03, 0x04, 1]);
  });
});
