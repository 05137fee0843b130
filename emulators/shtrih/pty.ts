import { createDevice, type EmulatedDevice, type EmulatorOptions } from './device';
import type { Faults } from './faults';
import type { LinkStats } from './deviceLink';
import { openDeviceEnd, type PtyFront } from '../ptyFront';
import { startSocatPair, type SocatPair } from '../socat';

export interface PtyEmulator extends PtyFront {
  /** Point any Shtrih-M client here. */
  path: string;
  readonly device: EmulatedDevice;
  setFault(f: Faults): void;
  readonly stats: LinkStats;
}

/** Attaches an emulated device to the device end of a pty; returns a detach function. */
export async function attachDevice(devicePath: string, opts: EmulatorOptions): Promise<{ device: EmulatedDevice; detach(): Promise<void> }> {
  const end = await openDeviceEnd(devicePath, opts.baudRate ?? 0);
  const device = createDevice(opts, (bytes) => end.write(bytes));
  end.onData((chunk) => device.link.receive(chunk));
  return {
    device,
    detach: async () => {
      device.link.close();
      await end.close();
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
    get paperOut() {
      return device.model.paper === 'out';
    },
    onPowerLost: (l) => device.link.onPowerLost(l),
    // The model kept its state through the cut (the ФН is non-volatile; it lost RAM in powerOff).
    powerOn: async () => device.link.powerOn(),
    close: async () => {
      await detach();
      await pair.close();
    },
  };
}
