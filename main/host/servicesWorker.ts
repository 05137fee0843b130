import { parentPort, workerData } from 'node:worker_threads';
import { calls, isCallName } from '../../preload/contract';
import { AppError } from '../appError';
import { useSerialPortOpener } from '../fiscal/port';
import { createServices, type Services } from '../services';
import { forwardingLogger } from './forwardingLogger';
import { closingError, FromWorker, ToWorker, toErrorData, WorkerStart } from './protocol';
import { secretStoreClient } from './secretStoreBridge';
import { remoteSerialPorts } from './serialPortBridge';

/**
 * The services worker's entry (started by servicesHost.ts): the whole services layer — SQLite through
 * better-sqlite3, the outbox worker, the fiscal driver, the back-end clients — runs on this thread, so
 * its synchronous SQLite transactions and fsyncs never hold up the Electron main thread. Calls come in
 * as messages and are answered with the handler's value or its error as data; bus events go out.
 * Two things stay on the main thread and are reached through bridges: the secret store (Electron's
 * safeStorage) and the serial ports themselves (node-serialport's binding polls on the main loop).
 */
if (!parentPort) throw new Error('servicesWorker must run as a worker thread');
const port = parentPort;
const post = (message: FromWorker) => port.postMessage(message);

const start = WorkerStart.parse(workerData);
useSerialPortOpener(remoteSerialPorts(start.serial));
const log = forwardingLogger(post);
const inFlight = new Set<Promise<unknown>>();
let services: Services | null = null;
let closing = false;

async function answer(id: number, name: string, input: unknown): Promise<void> {
  try {
    if (!services) throw new Error('services worker got a call before it was ready');
    if (closing) throw closingError();
    if (!isCallName(name)) throw new AppError({ code: 'contract.unknown_call', message: `Неизвестная команда: ${name}` });
    // The main thread's dispatch already checked the input; parsing again keeps this thread's boundary.
    const handler = services.handlers[name] as (input: unknown) => Promise<unknown>;
    const value = await handler(calls[name].input.parse(input));
    post({ kind: 'reply', id, result: { ok: true, value } });
  } catch (e) {
    post({ kind: 'reply', id, result: { ok: false, error: toErrorData(e) } });
  }
}

async function close(): Promise<void> {
  closing = true;
  // A receipt being printed finishes and is recorded before the database closes.
  await Promise.allSettled(inFlight);
  await services?.close();
  post({ kind: 'closed' });
}

port.on('message', (raw: unknown) => {
  const message = ToWorker.parse(raw);
  if (message.kind === 'close') {
    void close();
    return;
  }
  const call = answer(message.id, message.name, message.input);
  inFlight.add(call);
  void call.finally(() => inFlight.delete(call));
});

/** An async function, not top-level await: the bundle for Electron is CommonJS. */
async function run(): Promise<void> {
  try {
    services = await createServices({
      dataDir: start.dataDir,
      version: start.version,
      ...(start.forceTraining === undefined ? {} : { forceTraining: start.forceTraining }),
      ...(start.previousRun === undefined ? {} : { previousRun: start.previousRun }),
      secrets: secretStoreClient(start.secrets),
      log,
    });
  } catch (e) {
    // The host ends this thread when it reads this: a half-started service may hold timers or sockets.
    post({ kind: 'failed', error: toErrorData(e) });
    return;
  }
  const status = await services.handlers['app.status']({});
  // Taken and subscribed in one synchronous step: no event can fall between the snapshot and the stream.
  post({ kind: 'ready', trainingMode: status.trainingMode, settings: services.settings.current(), events: services.bus.snapshot() });
  services.bus.onAny((name, payload) => post({ kind: 'event', name, payload }));
  services.settings.onChange((settings) => post({ kind: 'settings', settings }));
}

void run();
