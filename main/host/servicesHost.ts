import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { callNames, isEventName, type CallName, type Handlers } from '../../preload/contract';
import { AppError } from '../appError';
import { EventBus } from '../eventBus';
import { createLogger, type Logger } from '../log/logger';
import { createFileSecretStore } from '../secrets/fileSecretStore';
import type { SecretStore } from '../secrets/secretStore';
import type { StoredSettings } from '../settings/storedSettings';
import type { UncleanExit } from '../crashMarker';
import { closingError, FromWorker, fromErrorData, type ToWorker, type WorkerStart } from './protocol';
import { serveSecretStore } from './secretStoreBridge';
import { serveSerialPorts } from './serialPortBridge';

/**
 * The services layer (main/services.ts) on a worker thread, offered to the shell as the same handlers,
 * bus and close() that createServices gives in-process. SQLite stays synchronous inside the worker
 * (better-sqlite3, transactions and fsyncs unchanged), so the Electron main thread — window, IPC,
 * this proxy — never waits for the disk, the serial port or a long query. Each call crosses as a
 * message and comes back as its value or its error as data (an AppError stays an AppError); events
 * are relayed onto a bus in this thread; log lines, secret-store requests and serial ports are served
 * here, where the log file, Electron's safeStorage and node-serialport's poller live.
 */
export interface ServicesHostConfig {
  dataDir: string;
  version: string;
  forceTraining?: boolean;
  previousRun?: UncleanExit | null;
  /** Electron's safeStorage store; without it, the plain-Node file store that refuses clear text. Served from this thread. */
  secrets?: SecretStore;
  /** The shell's logger; without it one is made in `<dataDir>/logs` (the bridge server's case). */
  log?: Logger;
  consoleLog?: 'info' | 'warn' | false;
  /**
   * The bundled worker (dist/main/host/servicesWorker.cjs), for the packaged app. Without it the
   * TypeScript source runs through tsx: tests, benchmarks, `npm run serve`.
   */
  workerFile?: string;
}

/** How the worker stopped when nobody asked it to. */
export interface ServicesCrash {
  exitCode: number;
  /** The uncaught error that ended it, when there was one (a process.exit or a terminate has none). */
  error?: string;
}

