import { SerialPort } from 'serialport';
import { AtolLink, type AtolFaults } from './link';
import { AtolModel } from './model';
import { loadAtolState, saveAtolState } from './state';
import { createPipe, type PipeEnd } from '../memoryPipe';
import { startSocatPair } from '../shtrih/socat';

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
  const sp = new SerialPort({ path: devicePath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => sp.open((e) => (e ? reject(e) : resolve())));
  // Bytes the host sent while this device was dark must not reach it.
  const flush = (): Promise<void> => new Promise<void>((resolve, reject) => sp.flush((e) => (e ? reject(e) : resolve())));
  await flush();
  const transmit = (bytes: Buffer): void => {
    if (sp.isOpen) sp.write(bytes);
  };
  let device = createAtolDevice(opts, transmit);
  sp.on('data', (chunk: Buffer) => device.link.receive(chunk));
  return {
    get device() {
      return device;
    },
    setFault: (f) => device.link.setFaults(f),
    restart: async () => {
      device.link.close();
      await flush();
      device = createAtolDevice({ ...opts, faults: {} }, transmit, opts.stateFile ? undefined : device.model.state);
    },
    close: async () => {
      device.link.close();
      if (sp.isOpen) await new Promise<void>((r) => sp.close(() => r()));
    },
  };
}

/** The emulator behind a socat pseudo-terminal pair: the driver opens `port.path` as a real serial port. */
export async function startPtyAtol(opts: AtolEmulatorOptions = {}): Promise<AtolEmulator> {
  const pair = await startSocatPair();
  const attached = await attachAtol(pair.devicePath, opts);
  return {
    port: { path: pair.hostPath, baudRate: opts.baudRate || 115200 },
    get device() {
      return attached.device;
    },
    setFault: (f) => attached.setFault(f),
    restart: () => attached.restart(),
    close: async () => {
      await attached.close();
      await pair.close();
    },
  };
}
