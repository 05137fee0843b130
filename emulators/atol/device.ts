import { AtolLink, type AtolFaults } from './link';
import { AtolModel } from './model';
import { loadAtolState, saveAtolState } from './state';
import { createPipe, type PipeEnd } from '../memoryPipe';
import { openDeviceEnd, type PtyFront } from '../ptyFront';
import { startSocatPair } from '../socat';

export interface AtolEmulatorOptions {
  /** JSON file the ФН state lives in; without one it lives in memory (and survives restart() only there). */
  stateFile?: string;
  /** Milliseconds a printing command takes (default 20). */
  printMs?: number;
  modePassword?: number;
  faults?: AtolFaults;
  /** Device clock; tests move it to expire a shift. */
  now?: () => number;
  /** Wire time at this baud rate (10 bits a byte); 0 or absent = an instant line. */
  baudRate?: number;
  /** The device drops a half-received frame after this gap (ms). */
  byteTimeoutMs?: number;
}

export interface AtolDevice {
  link: AtolLink;
  model: AtolModel;
}

/** Builds a powered-on device from the state file; `transmit` carries its bytes to the host. */
export function createAtolDevice(opts: AtolEmulatorOptions, transmit: (bytes: Buffer) => void, memoryState?: AtolModel['state']): AtolDevice {
  const state = memoryState ?? loadAtolState(opts.stateFile);
  const file = opts.stateFile;
  const model = new AtolModel(state, {
    modePassword: opts.modePassword ?? 30,
    persist: (s) => {
      if (file) saveAtolState(file, s);
    },
    printMs: opts.printMs ?? 20,
    now: opts.now ?? Date.now,
  });
  model.powerOn();
  if (file) saveAtolState(file, state);
  const link = new AtolLink(model, transmit, opts.byteTimeoutMs, opts.baudRate);
  if (opts.faults) link.setFaults(opts.faults);
  return { link, model };
}

export interface AtolEmulator {
  /** What the driver opens: a memory pipe end, or the pty path. */
  readonly port: PipeEnd | { path: string; baudRate: number };
  readonly device: AtolDevice;
  setFault(f: AtolFaults): void;
  /** Power cut and power-on: RAM (task buffer, mode, open answers) is gone, the ФН state stays. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The emulator on an in-memory cable: fast tests and training mode without socat. */
export function createInMemoryAtol(opts: AtolEmulatorOptions = {}): AtolEmulator {
  const [host, deviceEnd] = createPipe();
  const transmit = (bytes: Buffer): void => {
    if (deviceEnd.isOpen) void deviceEnd.write(bytes);
  };
  let device = createAtolDevice(opts, transmit);
  deviceEnd.onData((chunk) => device.link.receive(chunk));
  return {
    port: host,
    get device() {
      return device;
    },
    setFault: (f) => device.link.setFaults(f),
    restart: async () => {
      device.link.close();
      device = createAtolDevice({ ...opts, faults: {} }, transmit, opts.stateFile ? undefined : device.model.state);
    },
    close: async () => {
      device.link.close();
      await deviceEnd.close();
    },
  };
}

/** A device on the device end of a pty that already exists (its own process in the recovery tests). */
export async function attachAtol(devicePath: string, opts: AtolEmulatorOptions): Promise<Omit<AtolEmulator, 'port'>> {
  const end = await openDeviceEnd(devicePath, opts.baudRate ?? 0);
  let device = createAtolDevice(opts, (bytes) => end.write(bytes));
  end.onData((chunk) => device.link.receive(chunk));
  return {
    get device() {
      return device;
    },
    setFault: (f) => device.link.setFaults(f),
    restart: async () => {
      device.link.close();
      // Bytes the host sent while this device was dark must not reach it.
      await end.flush();
      device = createAtolDevice({ ...opts, faults: {} }, (bytes) => end.write(bytes), opts.stateFile ? undefined : device.model.state);
    },
    close: async () => {
      device.link.close();
      await end.close();
    },
  };
}

export interface PtyAtol extends AtolEmulator, PtyFront {
  readonly port: { path: string; baudRate: number };
  setFault(f: AtolFaults): void;
}

/**
 * The emulator behind a socat pseudo-terminal pair: the driver opens `path` as a real serial port. Its
 * pty front (../ptyFront.ts) is the Shtrih-M one's: a power-loss fault leaves the device dark until
 * powerOn() builds it again from the state file (RAM lost, an open receipt annulled; the paper roll in it
 * stays as it was).
 */
export async function startPtyAtol(opts: AtolEmulatorOptions & { dir?: string } = {}): Promise<PtyAtol> {
  const pair = await startSocatPair(opts.dir);
  const attached = await attachAtol(pair.devicePath, opts);
  let powerLost: (() => void) | undefined;
  const hook = (): void => attached.device.link.onPowerLost(() => powerLost?.());
  const restart = async (): Promise<void> => {
    const paperOut = attached.device.model.paperOut;
    await attached.restart();
    attached.device.model.paperOut = paperOut;
    hook();
  };
  hook();
  return {
    port: { path: pair.hostPath, baudRate: opts.baudRate || 115200 },
    path: pair.hostPath,
    get device() {
      return attached.device;
    },
    setFault: (f) => attached.setFault(f),
    get paperOut() {
      return attached.device.model.paperOut;
    },
    onPowerLost: (l) => {
      powerLost = l;
    },
    powerOn: async () => {
      if (attached.device.link.poweredOff) await restart();
    },
    restart,
    close: async () => {
      await attached.close();
      await pair.close();
    },
  };
}
