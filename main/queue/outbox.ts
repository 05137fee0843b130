import { z } from 'zod';
import { AppError } from '../appError';
import type { MainText } from '../../preload/contract';
import type { Database } from './database';
import { kindRegistry, type JobKind } from './jobKind';
import { claimedColumns, jobFromRow, jobStates, parseClaimedRow, parseJobRow, type ClaimedRow, type Job, type JobState } from './jobRow';
import { statsQuery, type OutboxStats } from './outboxStats';
import { storageError } from './storageErrors';

export type { Job, JobState } from './jobRow';
export type { OutboxStats } from './outboxStats';

const enqueueSchema = z.object({
  kind: z.string().min(1),
  backend: z.string().min(1),
  payload: z.unknown(),
  idempotencyKey: z.string().min(1).max(500),
  dependsOn: z.string().min(1).optional(),
  runAt: z.number().int().optional(),
  maxAttempts: z.number().int().positive().optional(),
});
export type EnqueueInput = z.input<typeof enqueueSchema>;

export interface ListFilter {
  state?: JobState | readonly JobState[];
  backend?: string;
  kind?: string;
  limit?: number;
}

export interface OutboxOptions {
  /** When given, enqueue refuses unknown kinds and payloads that fail the kind's schema. */
  kinds?: readonly JobKind[];
  clock?: () => number;
  /** The 'change' snapshot is coalesced to at most one per this interval (the last change is always sent). */
  statsIntervalMs?: number;
  /** How many dead and blocked jobs a snapshot lists. */
  statsListLimit?: number;
}

/** How durably the worker's own bookkeeping (claim, done, retry-at) commits; see OutboxWorker. */
export type BookkeepingSync = 'full' | 'normal';

export interface ClaimedJob {
  row: ClaimedRow;
  /** JSON text of the dependency's result, when the job has a dependency. */
  dependencyResult: string | null;
}

type ChangeListener = (stats: OutboxStats) => void;
type ReadyListener = (backend: string) => void;

const claimable = `
  SELECT j.id FROM outbox_jobs j LEFT JOIN outbox_jobs d ON d.idempotency_key = j.depends_on
   WHERE j.state = 'pending' AND j.backend = @backend AND (j.depends_on IS NULL OR d.state = 'done')`;

/**
 * The durable outbox (Signal's JobQueue.add / goqite's SendTx idea): the caller writes its business row
 * and the job in one transaction, so both commit or neither does.
 *
 *   immediateTransaction(db, () => {          // or db.transaction(fn).immediate()
 *     refunds.markConfirmed(id);
 *     outbox.enqueue({ kind: 'lifepos.createReversal', backend: 'lifepos', payload, idempotencyKey });
 *   });
 *
 * enqueue never opens a transaction of its own: it is one INSERT (plus reads), which either joins the
 * caller's open transaction or, when none is open, commits alone in autocommit. (Had it used
 * db.transaction, better-sqlite3 would have nested it as a SAVEPOINT inside the caller's transaction,
 * which is also safe; a single statement needs neither.)
 */
export class Outbox {
  readonly db: Database;
  private readonly file: string;
  private readonly kinds: ReadonlyMap<string, JobKind> | undefined;
  private readonly clock: () => number;
  private readonly statsIntervalMs: number;
  private readonly snapshot: (now: number) => OutboxStats;
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly readyListeners = new Set<ReadyListener>();
  private readonly readyBackends = new Set<string>();
  private statsTimer: NodeJS.Timeout | undefined;
  private lastStatsAt = Number.NEGATIVE_INFINITY;
  /** The connection's own setting (FULL from openDatabase), restored after relaxed bookkeeping. */
  private readonly configuredSync: number;
  private readonly st: ReturnType<typeof prepare>;

  constructor(db: Database, opts: OutboxOptions = {}) {
    this.db = db;
    this.file = db.name;
    this.kinds = opts.kinds ? kindRegistry(opts.kinds) : undefined;
    this.clock = opts.clock ?? Date.now;
    this.statsIntervalMs = opts.statsIntervalMs ?? 100;
    try {
      this.snapshot = statsQuery(db, opts.statsListLimit ?? 100);
      this.st = prepare(db);
      this.configuredSync = Number(db.pragma('synchronous', { simple: true }));
    } catch (e) {
      throw storageError(e, this.file);
    }
  }

