import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { openNativeSerialPort, type FiscalPort, type SerialPortOptions } from '../fiscal/port';
import { ErrorData, fromErrorData, toErrorData } from './protocol';

/**
 * Serial ports for the services worker, opened on the main thread. node-serialport's native binding
 * (@serialport/bindings-cpp 13, src/poller.cpp) registers its read poller on uv_default_loop(), the
 * main thread's loop, whatever thread opened the port; its callback then enters the worker's isolate
 * from the main thread and the process aborts ("Cannot create a handle without a HandleScope": seen
 * here in bench:eventloop, and upstream in serialport/node-serialport#1981 and #2250). Windows reads
 * and writes use the default loop too (src/serialport_win.cpp). So the port lives here and only bytes
 * cross: a receipt is a few hundred bytes, nothing the main thread notices.
 */
const Bytes = z.instanceof(Uint8Array);

const PortRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('open'), id: z.number().int(), path: z.string(), baudRate: z.number().int().positive() }),
  z.object({ op: z.literal('write'), id: z.number().int(), seq: z.number().int(), bytes: Bytes }),
  z.object({ op: z.literal('close'), id: z.number().int(), seq: z.number().int() }),
]);
type PortRequest = z.infer<typeof PortRequest>;

const PortEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened'), id: z.number().int(), description: z.string() }),
  z.object({ kind: z.literal('openFailed'), id: z.number().int(), error: ErrorData }),
  z.object({ kind: z.literal('done'), seq: z.number().int() }),
  z.object({ kind: z.literal('failed'), seq: z.number().int(), error: ErrorData }),
  z.object({ kind: z.literal('data'), id: z.number().int(), bytes: Bytes }),
  z.object({ kind: z.literal('closed'), id: z.number().int(), error: ErrorData.optional() }),
]);
type PortEvent = z.infer<typeof PortEvent>;

export interface SerialPortServer {
  /** Hand to the worker (transfer it). */
  port: MessagePort;
  /** Closes every port the worker opened: a worker that died must not keep the printer's port busy. */
  close(): Promise<void>;
}

/** Main thread: opens, writes and closes real ports on the worker's requests. */
export function serveSerialPorts(open: (opts: SerialPortOptions) => Promise<FiscalPort> = openNativeSerialPort): SerialPortServer {
  const { port1, port2 } = new MessageChannel();
  const ports = new Map<number, FiscalPort>();
  const send = (event: PortEvent) => port1.postMessage(event);
  const settle = (seq: number, work: Promise<void>) =>
    work.then(() => send({ kind: 'done', seq }), (e: unknown) => send({ kind: 'failed', seq, error: toErrorData(e) }));

  const handle = async (req: PortRequest) => {
    switch (req.op) {
      case 'open': {
        let opened: FiscalPort;
        try {
          opened = await open({ path: req.path, baudRate: req.baudRate });
        } catch (e) {
          send({ kind: 'openFailed', id: req.id, error: toErrorData(e) });
          return;
        }
        ports.set(req.id, opened);
        opened.onData((chunk) => send({ kind: 'data', id: req.id, bytes: new Uint8Array(chunk) }));
        opened.onClose((error) => {
          ports.delete(req.id);
          send({ kind: 'closed', id: req.id, ...(error ? { error: toErrorData(error) } : {}) });
        });
        send({ kind: 'opened', id: req.id, description: opened.description });
        return;
      }
      case 'write':
        return settle(req.seq, ports.get(req.id)?.write(req.bytes) ?? Promise.reject(new Error(`serial port ${req.id} is not open`)));
      case 'close':
        return settle(req.seq, ports.get(req.id)?.close() ?? Promise.resolve());
    }
  };
  // A request that does not parse has no one to answer: the worker's transport times out and says so.
  port1.on('message', (raw: unknown) => {
    const parsed = PortRequest.safeParse(raw);
    if (parsed.success) void handle(parsed.data);
  });
  return {
    port: port2,
    async close() {
      port1.close();
      await Promise.allSettled([...ports.values()].map((p) => p.close()));
      ports.clear();
    },
  };
}

/** Worker thread: opens a FiscalPort whose bytes travel through serveSerialPorts on the main thread. */
export function remoteSerialPorts(port: MessagePort): (opts: SerialPortOptions) => Promise<FiscalPort> {
  let nextId = 1;
  let nextSeq = 1;
  const opening = new Map<number, { resolve(description: string): void; reject(e: Error): void }>();
  const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  const dataListeners = new Map<number, Set<(chunk: Buffer) => void>>();
  const closeListeners = new Map<number, Set<(error?: Error) => void>>();
  const open = new Set<number>();

  port.on('message', (raw: unknown) => {
    const event = PortEvent.parse(raw);
    switch (event.kind) {
      case 'opened': opening.get(event.id)?.resolve(event.description); opening.delete(event.id); return;
      case 'openFailed': opening.get(event.id)?.reject(fromErrorData(event.error)); opening.delete(event.id); return;
      case 'done': waiting.get(event.seq)?.resolve(); waiting.delete(event.seq); return;
      case 'failed': waiting.get(event.seq)?.reject(fromErrorData(event.error)); waiting.delete(event.seq); return;
      case 'data': {
        const chunk = Buffer.from(event.bytes);
        for (const l of [...(dataListeners.get(event.id) ?? [])]) l(chunk);
        return;
      }
      case 'closed': {
        open.delete(event.id);
        const error = event.error ? fromErrorData(event.error) : undefined;
        for (const l of [...(closeListeners.get(event.id) ?? [])]) l(error);
        dataListeners.delete(event.id);
        closeListeners.delete(event.id);
        return;
      }
    }
  });

  const request = (body: { op: 'write'; id: number; bytes: Uint8Array } | { op: 'close'; id: number }): Promise<void> => {
    const seq = nextSeq++;
    return new Promise((resolve, reject) => {
      waiting.set(seq, { resolve, reject });
      port.postMessage({ ...body, seq });
    });
  };
  const listen = <L>(registry: Map<number, Set<L>>, id: number, listener: L): (() => void) => {
    const set = registry.get(id) ?? new Set<L>();
    registry.set(id, set);
    set.add(listener);
    return () => set.delete(listener);
  };

  return async (opts) => {
    const id = nextId++;
    const description = await new Promise<string>((resolve, reject) => {
      opening.set(id, { resolve, reject });
      port.postMessage({ op: 'open', id, path: opts.path, baudRate: opts.baudRate });
    });
    open.add(id);
    return {
      description,
      get isOpen() {
        return open.has(id);
      },
      write: (bytes) => request({ op: 'write', id, bytes: new Uint8Array(bytes) }),
      onData: (l) => listen(dataListeners, id, l),
      onClose: (l) => listen(closeListeners, id, l),
      close: async () => {
        if (!open.has(id)) return;
        await request({ op: 'close', id });
        open.delete(id);
      },
    };
  };
}
