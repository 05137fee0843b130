import { existsSync } from 'node:fs';
import { DEFAULT_PROCESSING, DeviceModel, type ProcessingTimes } from './deviceModel';
import { DeviceLink } from './deviceLink';
import type { Faults } from './faults';
import { loadState, saveState, type EmulatorState } from './state';
import { firmwareOf, type FirmwareGeneration } from './firmware';

export interface EmulatorOptions {
  /** JSON file the ФН state lives in; without one the state lives and dies with the process. */
  stateFile?: string;
  /** Simulated wire speed; 0 = no wire time. */
  baudRate?: number;
  faults?: Faults;
  processing?: Partial<ProcessingTimes>;
  /** Multiplies processing times (0 = instant device). Default 1. */
  processingScale?: number;
  /** The operator password the device accepts (system administrator, 30 by default). */
  password?: number;
  /** The device drops a half-received frame after this gap (ms); keep it below the host's ENQ wait. */
  byteTimeoutMs?: number;
  /** Firmware generation (./firmware.ts): '2026' by default. */
  firmware?: FirmwareGeneration;
  /**
   * 2026 firmware's table 17 field 71. The vendor ships 1 ("replace 20 % with 22 %"); the emulator
   * defaults to 2, the setting a refund till needs to print a 2025 sale's 20 % (PROTOCOL.md §VAT 2026).
   */
  replace20With22?: 1 | 2;
  /** Cash in the drawer of a brand-new state (training mode's float); an existing state file keeps its own. */
  initialCashMinor?: number;
}

export interface EmulatedDevice {
  link: DeviceLink;
  model: DeviceModel;
  /** Declared processing times actually in force (after scaling), for the bench's physical floor. */
  processing: ProcessingTimes;
}

/** Builds the device (model + link) from the state file; `transmit` carries its bytes to the host. */
export function createDevice(opts: EmulatorOptions, transmit: (bytes: Buffer) => void): EmulatedDevice {
  const fresh = !opts.stateFile || !existsSync(opts.stateFile);
  const state: EmulatorState = loadState(opts.stateFile);
  if (fresh && opts.initialCashMinor) state.cash.inDrawerMinor = opts.initialCashMinor;
  const file = opts.stateFile;
  const processing = { ...DEFAULT_PROCESSING, ...opts.processing };
  const model = new DeviceModel(state, {
    password: opts.password ?? 30,
    persist: (s) => {
      if (file) saveState(file, s);
    },
    processing,
    processingScale: opts.processingScale ?? 1,
    firmware: firmwareOf(opts.firmware ?? '2026'),
    replace20With22: opts.replace20With22 ?? 2,
  });
  if (file) saveState(file, state);
  const link = new DeviceLink(model, transmit, {
    baudRate: opts.baudRate ?? 0,
    ...(opts.byteTimeoutMs === undefined ? {} : { byteTimeoutMs: opts.byteTimeoutMs }),
    ...(opts.faults ? { faults: opts.faults } : {}),
  });
  return { link, model, processing };
}
