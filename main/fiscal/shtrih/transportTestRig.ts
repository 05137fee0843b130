import { expect } from 'vitest';
import { isAppError } from '../../appError';
import { ACK, ENQ, NAK, splitCommand } from './frameCodec';
import { ShtrihTransport, type TransportOptions } from './transport';
import type { FiscalPort } from '../port';
import { createPipe } from '../../../emulators/memoryPipe';
import { createDevice, type EmulatedDevice } from '../../../emulators/shtrih/device';
import type { Faults } from '../../../emulators/shtrih/faults';
import type { ProcessingTimes } from '../../../emulators/shtrih/deviceModel';

// The Shtrih-M link tests' rig: our transport over an in-memory cable to the emulated device, with hooks that
// delay, drop or damage bytes each way. Shared by the transport's test files.
export const FAST = { enqMs: 30, ackMs: 40, interByteMs: 15, answerMs: 300, maxBusyMs: 2_000, settleMs: 150 };
export const statusPayload = Buffer.from([0x10, 30, 0, 0, 0]);
export const fnStatusPayload = Buffer.from([0xff, 0x01, 30, 0, 0, 0]);

export interface Rig {
  transport: ShtrihTransport;
  device: EmulatedDevice;
  deviceEnd: FiscalPort;
  close(): Promise<void>;
}

const rigs: Rig[] = [];

/** Closes every rig made since the last call: each test file runs it after each test. */
export async function closeRigs(): Promise<void> {
  for (const r of rigs.splice(0)) await r.close();
}

/** Decides when the device's bytes reach the host: `deliver` them now or later, in order. */
export type ToHost = (bytes: Buffer, deliver: (b: Buffer) => void) => void;

/** The device's side: what happens to the host's bytes on the way (`toDevice`), and how long commands take. */
export interface DeviceSide {
  toDevice?: ToHost;
  processingScale?: number;
  processing?: Partial<ProcessingTimes>;
  /** Wire speed of the line, on both ends (the device's wire time, the host's stretched timeouts); 0/absent = instant. */
  baudRate?: number;
  /** The host's retry limits. */
  host?: Pick<TransportOptions, 'maxEnqAttempts' | 'maxFrameSends'>;
  /** Wraps the host's end of the cable, e.g. in a port that reports an I/O error or closes slowly. */
  port?: (cable: FiscalPort) => FiscalPort;
}

export function rig(faults: Faults = {}, toHost?: ToHost, trace?: (direction: '>' | '<', bytes: Buffer) => void, timeouts: Partial<typeof FAST> = FAST, side: DeviceSide = {}): Rig {
  const [host, deviceEnd] = createPipe();
  // Bytes a device sends after the cable was closed go nowhere, as on a real line.
  const deliver = (b: Buffer): void => {
    if (deviceEnd.isOpen) void deviceEnd.write(b);
  };
  const device = createDevice(
    { processingScale: side.processingScale ?? 0, ...(side.processing ? { processing: side.processing } : {}), ...(side.baudRate ? { baudRate: side.baudRate } : {}), faults, byteTimeoutMs: 10 },
    (b) => (toHost ? toHost(b, deliver) : deliver(b)),
  );
  const receive = (b: Buffer): void => device.link.receive(b);
  deviceEnd.onData((c) => (side.toDevice ? side.toDevice(c, receive) : receive(c)));
  const transport = new ShtrihTransport(side.port ? side.port(host) : host, { timeouts, ...side.host, ...(side.baudRate ? { baudRate: side.baudRate } : {}), ...(trace ? { trace } : {}) });
  const r = {
    transport,
    device,
    deviceEnd,
    close: async () => {
      device.link.close();
      await transport.close();
    },
  };
  rigs.push(r);
  return r;
}

export async function expectAppError(p: Promise<unknown>, code: string, retry: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isAppError(e), `expected AppError ${code}, got ${String(e)}`).toBe(true);
  if (isAppError(e)) {
    expect(e.code).toBe(code);
    expect(e.retry).toBe(retry);
  }
}

/** The host's writes by name ('ENQ', 'ACK', 'NAK', 'frame ff01') and the device's bytes as received. */
export function lineLog(): { trace: (direction: '>' | '<', bytes: Buffer) => void; host: string[]; fromDevice: Buffer[]; reset(): void } {
  const host: string[] = [];
  const fromDevice: Buffer[] = [];
  const names: Record<number, string> = { [ENQ]: 'ENQ', [ACK]: 'ACK', [NAK]: 'NAK' };
  return {
    trace: (direction, bytes) => {
      if (direction === '<') fromDevice.push(Buffer.from(bytes));
      else host.push(bytes.length === 1 ? (names[bytes[0] ?? 0] ?? bytes.toString('hex')) : `frame ${splitCommand(bytes.subarray(2, -1)).code.toString(16)}`);
    },
    host,
    fromDevice,
    reset() {
      host.length = 0;
      fromDevice.length = 0;
    },
  };
}
