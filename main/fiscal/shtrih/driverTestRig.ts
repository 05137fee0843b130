import { afterEach } from 'vitest';
import { ShtrihDriver } from './driver';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';
import type { EmulatorOptions } from '../../../emulators/shtrih/device';

// The Shtrih-M driver tests' rig: the real driver over the in-memory emulator. Shared by the driver's test files.

/** Link timeouts cut down for the in-memory emulator, which answers at once: a silent or stuck device fails a test quickly, not after a real printer's waits. */
export const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };

type ConnectOptions = Parameters<typeof ShtrihDriver.connect>[0];

/**
 * Call at the top level of a test file. What `emulator` and `connect` make, and what a test hands to
 * `cleanup`, is closed after each test, newest first (the driver before its emulator).
 */
export function useDriverRig(timeouts: ConnectOptions['timeouts'] = TIMEOUTS) {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const cleanup = (c: () => Promise<void> | void): void => {
    cleanups.push(c);
  };
  const emulator = (opts: EmulatorOptions = {}): InMemoryEmulator => {
    const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10, ...opts });
    cleanup(() => emu.close());
    return emu;
  };
  const connect = async (emu: InMemoryEmulator, extra: Partial<ConnectOptions> = {}): Promise<ShtrihDriver> => {
    const d = await ShtrihDriver.connect({ port: emu.port, timeouts, ...extra });
    cleanup(() => d.close());
    return d;
  };
  /** A fresh emulator and the driver connected to it. */
  const ready = async (): Promise<{ emu: InMemoryEmulator; d: ShtrihDriver }> => {
    const emu = emulator();
    return { emu, d: await connect(emu) };
  };
  return { cleanup, emulator, connect, ready };
}