  /** Idempotent by key: the same key again returns the job already stored, whatever else was passed. */
  enqueue(input: EnqueueInput): Job {
    const parsed = enqueueSchema.safeParse(input);
    if (!parsed.success) throw invalidJob(`enqueue: ${parsed.error.message}`);
    const job = parsed.data;
    this.checkKind(job.kind, job.backend, job.payload);
    const payload = JSON.stringify(job.payload);
    if (payload === undefined) throw invalidJob(`enqueue ${job.idempotencyKey}: payload is not JSON`);
    if (job.dependsOn === job.idempotencyKey) throw invalidJob(`enqueue ${job.idempotencyKey}: depends on itself`);
    const now = this.clock();
    const row = this.storage(() => {
      if (job.dependsOn !== undefined && this.st.byKey.get(job.dependsOn) === undefined) {
        throw invalidJob(`enqueue ${job.idempotencyKey}: dependency "${job.dependsOn}" is not in the outbox`);
      }
      const inserted = this.st.insert.run({
        kind: job.kind,
        backend: job.backend,
        key: job.idempotencyKey,
        payload,
        dependsOn: job.dependsOn ?? null,
        runAt: job.runAt ?? now,
        maxAttempts: job.maxAttempts ?? null,
        now,
      });
      // Read back after the write rather than INSERT ... RETURNING: in autocommit, RETURNING measured
      // about twice the latency of the plain INSERT on this machine (see bench/queue.bench.ts).
      return inserted.changes === 1 ? this.st.byId.get(inserted.lastInsertRowid) : this.st.byKey.get(job.idempotencyKey);
    });
    const stored = parseJobRow(row);
    if (stored.kind !== job.kind) {
      throw invalidJob(`enqueue: key "${job.idempotencyKey}" already names a "${stored.kind}" job, not "${job.kind}"`);
    }
    this.wake(stored.backend);
    this.changed();
    return jobFromRow(stored);
  }

  get(idOrKey: number | string): Job | undefined {
    const row = this.storage(() => (typeof idOrKey === 'number' ? this.st.byId.get(idOrKey) : this.st.byKey.get(idOrKey)));
    return row === undefined ? undefined : jobFromRow(parseJobRow(row));
  }

  list(filter: ListFilter = {}): Job[] {
    const states = filter.state === undefined ? jobStates : typeof filter.state === 'string' ? [filter.state] : filter.state;
    const rows = this.storage(() =>
      this.st.list.all({
        states: JSON.stringify(states),
        backend: filter.backend ?? null,
        kind: filter.kind ?? null,
        limit: filter.limit ?? 1000,
      }),
    );
    return rows.map((r) => jobFromRow(parseJobRow(r)));
  }

  stats(): OutboxStats {
    return this.storage(() => this.snapshot(this.clock()));
  }

  /**
   * Puts a dead job back in line with fresh attempts (the cashier's "Повторить"). Its maybe-sent mark
   * stays: a job whose earlier attempt may have reached the server still looks before creating again.
   */
  retryDead(id: number): Job {
    const row = this.storage(() => this.st.retryDead.get({ id, now: this.clock() }));
    if (row === undefined) {
      throw new AppError({
        code: 'QUEUE_NOT_DEAD',
        message: 'Это задание не остановлено с ошибкой, повторять его не нужно. Обновите список.',
        retry: 'permanent',
        detail: `retryDead(${id}): no dead job with this id`,
      });
    }
    const job = parseJobRow(row);
    this.wake(job.backend);
    this.changed();
    return jobFromRow(job);
  }

  /** 'change': a stats snapshot after changes (coalesced). 'ready': jobs for a back end may have become due. */
  on(event: 'change', listener: ChangeListener): () => void;
  on(event: 'ready', listener: ReadyListener): () => void;
  on(event: 'change' | 'ready', listener: ChangeListener | ReadyListener): () => void {
    const set = (event === 'change' ? this.changeListeners : this.readyListeners) as Set<typeof listener>;
    set.add(listener);
    if (event === 'change') this.changed();
    return () => {
      set.delete(listener);
    };
  }

  // ---- the worker's side: all SQL for claiming and settling jobs lives here, next to the schema's users.

  /** Runs worker bookkeeping at the given durability, restoring the connection's setting afterwards. */
  bookkeeping<T>(sync: BookkeepingSync, fn: () => T): T {
    if (sync === 'full' || this.db.inTransaction) return this.storage(fn);
    // Not prepared statements: SQLite applies PRAGMA synchronous while *compiling* it, so preparing
    // one changes the connection at once and running it again later does nothing.
    return this.storage(() => {
      this.db.exec('PRAGMA synchronous = NORMAL');
      try {
        return fn();
      } finally {
        this.db.exec(`PRAGMA synchronous = ${this.configuredSync}`);
      }
    });
  }