export interface ServicesHost {
  handlers: Handlers;
  bus: EventBus;
  log: Logger;
  /** Whether the emulators stand in for the devices (the window shows a banner). */
  trainingMode: boolean;
  /** The settings as last saved (the shell's window options): secret references only, never values. */
  settings: { current(): StoredSettings };
  /** Called once if the worker stops without close(); calls in flight and later ones fail with `services.crashed`. */
  onCrash(listener: (crash: ServicesCrash) => void): () => void;
  /** Lets the calls in flight (a receipt being printed) finish, closes the services, ends the worker. */
  close(): Promise<void>;
  /**
   * Ends the worker at once without closing anything, for a watchdog that finds it hung: reported as a
   * crash. What was committed stays committed; a receipt cut off mid-print is reconciled at next start.
   */
  kill(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export async function startServicesInWorker(config: ServicesHostConfig): Promise<ServicesHost> {
  const log = config.log ?? createLogger({ dir: join(config.dataDir, 'logs'), console: config.consoleLog ?? false });
  const secrets = config.secrets ?? createFileSecretStore({ file: join(config.dataDir, 'secrets.json'), log });
  const secretServer = serveSecretStore(secrets);
  const serialServer = serveSerialPorts();
  const start: WorkerStart = {
    dataDir: config.dataDir,
    version: config.version,
    ...(config.forceTraining === undefined ? {} : { forceTraining: config.forceTraining }),
    ...(config.previousRun === undefined ? {} : { previousRun: config.previousRun }),
    secrets: secretServer.channel,
    serial: serialServer.port,
  };
  const worker = spawnWorker(config.workerFile, start, [secretServer.channel.port, serialServer.port]);
  const bus = new EventBus();
  const pending = new Map<number, Pending>();
  const crashListeners = new Set<(crash: ServicesCrash) => void>();
  let nextId = 1;
  let uncaught: Error | undefined;
  let crashed: AppError | null = null;
  let closeRequested = false;
  let closedCleanly = false;
  /** createServices threw: the worker's end is ours, not a crash. */
  let startFailed = false;
  let settleClose: ((error?: Error) => void) | undefined;
  let settings: StoredSettings | undefined;
  let settleStart: ((outcome: { ok: true; trainingMode: boolean; settings: StoredSettings } | { ok: false; error: Error }) => void) | undefined;

  const send = (message: ToWorker) => worker.postMessage(message);

  const receive = (raw: unknown) => {
    const parsed = FromWorker.safeParse(raw);
    if (!parsed.success) {
      log.error('services worker sent a message that does not parse', { issues: parsed.error.message });
      return;
    }
    const m = parsed.data;
    switch (m.kind) {
      case 'ready':
        for (const [name, payload] of m.events) relay(name, payload);
        settleStart?.({ ok: true, trainingMode: m.trainingMode, settings: m.settings });
        return;
      case 'settings':
        settings = m.settings;
        return;
      case 'failed': {
        const error = fromErrorData(m.error);
        startFailed = true;
        log.error('services did not start', { error });
        settleStart?.({ ok: false, error });
        void worker.terminate();
        return;
      }
      case 'reply': {
        const call = pending.get(m.id);
        pending.delete(m.id);
        if (m.result.ok) call?.resolve(m.result.value);
        else call?.reject(fromErrorData(m.result.error));
        return;
      }
      case 'event':
        relay(m.name, m.payload);
        return;
      case 'log':
        log[m.level](m.message, m.fields);
        return;
      case 'secret':
        log.addSecret(m.value);
        return;
      case 'closed':
        closedCleanly = true;
        void worker.terminate();
        return;
    }
  };

  const relay = (name: string, payload: unknown) => {
    if (!isEventName(name)) {
      log.error('services worker sent an unknown event', { event: name });
      return;
    }
    try {
      bus.emit(name, payload as never);
    } catch (e) {
      log.error('services worker sent an event that breaks the contract', { event: name, error: e });
    }
  };

  worker.on('message', receive);
  worker.on('messageerror', (e) => log.error('a message from the services worker could not be read', { error: e }));
  // An uncaught exception ends the worker: 'exit' follows and reports it.
  worker.on('error', (e) => {
    uncaught = e;
  });
  worker.on('exit', (exitCode) => {
    secretServer.close();
    // After the worker is gone, so a receipt it was still sending is not cut off by us.
    const portsClosed = serialServer.close();
    if (closeRequested && closedCleanly) {
      void portsClosed.then(() => settleClose?.());
      return;
    }
    if (startFailed) return;
    const crash: ServicesCrash = { exitCode, ...(uncaught ? { error: uncaught.stack ?? uncaught.message } : {}) };
    crashed = crashedError(crash);
    log.error('services worker stopped unexpectedly', { exitCode, error: crash.error ?? null, callsInFlight: pending.size });
    for (const call of pending.values()) call.reject(crashed);
    pending.clear();
    settleStart?.({ ok: false, error: crashed });
    settleClose?.(crashed);
    for (const listener of crashListeners) listener(crash);
  });

  const outcome = await new Promise<{ ok: true; trainingMode: boolean; settings: StoredSettings } | { ok: false; error: Error }>((resolve) => {
    settleStart = resolve;
  });
  settleStart = undefined;
  if (!outcome.ok) throw outcome.error;
  settings ??= outcome.settings;

  const call = (name: CallName, input: unknown): Promise<unknown> => {
    if (crashed) return Promise.reject(crashed);
    if (closeRequested) return Promise.reject(closingError());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      send({ kind: 'call', id, name, input });
    });
  };
  const handlers = Object.fromEntries(callNames.map((name) => [name, (input: unknown) => call(name, input)])) as unknown as Handlers;

  let closing: Promise<void> | null = null;
  return {
    handlers,
    bus,
    log,
    trainingMode: outcome.trainingMode,
    settings: { current: () => settings ?? outcome.settings },
    onCrash(listener) {
      crashListeners.add(listener);
      return () => crashListeners.delete(listener);
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        // Stopped already: the crash was reported when it happened.
        if (crashed) return resolve();
        closeRequested = true;
        settleClose = (error) => (error ? reject(error) : resolve());
        send({ kind: 'close' });
      });
      return closing;
    },
    kill: async () => {
      await worker.terminate();
    },
  };
}

/**
 * The worker bundled beside the shell's own bundle (dist/main/app/main.cjs → dist/main/host/
 * servicesWorker.cjs, as scripts/buildMain.ts lays them out); none when the shell runs from source.
 */
export function bundledWorkerFile(shellFile: string): string | undefined {
  return shellFile.endsWith('.cjs') ? join(dirname(shellFile), '..', 'host', 'servicesWorker.cjs') : undefined;
}

/** The bundled .cjs as it is; the TypeScript source through tsx's loader, registered inside the worker. */
function spawnWorker(workerFile: string | undefined, workerData: WorkerStart, transferList: Transferable[]): Worker {
  const options = { workerData, transferList: transferList as never };
  if (workerFile !== undefined) return new Worker(workerFile, options);
  const source = new URL('./servicesWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`, { ...options, eval: true });
}

function crashedError(crash: ServicesCrash): AppError {
  return new AppError({
    code: 'services.crashed',
    message: 'Работа кассы прервалась из-за внутреннего сбоя. Перезапустите программу: незавершённый чек будет сверен с принтером при запуске, повторно его не пробивайте.',
    retry: 'unknown-outcome',
    detail: `services worker exited with code ${crash.exitCode}${crash.error ? `: ${crash.error.split('\n')[0] ?? ''}` : ''}`,
  });
}
