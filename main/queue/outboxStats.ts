import { z } from 'zod';
import { MainText } from '../../preload/contract';
import { storedMainText } from '../storedMainText';
import type { Database } from './database';
import type { JobState } from './jobRow';

/** The sync panel's picture of the outbox. Exported as a schema so the contract can reuse it. */
export const outboxStatsSchema = z.object({
  /** Clock time the snapshot was taken. */
  at: z.number().int(),
  counts: z.object({ pending: z.number().int(), running: z.number().int(), done: z.number().int(), dead: z.number().int() }),
  /** Age of the oldest job not yet done or dead (pending or running); null when there is none. */
  oldestPendingAgeMs: z.number().int().nullable(),
  dead: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      backend: z.string(),
      key: z.string(),
      /** Russian, for the cashier. */
      reason: z.string(),
      /** The reason as a code with values (failurePolicy.ts), said by the UI in its language; absent: say the Russian text. */
      reasonText: MainText.optional(),
      lastError: z.string().nullable(),
      attempts: z.number().int(),
    }),
  ),
  /** Pending jobs that cannot run until a dead job they depend on (directly or through a chain) is retried. */
  blocked: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      backend: z.string(),
      key: z.string(),
      dependsOn: z.string(),
      reason: z.string(),
    }),
  ),
});
export type OutboxStats = z.infer<typeof outboxStatsSchema>;

const countRow = z.object({ total: z.number().int(), pending: z.number().int(), running: z.number().int(), dead: z.number().int() });
const oldestRow = z.object({ oldest: z.number().int().nullable() });
const deadRow = z.object({
  id: z.number().int(),
  kind: z.string(),
  backend: z.string(),
  idempotency_key: z.string(),
  dead_reason: z.string().nullable(),
  dead_text: z.string().nullable(),
  last_error: z.string().nullable(),
  attempts: z.number().int(),
});
const blockedRow = z.object({
  id: z.number().int(),
  kind: z.string(),
  backend: z.string(),
  idempotency_key: z.string(),
  depends_on: z.string(),
});

/** Prepared once per Outbox; the UI asks often. */
export function statsQuery(db: Database, deadLimit: number): (now: number) => OutboxStats {
  // Each count reads the index made for it (migration 003); `done` is what the others leave of the total.
  const counts = db.prepare(`
    SELECT (SELECT count(*) FROM outbox_jobs) AS total,
           count(*) FILTER (WHERE state = 'pending') AS pending,
           count(*) FILTER (WHERE state = 'running') AS running,
           (SELECT count(*) FROM outbox_jobs WHERE state = 'dead') AS dead
      FROM outbox_jobs WHERE state = 'pending' OR state = 'running'`);
  const oldest = db.prepare(`SELECT min(created_at) AS oldest FROM outbox_jobs WHERE state = 'pending' OR state = 'running'`);
  const dead = db.prepare(
    `SELECT id, kind, backend, idempotency_key, dead_reason, dead_text, last_error, attempts
       FROM outbox_jobs WHERE state = 'dead' ORDER BY id LIMIT ?`,
  );
  const blocked = db.prepare(`
    WITH RECURSIVE blocked (id, kind, backend, idempotency_key, depends_on) AS (
      SELECT j.id, j.kind, j.backend, j.idempotency_key, j.depends_on
        FROM outbox_jobs j JOIN outbox_jobs d ON d.idempotency_key = j.depends_on
       WHERE j.state = 'pending' AND d.state = 'dead'
      UNION
      SELECT j.id, j.kind, j.backend, j.idempotency_key, j.depends_on
        FROM outbox_jobs j JOIN blocked b ON j.depends_on = b.idempotency_key
       WHERE j.state = 'pending'
    )
    SELECT * FROM blocked ORDER BY id LIMIT ?`);

  return (now) => {
    const n = countRow.parse(counts.get());
    const byState: Record<JobState, number> = { pending: n.pending, running: n.running, done: n.total - n.pending - n.running - n.dead, dead: n.dead };
    const { oldest: oldestCreated } = oldestRow.parse(oldest.get());
    return {
      at: now,
      counts: byState,
      oldestPendingAgeMs: oldestCreated === null ? null : Math.max(0, now - oldestCreated),
      dead: dead.all(deadLimit).map((r) => {
        const row = deadRow.parse(r);
        return {
          id: row.id,
          kind: row.kind,
          backend: row.backend,
          key: row.idempotency_key,
          reason: row.dead_reason ?? 'Задание остановлено без указания причины. Обратитесь в поддержку.',
          ...storedMainText(row.dead_text),
          lastError: row.last_error,
          attempts: row.attempts,
        };
      }),
      blocked: blocked.all(deadLimit).map((r) => {
        const row = blockedRow.parse(r);
        return {
          id: row.id,
          kind: row.kind,
          backend: row.backend,
          key: row.idempotency_key,
          dependsOn: row.depends_on,
          reason: `Ждёт задание «${row.depends_on}», а цепочка остановлена заданием с ошибкой: повторите его из списка ошибок, и это задание выполнится следом.`,
        };
      }),
    };
  };
}

