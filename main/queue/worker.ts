import { randomUUID } from 'node:crypto';
import type { Transaction } from 'better-sqlite3';
import { AppError } from '../appError';
import { defaultSchedule } from './backoff';
import { decideFailure, type FailureDecision } from './failurePolicy';
import { kindRegistry, type JobContext, type JobKind } from './jobKind';
import type { ClaimedRow } from './jobRow';
import type { BookkeepingSync, ClaimedJob, Outbox } from './outbox';
import { storageError } from './storageErrors';

export type ConnectivityState = 'online' | 'offline' | 'degraded' | 'unknown';

export interface Connectivity {
  state(backend: string): ConnectivityState;
  /** May return an unsubscribe function; stop() calls it (or `off`, when given). */
  on(event: 'change', listener: (backend: string, state: ConnectivityState) => void): unknown;
  off?(event: 'change', listener: (backend: string, state: ConnectivityState) => void): unknown;
}

export interface OutboxWorkerOptions {
  outbox: Outbox;
  kinds: readonly JobKind[];
  /** Delays after the 1st, 2nd ... failure, in ms; the last one repeats. */
  schedule?: readonly number[];
  /** For jobs enqueued without their own maxAttempts. */
  maxAttempts?: number;
  /** Fraction each delay is spread by, both ways (0.1 = ±10 %). */
  jitter?: number;
  clock?: () => number;
  random?: () => number;
  connectivity?: Connectivity;
  /** An attempt still running after this long is given up as an unknown outcome. */
  jobTimeoutMs?: number;
  /**
   * Durability of the worker's own commits (claim, done, retry-at). Enqueue is always FULL: that is the
   * promise to the cashier. These default to NORMAL: in WAL mode a NORMAL commit survives a killed
   * process and is lost only with the power, and losing one only means the job runs again, which its
   * idempotency key already makes harmless. It saves an fsync per job ('full' restores it).
   */
  bookkeepingSync?: BookkeepingSync;
  /** After the database refused a write (disk full), how long a back end's lane rests before trying again. */
  storageRetryMs?: number;
}

interface Lane {
  backend: string;
  pumping: Promise<void> | undefined;
  wakeAgain: boolean;
  timer: NodeJS.Timeout | undefined;
  /** Set when a bookkeeping write failed: the lane is resting and may have left its job `running`. */
  fault: AppError | undefined;
  /** The job timeout: one timer per lane, re-armed for each attempt while the lane pumps. */
  watchdog: NodeJS.Timeout | undefined;
  /** The attempt the watchdog would give up (the lane's latest; a settled one ignores giveUp). */
  inFlight: InFlight | undefined;
}

interface InFlight {
  jobId: number;
  kind: string;
  giveUp: (reason: AppError) => void;
  /** Made only if run() asked for ctx.signal. */
  abort: AbortController | undefined;
}

type ErrorListener = (error: AppError) => void;
type Outcome = FailureDecision | { action: 'done'; resultJson: string };

/**
 * Runs outbox jobs: one at a time per back end (so a back end sees our calls in order and is never
 * flooded), back ends in parallel. Among a back end's ready jobs the oldest goes first; a job backing
 * off does not hold up the ones behind it, so an order that matters (PATCH after create) is stated
 * with dependsOn. Wakes on events (enqueue, a dependency done, a back end online again); the only
 * timer per back end is for its next run_at.
 */
export class OutboxWorker {
  readonly workerId = randomUUID();
  private readonly outbox: Outbox;
  private readonly kinds: ReadonlyMap<string, JobKind>;
  private readonly schedule: readonly number[];
  private readonly maxAttempts: number;
  private readonly jitter: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly connectivity: Connectivity | undefined;
  private readonly jobTimeoutMs: number;
  private readonly sync: BookkeepingSync;
  private readonly storageRetryMs: number;
  private readonly lanes = new Map<string, Lane>();
  private readonly errorListeners = new Set<ErrorListener>();
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;
  private stopped = false;
  private readonly recordAndClaim: Transaction<
    (backend: string, job: ClaimedRow, outcome: Outcome, claimNext: boolean) => { wake: string[]; next: ClaimedJob | undefined }
  >;

