import { MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { AppError, isAppError } from '../appError';
import { StoredSettings } from '../settings/storedSettings';

/**
 * The messages between the Electron main thread and the services worker (servicesHost.ts ↔
 * servicesWorker.ts). Both sides parse what they receive: the worker is another JavaScript realm, and
 * structured clone keeps an Error's message and stack but drops AppError's own fields (code, retry,
 * detail…), so errors cross as data and are rebuilt on the other side.
 */
export const ErrorData = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('app'),
    code: z.string(),
    message: z.string(),
    retry: z.enum(['transient', 'permanent', 'unknown-outcome']),
    detail: z.string().optional(),
    httpStatus: z.number().optional(),
    retryAfterMs: z.number().optional(),
    deviceCode: z.number().optional(),
  }),
  z.object({ kind: z.literal('other'), name: z.string(), message: z.string(), stack: z.string().optional() }),
]);
export type ErrorData = z.infer<typeof ErrorData>;

export function toErrorData(e: unknown): ErrorData {
  if (isAppError(e)) {
    return {
      kind: 'app', code: e.code, message: e.message, retry: e.retry,
      ...(e.detail === undefined ? {} : { detail: e.detail }),
      ...(e.httpStatus === undefined ? {} : { httpStatus: e.httpStatus }),
      ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
      ...(e.deviceCode === undefined ? {} : { deviceCode: e.deviceCode }),
    };
  }
  if (e instanceof Error) return { kind: 'other', name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
  return { kind: 'other', name: 'Error', message: String(e) };
}

/** The error the thrower threw, as far as one realm can rebuild another's: an AppError stays an AppError. */
export function fromErrorData(data: ErrorData): Error {
  if (data.kind === 'app') {
    const { kind: _kind, ...init } = data;
    return new AppError(init);
  }
  const e = new Error(data.message);
  e.name = data.name;
  // The worker's stack says where it went wrong; the main thread's would only say "a message arrived".
  if (data.stack !== undefined) e.stack = data.stack;
  return e;
}

/** A call that arrives once closing has begun: the shell is on its way out. */
export function closingError(): AppError {
  return new AppError({ code: 'services.closing', message: 'Программа закрывается: команда не выполнена. Откройте программу снова.', retry: 'transient' });
}

const LogLevel = z.enum(['error', 'warn', 'info', 'debug']);

export const ToWorker = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.number().int(), name: z.string(), input: z.unknown() }),
  /** Finish the calls in flight (a receipt being printed), close the services, then say 'closed'. */
  z.object({ kind: z.literal('close') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

export const FromWorker = z.discriminatedUnion('kind', [
  /**
   * Services are up; `events` is the bus's latest payload of each event, so the main bus starts
   * current; `settings` is what the shell reads for its window (kiosk, autostart): references to
   * secrets only, never their values.
   */
  z.object({ kind: z.literal('ready'), trainingMode: z.boolean(), settings: StoredSettings, events: z.array(z.tuple([z.string(), z.unknown()])) }),
  /** Settings were saved. */
  z.object({ kind: z.literal('settings'), settings: StoredSettings }),
  /** createServices threw: the worker ends after this. */
  z.object({ kind: z.literal('failed'), error: ErrorData }),
  z.object({
    kind: z.literal('reply'),
    id: z.number().int(),
    result: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ErrorData })]),
  }),
  z.object({ kind: z.literal('event'), name: z.string(), payload: z.unknown() }),
  /** Already redacted in the worker; the main logger redacts again with what it knows. */
  z.object({ kind: z.literal('log'), level: LogLevel, message: z.string(), fields: z.record(z.string(), z.unknown()).optional() }),
  /** A value to mask from now on (a key read from the store, a training key). */
  z.object({ kind: z.literal('secret'), value: z.string() }),
  z.object({ kind: z.literal('closed') }),
]);
export type FromWorker = z.infer<typeof FromWorker>;

/** What servicesHost hands the worker at start (Worker's workerData). */
export const WorkerStart = z.object({
  dataDir: z.string(),
  version: z.string(),
  forceTraining: z.boolean().optional(),
  /** main/crashMarker.ts: how the last run ended, for the services to log and tell the cashier. */
  previousRun: z.object({ startedAt: z.string().nullable(), reason: z.string().nullable() }).nullable().optional(),
  /** The synchronous secret-store channel: see secretStoreBridge.ts. */
  secrets: z.object({ port: z.instanceof(MessagePort), signal: z.instanceof(SharedArrayBuffer) }),
  /** Serial ports opened on the main thread: see serialPortBridge.ts. */
  serial: z.instanceof(MessagePort),
});
export type WorkerStart = z.infer<typeof WorkerStart>;
