import { z } from 'zod';
import { AppError } from '../appError';

export const jobStates = ['pending', 'running', 'done', 'dead'] as const;
export type JobState = (typeof jobStates)[number];

/** A row of outbox_jobs as SQLite returns it: parsed, because the file is a boundary too. */
export const jobRowSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  backend: z.string(),
  idempotency_key: z.string(),
  payload: z.string(),
  depends_on: z.string().nullable(),
  state: z.enum(jobStates),
  attempts: z.number().int(),
  max_attempts: z.number().int().nullable(),
  run_at: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  locked_at: z.number().int().nullable(),
  locked_by: z.string().nullable(),
  last_error: z.string().nullable(),
  dead_reason: z.string().nullable(),
  result: z.string().nullable(),
  sent_attempts: z.number().int(),
});
export type JobRow = z.infer<typeof jobRowSchema>;

/**
 * What the worker reads of the job it claims. The claim returns only these columns: building, and
 * parsing, all seventeen for every job cost about 6 µs a job between HTTP calls on the drain bench.
 */
const claimedRowSchema = jobRowSchema.pick({
  id: true,
  kind: true,
  idempotency_key: true,
  payload: true,
  depends_on: true,
  attempts: true,
  max_attempts: true,
  sent_attempts: true,
});
export type ClaimedRow = z.infer<typeof claimedRowSchema>;
/** The claim's RETURNING list, from the schema that parses it. */
export const claimedColumns: readonly string[] = Object.keys(claimedRowSchema.shape);

export interface Job {
  id: number;
  kind: string;
  backend: string;
  idempotencyKey: string;
  /** The stored JSON, parsed; undefined if the text does not parse (the worker buries such a job with a reason). */
  payload: unknown;
  /** Idempotency key of the job this one waits for. */
  dependsOn: string | null;
  state: JobState;
  attempts: number;
  /** null: the worker's default applies. */
  maxAttempts: number | null;
  runAt: number;
  createdAt: number;
  updatedAt: number;
  lockedAt: number | null;
  lockedBy: string | null;
  /** Technical text of the last failure (for logs and support). */
  lastError: string | null;
  /** Why a dead job is dead, in Russian, for the cashier. */
  deadReason: string | null;
  /** What run() returned, once done (null before); undefined if the stored text does not parse. */
  result: unknown;
  /** An attempt was started, so the server may have the effect: kept through manual retries. */
  maybeSent: boolean;
}

export function parseJobRow(row: unknown): JobRow {
  const parsed = jobRowSchema.safeParse(row);
  if (!parsed.success) throw unreadableRow(`outbox_jobs row: ${parsed.error.message}`);
  return parsed.data;
}

export function parseClaimedRow(row: unknown): ClaimedRow {
  const parsed = claimedRowSchema.safeParse(row);
  if (!parsed.success) throw unreadableRow(`outbox_jobs claimed row: ${parsed.error.message}`);
  return parsed.data;
}

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    backend: row.backend,
    idempotencyKey: row.idempotency_key,
    payload: parseStoredJson(row.payload),
    dependsOn: row.depends_on,
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lockedAt: row.locked_at,
    lockedBy: row.locked_by,
    lastError: row.last_error,
    deadReason: row.dead_reason,
    result: row.result === null ? null : parseStoredJson(row.result),
    maybeSent: row.sent_attempts > 0,
  };
}

/** A listing must not fail for one damaged row, so an unparsable text reads as absent. */
function parseStoredJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function unreadableRow(detail: string): AppError {
  return new AppError({
    code: 'QUEUE_ROW_UNREADABLE',
    message: 'Запись в очереди отправки повреждена и не может быть прочитана. Обратитесь в поддержку.',
    retry: 'permanent',
    detail,
  });
}
