import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryEmulator, type InMemoryEmulator } from './memory';
import { DEVICE_IDENTITY } from './deviceModel';
import { runVendorClient } from '../../test/integration/fiscal/vendorClient';

let emu: InMemoryEmulator | undefined;
afterEach(async () => {
  await emu?.close();
});

describe('the emulator to a client that is not ours (in memory)', () => {
  it('answers 0xFC without a password, accepts the vendor driver\'s FF46 and computes FF..FF sum and tax', async () => {
    emu = createInMemoryEmulator({ processingScale: 0 });
    const { identity } = await runVendorClient(emu.port, emu.device);
    expect(identity).toEqual({ ...DEVICE_IDENTITY });
  });
});
