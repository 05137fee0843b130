/**
 * The process the crash test kills. It does what the app does: commits a business row and its jobs
 * in one transaction, says "acked" only after the commit, and runs the worker against the loopback
 * server. Prebuilt once with esbuild by the test so each of the hundreds of spawns is cheap.
 *
 * env: CHAOS_DB, CHAOS_URL, CHAOS_MODE ('chaos' | 'finish'), CHAOS_PREFIX, CHAOS_ORDERS
 */
import { writeSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { AppError } from '../../main/appError';
import { exitWithParent } from '../../emulators/parentLifeline';
import { openDatabase } from '../../main/queue/database';
import { defineJobKind } from '../../main/queue/jobKind';
import { Outbox } from '../../main/queue/outbox';
import { OutboxWorker } from '../../main/queue/worker';
import { chaosMigrations } from './chaosSchema';

const env = z
  .object({
    CHAOS_DB: z.string(),
    CHAOS_URL: z.string(),
    CHAOS_MODE: z.enum(['chaos', 'finish']),
    CHAOS_PREFIX: z.string().default('x'),
    CHAOS_ORDERS: z.coerce.number().int().default(0),
  })
  .parse(process.env);

// Pipes are synchronous for fd 1 on Linux, and writeSync makes it explicit: once this returns the
// parent can read the line even if we are killed on the next instruction.
const say = (line: string) => writeSync(1, `${line}\n`);

async function call(path: string, init: RequestInit & { key: string }, signal: AbortSignal): Promise<unknown> {
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    const res = await fetch(`${env.CHAOS_URL}${path}`, {
      method: init.method,
      body: init.body,
      signal,
      headers: { 'idempotency-key': init.key, 'content-type': 'application/json' },
    });
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    text = await res.text();
  } catch (e) {
    throw new AppError({ code: 'CHAOS_NO_ANSWER', message: 'Сервер не ответил', retry: 'unknown-outcome', detail: String(e), cause: e });
  }
  if (status >= 500) {
    throw new AppError({
      code: 'CHAOS_BUSY',
      message: 'Сервер занят',
      retry: 'transient',
      httpStatus: status,
      ...(retryAfter === null ? {} : { retryAfterMs: Number(retryAfter) * 1000 }),
    });
  }
  if (status === 404) return null;
  if (status >= 400) throw new AppError({ code: 'CHAOS_REFUSED', message: `Сервер отказал: ${text}`, retry: 'permanent', httpStatus: status });
  return JSON.parse(text) as unknown;
}

const session = z.object({ guid: z.string() });
const order = z.object({ order: z.string() });

const kinds = [
  defineJobKind({
    kind: 'chaos.createSession',
    backend: 'pos',
    payload: order,
    run: async (p, ctx) => {
      // After an unknown outcome, look for what the previous attempt may have created (DESIGN.md).
      if (ctx.maybeSent) {
        const found = await call(`/sessions?key=${encodeURIComponent(ctx.idempotencyKey)}`, { key: ctx.idempotencyKey }, ctx.signal);
        if (found !== null) return session.parse(found);
      }
      const created = session.parse(
        await call('/sessions', { method: 'POST', key: ctx.idempotencyKey, body: JSON.stringify(p) }, ctx.signal),
      );
      say(`sent ${ctx.idempotencyKey}`);
      return created;
    },
  }),
  defineJobKind({
    kind: 'chaos.patchSession',
    backend: 'pay',
    payload: order,
    run: async (p, ctx) => {
      const { guid } = session.parse(ctx.dependency?.result);
      await call(`/sessions/${guid}`, { method: 'PATCH', key: ctx.idempotencyKey, body: JSON.stringify(p) }, ctx.signal);
      say(`sent ${ctx.idempotencyKey}`);
      return { patched: guid };
    },
  }),
];

async function main(): Promise<void> {
  // Its server dies with the test process: without it the worker would retry for good.
  exitWithParent();
  const db = openDatabase(env.CHAOS_DB, { migrations: chaosMigrations });
  const outbox = new Outbox(db, { kinds, statsIntervalMs: 5 });
  const worker = new OutboxWorker({ outbox, kinds, schedule: [1, 2, 5], maxAttempts: 1000, jitter: 0.5 });
  worker.start();
  say('ready');
  if (env.CHAOS_MODE === 'finish') {
    await new Promise<void>((resolve) => {
      const off = outbox.on('change', (s) => {
        if (s.counts.pending + s.counts.running > 0) return;
        off();
        resolve();
      });
    });
    await worker.stop();
    const s = outbox.stats();
    db.close();
    say(`finished ${JSON.stringify(s.counts)}`);
    return;
  }
  const insertOrder = db.prepare('INSERT INTO chaos_orders (create_key, patch_key) VALUES (?, ?)');
  for (let i = 0; i < env.CHAOS_ORDERS; i++) {
    const createKey = `${env.CHAOS_PREFIX}-${i}-create`;
    const patchKey = `${env.CHAOS_PREFIX}-${i}-patch`;
    db.transaction(() => {
      insertOrder.run(createKey, patchKey);
      outbox.enqueue({ kind: 'chaos.createSession', backend: 'pos', payload: { order: createKey }, idempotencyKey: createKey });
      outbox.enqueue({ kind: 'chaos.patchSession', backend: 'pay', payload: { order: createKey }, idempotencyKey: patchKey, dependsOn: createKey });
    }).immediate();
    say(`acked ${createKey} ${patchKey}`);
    await nextTurn();
  }
  // Stay alive working until the parent's SIGKILL.
  setInterval(() => undefined, 60_000);
}

main().catch((e: unknown) => {
  process.stderr.write(`chaos child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(3);
});