  constructor(opts: OutboxWorkerOptions) {
    this.outbox = opts.outbox;
    this.kinds = kindRegistry(opts.kinds);
    this.schedule = opts.schedule ?? defaultSchedule;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.jitter = opts.jitter ?? 0.1;
    this.clock = opts.clock ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.connectivity = opts.connectivity;
    this.jobTimeoutMs = opts.jobTimeoutMs ?? 120_000;
    this.sync = opts.bookkeepingSync ?? 'normal';
    this.storageRetryMs = opts.storageRetryMs ?? 5_000;
    // Built once: better-sqlite3's transaction() wrapper is too costly to make per job.
    this.recordAndClaim = this.outbox.db.transaction((backend: string, job: ClaimedRow, outcome: Outcome, claimNext: boolean) => ({
      wake: this.record(job, outcome),
      next: claimNext ? this.outbox.claimNext(backend, this.clock(), this.workerId) : undefined,
    }));
  }

  /** Reclaims what a crashed process left running, then works until stop(). */
  start(): void {
    if (this.stopped) throw stoppedError();
    if (this.started) return;
    this.started = true;
    this.outbox.reclaimAbandoned(this.workerId, this.maxAttempts, this.clock());
    this.unsubscribe.push(this.outbox.on('ready', (backend) => this.wake(backend)));
    if (this.connectivity) {
      const connectivity = this.connectivity;
      const listener = (backend: string, state: ConnectivityState): void => this.connectivityChanged(backend, state);
      const off = connectivity.on('change', listener);
      this.unsubscribe.push(() => {
        if (typeof off === 'function') off();
        else connectivity.off?.('change', listener);
      });
    }
    for (const backend of this.outbox.pendingBackends()) this.wake(backend);
  }

  /** Takes no new jobs and resolves once the jobs already running have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe.splice(0)) off();
    for (const lane of this.lanes.values()) clearTimeout(lane.timer);
    await Promise.all([...this.lanes.values()].map((l) => l.pumping));
  }

  /** Runs jobs until none is due now (future run_at and offline back ends wait). For tests and benches. */
  async drain(): Promise<void> {
    if (this.stopped) throw stoppedError();
    if (!this.started) this.outbox.reclaimAbandoned(this.workerId, this.maxAttempts, this.clock());
    for (;;) {
      const now = this.clock();
      const due = this.outbox.pendingBackends().filter((b) => !this.isOffline(b) && this.outbox.hasDue(b, now));
      for (const backend of due) this.wake(backend);
      const active = [...this.lanes.values()].flatMap((l) => (l.pumping ? [l.pumping] : []));
      if (active.length === 0 && due.length === 0) return;
      await Promise.all(active);
      const fault = [...this.lanes.values()].find((l) => l.fault)?.fault;
      if (fault) throw fault;
    }
  }

  on(event: 'error', listener: ErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => {
      this.errorListeners.delete(listener);
    };
  }

  private wake(backend: string): void {
    if (this.stopped) return;
    const lane = this.lane(backend);
    if (lane.fault) return;
    clearTimeout(lane.timer);
    lane.timer = undefined;
    if (lane.pumping) {
      lane.wakeAgain = true;
      return;
    }
    lane.pumping = this.pump(lane).finally(() => {
      lane.pumping = undefined;
      clearTimeout(lane.watchdog);
      lane.watchdog = undefined;
      lane.inFlight = undefined;
      if (lane.wakeAgain) {
        lane.wakeAgain = false;
        this.wake(backend);
      } else {
        this.armTimer(lane);
      }
    });
  }

  private lane(backend: string): Lane {
    let lane = this.lanes.get(backend);
    if (!lane) {
      lane = { backend, pumping: undefined, wakeAgain: false, timer: undefined, fault: undefined, watchdog: undefined, inFlight: undefined };
      this.lanes.set(backend, lane);
    }
    return lane;
  }

  /**
   * Claims, runs, records, claims the next: recording an outcome and claiming the next job share one
   * commit, so a busy lane pays one WAL write per job rather than two.
   */
  private async pump(lane: Lane): Promise<void> {
    if (this.stopped || this.isOffline(lane.backend)) return;
    lane.wakeAgain = false;
    let claimed = this.write(lane, () => this.outbox.claimNext(lane.backend, this.clock(), this.workerId));
    while (claimed) {
      const job = claimed.row;
      if (!this.markDurable(lane, job)) return;
      const outcome = await this.attempt(lane, claimed);
      const goOn = !this.stopped && !this.isOffline(lane.backend);
      lane.wakeAgain = false;
      const step = this.write(lane, () => this.recordAndClaim.immediate(lane.backend, job, outcome, goOn));
      claimed = step?.next;
      for (const backend of step?.wake ?? []) if (backend !== lane.backend) this.wake(backend);
    }
  }

