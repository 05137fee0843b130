import { SerialPort } from 'serialport';
import { createDevice, type EmulatedDevice, type EmulatorOptions } from './device';
import type { Faults } from './faults';
import type { LinkStats } from './deviceLink';
import { startSocatPair, type SocatPair } from './socat';

export interface PtyEmulator {
  /** Point any Shtrih-M client here. */
  path: string;
  readonly device: EmulatedDevice;
  setFault(f: Faults): void;
  readonly stats: LinkStats;
  close(): Promise<void>;
}

/** Attaches an emulated device to the device end of a pty; returns a detach function. */
export async function attachDevice(devicePath: string, opts: EmulatorOptions): Promise<{ device: EmulatedDevice; detach(): Promise<void> }> {
  const sp = new SerialPort({ path: devicePath, baudRate: opts.baudRate && opts.baudRate > 0 ? opts.baudRate : 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => sp.open((e) => (e ? reject(e) : resolve())));
  // Bytes the host sent while this device was "off" must not reach it.
  await new Promise<void>((resolve, reject) => sp.flush((e) => (e ? reject(e) : resolve())));
  const device = createDevice(opts, (bytes) => {
    if (sp.isOpen) sp.write(bytes);
  });
  sp.on('data', (chunk: Buffer) => device.link.receive(chunk));
  return {
    device,
    detach: async () => {
      device.link.close();
      if (sp.isOpen) await new Promise<void>((r) => sp.close(() => r()));
    },
  };
}

/** The emulator on a socat pseudo-terminal pair, in this process. */
export async function startPtyEmulator(opts: EmulatorOptions & { dir?: string }): Promise<PtyEmulator> {
  const pair: SocatPair = await startSocatPair(opts.dir);
  const { device, detach } = await attachDevice(pair.devicePath, opts);
  return {
    path: pair.hostPath,
    device,
    setFault: (f) => device.link.setFaults(f),
    get stats() {
      return device.link.stats;
    },
    close: async () => {
      await detach();
      await pair.close();
    },
  };
}
