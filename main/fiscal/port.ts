import { SerialPort } from 'serialport';
import { AppError } from '../appError';

/**
 * The smallest byte pipe the transport needs. A real COM port and an in-memory pair (training mode on
 * Windows runs the emulator in-process, with no socat) both fit it, so the same transport code runs on both.
 */
export interface FiscalPort {
  /** Resolves once the bytes were handed to the OS (or to the other end of an in-memory pair). */
  write(bytes: Uint8Array): Promise<void>;
  /** Returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
  onClose(listener: (error?: Error) => void): () => void;
  close(): Promise<void>;
  readonly isOpen: boolean;
  readonly description: string;
}

export interface SerialPortOptions {
  path: string;
  baudRate: number;
}

type Listener<T extends unknown[]> = (...args: T) => void;

class Listeners<T extends unknown[]> {
  private readonly set = new Set<Listener<T>>();
  add(l: Listener<T>): () => void {
    this.set.add(l);
    return () => this.set.delete(l);
  }
  emit(...args: T): void {
    for (const l of [...this.set]) l(...args);
  }
}

type PortOpener = (opts: SerialPortOptions) => Promise<FiscalPort>;
let opener: PortOpener = openNativeSerialPort;

/** Opens a serial port the way this thread must: natively, unless useSerialPortOpener said otherwise. */
export function openSerialPort(opts: SerialPortOptions): Promise<FiscalPort> {
  return opener(opts);
}

/**
 * For the services worker thread (main/host): node-serialport's binding polls on the main thread's
 * loop, so a worker must have its ports opened there. Called once, before anything opens a port.
 */
export function useSerialPortOpener(open: PortOpener): void {
  opener = open;
}

/** Opens a real serial port (8N1, no flow control: the Shtrih-M default). */
export async function openNativeSerialPort(opts: SerialPortOptions): Promise<FiscalPort> {
  const sp = new SerialPort({ path: opts.path, baudRate: opts.baudRate, autoOpen: false, dataBits: 8, stopBits: 1, parity: 'none' });
  await new Promise<void>((resolve, reject) => {
    sp.open((err) => (err ? reject(err) : resolve()));
  }).catch((cause: unknown) => {
    throw new AppError({
      code: 'FISCAL_PORT_OPEN',
      message: `Не удалось открыть порт ${opts.path}. Проверьте кабель принтера и настройки порта.`,
      retry: 'transient',
      detail: `cannot open serial port ${opts.path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  });
  const data = new Listeners<[Buffer]>();
  const closed = new Listeners<[Error | undefined]>();
  sp.on('data', (chunk: Buffer) => data.emit(chunk));
  sp.on('close', (err: Error | null | undefined) => closed.emit(err ?? undefined));
  // Errors after open arrive as 'error'; the transport sees them as a closed port and fails pending work.
  sp.on('error', (err: Error) => closed.emit(err));
  return {
    description: `${opts.path}@${opts.baudRate}`,
    get isOpen() {
      return sp.isOpen;
    },
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        sp.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve()));
      }),
    onData: (l) => data.add(l),
    onClose: (l) => closed.add(l),
    close: () =>
      new Promise<void>((resolve) => {
        if (!sp.isOpen) return resolve();
        sp.close(() => resolve());
      }),
  };
}

export function isPortOptions(p: FiscalPort | SerialPortOptions): p is SerialPortOptions {
  return typeof (p as SerialPortOptions).path === 'string' && typeof (p as FiscalPort).write !== 'function';
}