  /**
   * Before each attempt of a kind that creates something, the claim's mark must survive a power cut (see
   * JobKindDefinition.durableMark). Each attempt, not only the first: a claim whose attempt never left
   * (a refused write, a crash) still counted, so "the mark was set before" does not mean "it is on disk".
   * False when that write was refused: nothing was sent, and the lane's recovery puts the job back.
   */
  private markDurable(lane: Lane, job: ClaimedRow): boolean {
    if (this.sync === 'full' || this.kinds.get(job.kind)?.durableMark !== true) return true;
    const written = this.write(lane, () => {
      this.outbox.persistMark(job.id, this.clock());
      return true;
    }, 'full');
    return written === true;
  }

  /** Runs one claimed job; never throws: every way it can end is an outcome to record. */
  private async attempt(lane: Lane, claimed: ClaimedJob): Promise<Outcome> {
    const job = claimed.row;
    const prepared = this.prepare(claimed);
    if ('bury' in prepared) return prepared.bury;
    try {
      const result = await this.runWithTimeout(lane, prepared.kind, prepared.payload, prepared.ctx);
      return { action: 'done', resultJson: JSON.stringify(result ?? null) };
    } catch (error) {
      return decideFailure(error, {
        attempts: job.attempts,
        maxAttempts: job.max_attempts ?? this.maxAttempts,
        now: this.clock(),
        schedule: this.schedule,
        jitter: this.jitter,
        random: this.random,
      });
    }
  }

  /** Writes an outcome; returns the back ends whose jobs waited for this one. */
  private record(job: ClaimedRow, outcome: Outcome): string[] {
    const now = this.clock();
    if (outcome.action === 'done') {
      this.outbox.complete(job.id, outcome.resultJson, now);
      return this.outbox.dependentBackends(job.idempotency_key);
    }
    if (outcome.action === 'bury') this.outbox.bury(job.id, outcome.reason, outcome.lastError, now, outcome.said);
    else this.outbox.retryLater(job.id, outcome.runAt, outcome.lastError, now);
    return [];
  }

  private prepare(
    claimed: ClaimedJob,
  ): { kind: JobKind; payload: unknown; ctx: Omit<JobContext, 'signal'> } | { bury: FailureDecision } {
    const job = claimed.row;
    const kind = this.kinds.get(job.kind);
    if (!kind) {
      return bury(
        `Программа не знает задание типа «${job.kind}» (возможно, оно из другой версии программы). Ничего не отправлено. Обратитесь в поддержку.`,
        `no job kind "${job.kind}" registered with this worker`,
      );
    }
    const stored = parseJson(job.payload);
    const check = stored.ok ? kind.checkPayload(stored.value) : { ok: false as const, issues: stored.error };
    if (!check.ok) {
      return bury(
        `Сохранённые данные задания «${job.kind}» не прошли проверку (повреждены или записаны другой версией программы). Ничего не отправлено. Обратитесь в поддержку.`,
        `stored payload rejected: ${check.issues}`,
      );
    }
    const ctx: Omit<JobContext, 'signal'> = {
      jobId: job.id,
      idempotencyKey: job.idempotency_key,
      attempt: job.attempts,
      // The claim counted this attempt: any count above it is an earlier start.
      maybeSent: job.sent_attempts > 1,
    };
    if (job.depends_on !== null) {
      const dep = claimed.dependencyResult === null ? { ok: true as const, value: null } : parseJson(claimed.dependencyResult);
      if (!dep.ok) {
        return bury(
          `Результат предыдущего задания «${job.depends_on}» повреждён, продолжить цепочку нельзя. Обратитесь в поддержку.`,
          `dependency result does not parse: ${dep.error}`,
        );
      }
      ctx.dependency = { result: dep.value };
    }
    return { kind, payload: check.payload, ctx };
  }

