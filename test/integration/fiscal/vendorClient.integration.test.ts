import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSerialPort } from '../../../main/fiscal/port';
import { startPtyEmulator, type PtyEmulator } from '../../../emulators/shtrih/pty';
import { DEVICE_IDENTITY } from '../../../emulators/shtrih/deviceModel';
import { tempDir } from './helpers';
import { runVendorClient } from './vendorClient';

const BAUD = 115_200;
const tmp = tempDir();
let emu: PtyEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  tmp.remove();
});

describe('the emulator to a client that is not ours (socat pty, serialport both ends)', () => {
  it('answers 0xFC without a password, accepts the vendor driver\'s FF46 and computes FF..FF sum and tax', async () => {
    emu = await startPtyEmulator({ stateFile: join(tmp.dir, 'fn.json'), baudRate: BAUD, processingScale: 0 });
    const port = await openSerialPort({ path: emu.path, baudRate: BAUD });
    const { identity } = await runVendorClient(port, emu.device);
    expect(identity).toEqual({ ...DEVICE_IDENTITY });
  });
});
