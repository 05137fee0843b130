import type { z } from 'zod';
import { AppError } from '../appError';

/** What a job's run() learns about the attempt it is in. */
export interface JobContext {
  jobId: number;
  /** Made by the caller before the first attempt; send it to the back end with every attempt. */
  idempotencyKey: string;
  /** 1 on the first attempt since the job was enqueued or manually retried; it paces the backoff. */
  attempt: number;
  /**
   * An earlier attempt of this job was started — in this run or before a restart, before or after a
   * manual retry — so it may have reached the server: look the object up before creating it again.
   * Read from the persisted mark (outbox_jobs.sent_attempts), which a manual retry never resets.
   */
  maybeSent: boolean;
  /** The stored result of the job this one depends on (it is done when this one runs). */
  dependency?: { result: unknown };
  /** Aborted when the attempt overruns the worker's job timeout: pass it to fetch. */
  signal: AbortSignal;
}

export type PayloadCheck = { ok: true; payload: unknown } | { ok: false; issues: string };

/**
 * A job kind with its types erased, so kinds with different payloads sit in one registry.
 * Made only by defineJobKind, which keeps parse and run agreeing on the payload type.
 */
export interface JobKind {
  readonly kind: string;
  readonly backend: string;
  checkPayload(payload: unknown): PayloadCheck;
  /** See JobKindDefinition.durableMark. */
  readonly durableMark: boolean;
  /** Runs with a payload that passed checkPayload. The result must survive JSON.stringify. */
  run(payload: unknown, ctx: JobContext): Promise<unknown>;
}

export interface JobKindDefinition<S extends z.ZodType, R> {
  kind: string;
  backend: string;
  payload: S;
  run: (payload: z.output<S>, ctx: JobContext) => Promise<R>;
  /**
   * The call creates something a repeat would create twice (run() relies on ctx.maybeSent to look
   * first). The worker then commits the maybe-sent mark with a full sync before each attempt leaves:
   * with the worker's relaxed bookkeeping a power cut could otherwise take the mark back while the
   * server kept what was sent. Calls that are harmless to repeat (a PATCH of the same data) skip the fsync.
   */
  durableMark?: boolean;
}

/** Names a zod schema for a kind's stored payload (Signal's JobQueue habit: parse once, never guess). */
export function defineJobKind<S extends z.ZodType, R>(def: JobKindDefinition<S, R>): JobKind {
  return {
    kind: def.kind,
    backend: def.backend,
    durableMark: def.durableMark ?? false,
    checkPayload(payload) {
      const parsed = def.payload.safeParse(payload);
      return parsed.success
        ? { ok: true, payload: parsed.data }
        : { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
    },
    run(payload, ctx) {
      return def.run(payload as z.output<S>, ctx);
    },
  };
}

export function kindRegistry(kinds: readonly JobKind[]): ReadonlyMap<string, JobKind> {
  const map = new Map<string, JobKind>();
  for (const k of kinds) {
    if (map.has(k.kind)) {
      throw new AppError({
        code: 'QUEUE_KIND_DUPLICATE',
        message: 'Внутренняя ошибка программы: тип задания очереди объявлен дважды. Обратитесь в поддержку.',
        detail: `job kind "${k.kind}" is defined twice`,
      });
    }
    map.set(k.kind, k);
  }
  return map;
}