  /**
   * Settles with run()'s result, or rejects with QUEUE_JOB_TIMEOUT when the lane's watchdog fires first.
   * The watchdog is one timer per lane pushed forward with refresh(), not a setTimeout and a
   * Promise.race per job: clearing a duration's only timer deletes Node's list for it, so every job
   * rebuilt and re-queued that list. A small saving (within noise on the drain bench, whose per-job
   * cost is the SQLite commit: see migrations/003_outboxIndexes.ts).
   */
  private runWithTimeout(lane: Lane, kind: JobKind, payload: unknown, ctx: Omit<JobContext, 'signal'>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const attempt: InFlight = { jobId: ctx.jobId, kind: kind.kind, giveUp: reject, abort: undefined };
      lane.inFlight = attempt;
      if (lane.watchdog) lane.watchdog.refresh();
      else lane.watchdog = setTimeout(() => this.overrun(lane), this.jobTimeoutMs);
      // The controller is made only if run() asks for the signal: creating one costs more than the rest
      // of the worker's per-job work in Node 20 (AbortSignal is a transferable object), and sharing one
      // across jobs leaks, since fetch leaves a listener on it per request. If the watchdog wins, a late
      // settlement of the abandoned run() lands on a settled promise: ignored, and never unhandled.
      kind
        .run(payload, {
          ...ctx,
          get signal() {
            attempt.abort ??= new AbortController();
            return attempt.abort.signal;
          },
        })
        .then(resolve, reject);
    });
  }

  private overrun(lane: Lane): void {
    const attempt = lane.inFlight;
    if (!attempt) return;
    lane.inFlight = undefined;
    const reason = new AppError({
      code: 'QUEUE_JOB_TIMEOUT',
      message: 'Сервер не ответил вовремя. Задание будет повторено; повтор сначала проверит, не выполнено ли оно уже.',
      retry: 'unknown-outcome',
      detail: `job ${attempt.jobId} (${attempt.kind}) still running after ${this.jobTimeoutMs} ms`,
    });
    attempt.abort?.abort(reason);
    attempt.giveUp(reason);
  }

  /** Worker bookkeeping; a refused write (disk full) rests the lane instead of crashing the process. */
  private write<T>(lane: Lane, fn: () => T, sync: BookkeepingSync = this.sync): T | undefined {
    try {
      return this.outbox.bookkeeping(sync, fn);
    } catch (e) {
      const error = storageError(e, this.outbox.db.name);
      lane.fault = error;
      for (const l of this.errorListeners) l(error);
      if (this.started) {
        lane.timer = setTimeout(() => this.recover(lane), this.storageRetryMs);
      }
      return undefined;
    }
  }

  /** After a refused write the lane's job may still say `running`: put it back, then carry on. */
  private recover(lane: Lane): void {
    lane.timer = undefined;
    try {
      this.outbox.bookkeeping(this.sync, () => this.outbox.reclaimOwn(this.workerId, lane.backend, this.maxAttempts, this.clock()));
    } catch (e) {
      const error = storageError(e, this.outbox.db.name);
      for (const l of this.errorListeners) l(error);
      lane.timer = setTimeout(() => this.recover(lane), this.storageRetryMs);
      return;
    }
    lane.fault = undefined;
    this.wake(lane.backend);
  }

  private armTimer(lane: Lane): void {
    if (!this.started || this.stopped || lane.fault || this.isOffline(lane.backend)) return;
    const next = this.outbox.nextRunAt(lane.backend);
    if (next === null) return;
    // setTimeout overflows above 2^31-1 ms (~24.8 days) and would fire at once.
    const delay = Math.min(Math.max(next - this.clock(), 0), 2 ** 31 - 1);
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.wake(lane.backend);
    }, delay);
  }

  /**
   * Offline, the wake only drops the lane's run_at timer (pump and armTimer refuse an offline back end);
   * a resting lane ignores it and keeps its recovery timer, which it needs to ever run again.
   */
  private connectivityChanged(backend: string, state: ConnectivityState): void {
    // The back end answers again: what was backing off because of it need not wait out its delay.
    if (state === 'online') this.outbox.expedite(backend, this.clock());
    this.wake(backend);
  }

  private isOffline(backend: string): boolean {
    return this.connectivity?.state(backend) === 'offline';
  }

  /** Lets tests recover a lane without waiting for storageRetryMs. */
  retryStorageNow(): void {
    for (const lane of this.lanes.values()) {
      if (lane.fault) {
        clearTimeout(lane.timer);
        this.recover(lane);
      }
    }
  }
}

function bury(reason: string, lastError: string): { bury: FailureDecision } {
  return { bury: { action: 'bury', reason, lastError } };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function stoppedError(): AppError {
  return new AppError({
    code: 'QUEUE_WORKER_STOPPED',
    message: 'Внутренняя ошибка программы: отправка уже остановлена. Перезапустите программу.',
    retry: 'permanent',
    detail: 'OutboxWorker used after stop()',
  });
}
