import { SerialPort } from 'serialport';
import type { PtyFaults } from './ptyFaults';

/**
 * What the two protocol emulators share when they run in the test's own process behind a socat pty
 * (./socat.ts): the device end opened as a serial port, and the face a test drives either protocol by
 * (the refund chaos runs one scenario over both), with the faults of ./ptyFaults.ts.
 */
export interface PtyFront {
  /** The host end: point a client of the device's protocol here. */
  readonly path: string;
  setFault(f: PtyFaults): void;
  readonly paperOut: boolean;
  /** Called each time a power-loss fault fires (one listener; a new one replaces it). */
  onPowerLost(listener: () => void): void;
  /** Someone switches the device back on; nothing happens while it is on. */
  powerOn(): Promise<void>;
  close(): Promise<void>;
}

/** The device end of a pty pair, as an emulator reads and writes it. */
interface DeviceEnd {
  write(bytes: Buffer): void;
  onData(listener: (chunk: Buffer) => void): void;
  /** Forgets bytes the host sent that nobody read yet (they reached a device that was off). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function openDeviceEnd(devicePath: string, baudRate: number): Promise<DeviceEnd> {
  const sp = new SerialPort({ path: devicePath, baudRate: baudRate > 0 ? baudRate : 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => sp.open((e) => (e ? reject(e) : resolve())));
  const end: DeviceEnd = {
    write: (bytes) => {
      if (sp.isOpen) sp.write(bytes);
    },
    onData: (listener) => {
      sp.on('data', listener);
    },
    flush: () => new Promise<void>((resolve, reject) => sp.flush((e) => (e ? reject(e) : resolve()))),
    close: async () => {
      if (sp.isOpen) await new Promise<void>((r) => sp.close(() => r()));
    },
  };
  // Bytes the host sent before this device was there must not reach it.
  await end.flush();
  return end;
}
