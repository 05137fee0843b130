import { EventEmitter } from 'node:events';
import { afterEach, beforeEach } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../main/appError';
import { openDatabase, type Database } from '../../main/queue/database';
import { defineJobKind, type JobContext } from '../../main/queue/jobKind';
import { Outbox } from '../../main/queue/outbox';
import { OutboxWorker, type ConnectivityState, type OutboxWorkerOptions } from '../../main/queue/worker';
import type { OutboxStats } from '../../main/queue/outboxStats';
import { tempDir } from './tempDir';

/** A real temp database, an Outbox on a hand-driven clock, and a way to wait for a stats condition. */
export function queueFixture() {
  const tmp = tempDir();
  const db: Database = openDatabase(tmp.file('queue.db'));
  const clock = { now: 1_700_000_000_000 };
  const outbox = new Outbox(db, { clock: () => clock.now, statsIntervalMs: 0 });
  const workers: OutboxWorker[] = [];
  return {
    db,
    clock,
    outbox,
    dbFile: tmp.file('queue.db'),
    /** A worker on this outbox and clock, jitter centred (random 0.5); stopWorkers() stops every one made. */
    worker(opts: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'kinds'>): OutboxWorker {
      const w = new OutboxWorker({ outbox, clock: () => clock.now, random: () => 0.5, ...opts });
      workers.push(w);
      return w;
    },
    async stopWorkers(): Promise<void> {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    },
    close() {
      if (db.open) db.close();
      tmp.remove();
    },
  };
}

type QueueFixture = ReturnType<typeof queueFixture>;

/**
 * A fresh queueFixture for every test of the calling file: made before each test; after it, its workers
 * stopped, then its database closed and folder removed. Call it at the top level of a test file; the
 * object it returns reads the current test's fixture (outside a test there is none: it throws).
 */
export function useQueueFixture(): QueueFixture {
  let current: QueueFixture | undefined;
  beforeEach(() => {
    current = queueFixture();
  });
  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.stopWorkers();
    done?.close();
  });
  const now = (): QueueFixture => {
    if (!current) throw new Error('useQueueFixture: the fixture exists only while a test runs');
    return current;
  };
  return {
    get db() { return now().db; },
    get clock() { return now().clock; },
    get outbox() { return now().outbox; },
    get dbFile() { return now().dbFile; },
    worker: (opts) => now().worker(opts),
    stopWorkers: () => now().stopWorkers(),
    close: () => now().close(),
  };
}

/** A job for the queue's own tests: the back end is LIFE POS, the payload a counter the scripted kinds read. */
export const queueJob = (key: string, extra: Record<string, unknown> = {}) => ({ kind: 'pos.call', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: key, ...extra });

export type Step = (payload: { n: number }, ctx: JobContext) => Promise<unknown>;

/** A kind whose behaviour each test scripts: calls are recorded, the next step decides the outcome. */
export function scriptedKind(kind: string, backend: string) {
  const calls: { n: number; ctx: JobContext }[] = [];
  const steps: Step[] = [];
  const def = defineJobKind({
    kind,
    backend,
    payload: z.object({ n: z.number().int() }),
    run: async (payload, ctx) => {
      calls.push({ n: payload.n, ctx });
      const step = steps.shift();
      return step ? step(payload, ctx) : { ok: payload.n };
    },
  });
  return { def, calls, steps };
}

export function httpError(status: number, retry: AppError['retry'], retryAfterMs?: number): AppError {
  return new AppError({
    code: `TEST_HTTP_${status}`,
    message: `Сервер ответил ошибкой ${status}`,
    retry,
    httpStatus: status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    detail: `HTTP ${status}`,
  });
}

/** Resolves with the first snapshot that satisfies `test`; fails after `ms` instead of hanging. */
export function statsWhere(outbox: Outbox, test: (s: OutboxStats) => boolean, ms = 5_000): Promise<OutboxStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`stats condition not met within ${ms} ms: ${JSON.stringify(outbox.stats())}`));
    }, ms);
    const off = outbox.on('change', (s) => {
      if (!test(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A connectivity source the test flips by hand; an EventEmitter, so the worker unsubscribes with `off`. */
export class FakeConnectivity extends EventEmitter {
  readonly states = new Map<string, ConnectivityState>();
  state(backend: string): ConnectivityState {
    return this.states.get(backend) ?? 'unknown';
  }
  set(backend: string, state: ConnectivityState): void {
    this.states.set(backend, state);
    this.emit('change', backend, state);
  }
}
