import { createDevice, type EmulatedDevice, type EmulatorOptions } from './device';
import type { Faults } from './faults';
import type { LinkStats } from './deviceLink';
import { createPipe, type PipeEnd } from '../memoryPipe';

export interface InMemoryEmulator {
  /** The host end of the current link: give it to ShtrihDriver.connect({ port }). */
  readonly port: PipeEnd;
  /** A fresh link to the same device, as replugging the cable does: a closed host end stays closed. */
  reconnect(): Promise<PipeEnd>;
  readonly device: EmulatedDevice;
  setFault(f: Faults): void;
  readonly stats: LinkStats;
  /** Power cut and restart from the state file (or from memory without one): RAM state is lost. */
  restart(): void;
  close(): Promise<void>;
}

/** The emulator wired to an in-memory port pair: training mode and fast tests, no socat needed. */
export function createInMemoryEmulator(opts: EmulatorOptions = {}): InMemoryEmulator {
  let [host, deviceEnd] = createPipe();
  const transmit = (bytes: Buffer): void => {
    if (deviceEnd.isOpen) void deviceEnd.write(bytes);
  };
  let device = createDevice(opts, transmit);
  const wire = () => deviceEnd.onData((chunk) => device.link.receive(chunk));
  wire();
  return {
    get port() {
      return host;
    },
    async reconnect() {
      await deviceEnd.close();
      [host, deviceEnd] = createPipe();
      wire();
      return host;
    },
    get device() {
      return device;
    },
    setFault: (f) => device.link.setFaults(f),
    get stats() {
      return device.link.stats;
    },
    restart: () => {
      device.link.powerOff();
      device.link.close();
      device = opts.stateFile ? createDevice({ ...opts, faults: {} }, transmit) : rebuildFromMemory(device, opts, transmit);
    },
    close: async () => {
      device.link.close();
      await deviceEnd.close();
    },
  };
}

function rebuildFromMemory(old: EmulatedDevice, opts: EmulatorOptions, transmit: (b: Buffer) => void): EmulatedDevice {
  const fresh = createDevice({ ...opts, faults: {} }, transmit);
  // Without a file the ФН state is the old model's (it survived the "power cut" in memory).
  Object.assign(fresh.model.snapshot, structuredClone(old.model.snapshot));
  return fresh;
}