  /** Marks the oldest ready job of a back end running (one attempt used) and returns it. */
  claimNext(backend: string, now: number, workerId: string): ClaimedJob | undefined {
    const row = this.st.claim.get({ backend, now, workerId });
    if (row === undefined) return undefined;
    const job = parseClaimedRow(row);
    const dep = job.depends_on === null ? undefined : (this.st.resultOf.get(job.depends_on) as { result: string | null } | undefined);
    this.changed();
    return { row: job, dependencyResult: dep?.result ?? null };
  }

  /**
   * A one-row write for the worker to commit under bookkeeping('full'): that commit's fsync of the WAL
   * also makes durable the relaxed commit before it, which claimed the job and set its maybe-sent mark.
   */
  persistMark(id: number, now: number): void {
    this.st.touch.run({ id, now });
  }

  complete(id: number, resultJson: string, now: number): void {
    this.st.complete.run({ id, result: resultJson, now });
    this.changed();
  }

  /** Back ends whose pending jobs wait for the given key: they may run now that it is done. */
  dependentBackends(key: string): string[] {
    return [...new Set(this.st.dependentBackends.all(key) as string[])];
  }

  retryLater(id: number, runAt: number, lastError: string, now: number): void {
    this.st.retryLater.run({ id, runAt, lastError, now });
    this.changed();
  }

  /** said: the reason as a code with values (preload/contract/mainText.ts), stored as JSON beside the Russian text. */
  bury(id: number, reason: string, lastError: string, now: number, said?: MainText): void {
    this.st.bury.run({ id, reason, lastError, now, said: said ? JSON.stringify(said) : null });
    this.changed();
  }

  /**
   * Returns to pending the jobs another worker instance (a crashed process) left running: found by
   * the lease (locked_by), never by age. A job already at its last attempt is buried instead, so a job
   * that crashes the process every time cannot loop forever.
   */
  reclaimAbandoned(workerId: string, defaultMaxAttempts: number, now: number): number {
    const n = this.storage(() => this.st.reclaimForeign.run({ workerId, defaultMaxAttempts, now }).changes);
    if (n > 0) this.changed();
    return n;
  }

  /** The worker's own orphan (its bookkeeping write failed): back to pending while the lane is idle. */
  reclaimOwn(workerId: string, backend: string, defaultMaxAttempts: number, now: number): number {
    const n = this.st.reclaimOwn.run({ workerId, backend, defaultMaxAttempts, now }).changes;
    if (n > 0) this.changed();
    return n;
  }

  /** Jobs backing off after failures may run now (the back end just came back). Scheduled runAt is kept. */
  expedite(backend: string, now: number): number {
    const n = this.storage(() => this.st.expedite.run({ backend, now }).changes);
    if (n > 0) this.changed();
    return n;
  }

  /** Earliest run_at among a back end's jobs that could run (dependency done or none). */
  nextRunAt(backend: string): number | null {
    return this.storage(() => this.st.nextRunAt.pluck().get({ backend }) as number | null);
  }

  pendingBackends(): string[] {
    return this.storage(() => this.st.pendingBackends.pluck().all() as string[]);
  }

  hasDue(backend: string, now: number): boolean {
    return this.storage(() => this.st.due.get({ backend, now }) !== undefined);
  }

  private checkKind(kind: string, backend: string, payload: unknown): void {
    if (this.kinds === undefined) return;
    const def = this.kinds.get(kind);
    if (def === undefined) throw invalidJob(`enqueue: unknown job kind "${kind}"`);
    if (def.backend !== backend) throw invalidJob(`enqueue: kind "${kind}" belongs to back end "${def.backend}", not "${backend}"`);
    const check = def.checkPayload(payload);
    if (!check.ok) throw invalidJob(`enqueue ${kind}: payload does not match its schema: ${check.issues}`);
  }

  private storage<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storageError(e, this.file);
    }
  }

  private wake(backend: string): void {
    if (this.readyBackends.size === 0) {
      // After the current synchronous code: by then the caller's transaction has committed (or not).
      queueMicrotask(() => {
        const backends = [...this.readyBackends];
        this.readyBackends.clear();
        for (const b of backends) for (const l of this.readyListeners) l(b);
      });
    }
    this.readyBackends.add(backend);
  }

  private changed(): void {
    if (this.changeListeners.size === 0 || this.statsTimer !== undefined) return;
    const delay = Math.max(0, this.lastStatsAt + this.statsIntervalMs - Date.now());
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined;
      if (!this.db.open || this.changeListeners.size === 0) return;
      this.lastStatsAt = Date.now();
      const stats = this.stats();
      for (const l of this.changeListeners) l(stats);
    }, delay);
  }
}


function prepare(db: Database) {
  return {
    insert: db.prepare(`
      INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, depends_on, run_at, max_attempts, created_at, updated_at)
      VALUES (@kind, @backend, @key, @payload, @dependsOn, @runAt, @maxAttempts, @now, @now)
      ON CONFLICT (idempotency_key) DO NOTHING`),
    byKey: db.prepare('SELECT * FROM outbox_jobs WHERE idempotency_key = ?'),
    byId: db.prepare('SELECT * FROM outbox_jobs WHERE id = ?'),
    list: db.prepare(`
      SELECT * FROM outbox_jobs
       WHERE state IN (SELECT value FROM json_each(@states))
         AND (@backend IS NULL OR backend = @backend) AND (@kind IS NULL OR kind = @kind)
       ORDER BY id LIMIT @limit`),
    retryDead: db.prepare(`
      UPDATE outbox_jobs SET state = 'pending', attempts = 0, run_at = @now, dead_reason = NULL, dead_text = NULL, updated_at = @now
       WHERE id = @id AND state = 'dead' RETURNING *`),
    claim: db.prepare(`
      UPDATE outbox_jobs
         SET state = 'running', attempts = attempts + 1, sent_attempts = sent_attempts + 1, locked_at = @now, locked_by = @workerId, updated_at = @now
       WHERE id = (${claimable} AND j.run_at <= @now ORDER BY j.id LIMIT 1)
      RETURNING ${claimedColumns.join(', ')}`),
    touch: db.prepare('UPDATE outbox_jobs SET updated_at = @now WHERE id = @id'),
    resultOf: db.prepare('SELECT result FROM outbox_jobs WHERE idempotency_key = ?'),
    complete: db.prepare(`
      UPDATE outbox_jobs SET state = 'done', result = @result, locked_at = NULL, locked_by = NULL, updated_at = @now
       WHERE id = @id`),
    // Deduplicated by the caller: DISTINCT opens a temporary b-tree on every run, and this runs once per
    // job done, nearly always to find nothing.
    dependentBackends: db.prepare(`SELECT backend FROM outbox_jobs WHERE depends_on = ? AND state = 'pending'`).pluck(),
    retryLater: db.prepare(`
      UPDATE outbox_jobs SET state = 'pending', run_at = @runAt, last_error = @lastError, locked_at = NULL, locked_by = NULL,
             updated_at = @now
       WHERE id = @id`),
    bury: db.prepare(`
      UPDATE outbox_jobs SET state = 'dead', dead_reason = @reason, dead_text = @said, last_error = @lastError, locked_at = NULL, locked_by = NULL,
             updated_at = @now
       WHERE id = @id`),
    reclaimForeign: db.prepare(reclaimSql(`(locked_by IS NULL OR locked_by <> @workerId)`)),
    reclaimOwn: db.prepare(reclaimSql(`locked_by = @workerId AND backend = @backend`)),
    expedite: db.prepare(`
      UPDATE outbox_jobs SET run_at = @now, updated_at = @now
       WHERE state = 'pending' AND backend = @backend AND attempts > 0 AND run_at > @now`),
    nextRunAt: db.prepare(`SELECT min(j.run_at) FROM outbox_jobs j WHERE j.id IN (${claimable})`),
    pendingBackends: db.prepare(`SELECT DISTINCT backend FROM outbox_jobs WHERE state = 'pending'`),
    due: db.prepare(`${claimable} AND j.run_at <= @now LIMIT 1`),
  };
}

function reclaimSql(owner: string): string {
  const exhausted = 'attempts >= coalesce(max_attempts, @defaultMaxAttempts)';
  return `
    UPDATE outbox_jobs
       SET state = CASE WHEN ${exhausted} THEN 'dead' ELSE 'pending' END,
           dead_reason = CASE WHEN ${exhausted}
             THEN 'Программа аварийно завершалась во время этого задания во всех ' || attempts ||
                  ' попытках. Повторите его вручную; если снова не выйдет, обратитесь в поддержку.'
             ELSE dead_reason END,
           last_error = 'interrupted: worker ' || coalesce(locked_by, '?') || ' claimed it at ' || coalesce(locked_at, '?') ||
                        ' and did not finish',
           run_at = @now, locked_at = NULL, locked_by = NULL, updated_at = @now
     WHERE state = 'running' AND ${owner}`;
}

function invalidJob(detail: string): AppError {
  return new AppError({
    code: 'QUEUE_INVALID_JOB',
    message: 'Внутренняя ошибка программы: задание для отправки составлено неверно и не сохранено. Обратитесь в поддержку.',
    retry: 'permanent',
    detail,
  });
}
