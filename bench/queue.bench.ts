/**
 * npm run bench:queue — figures, not pass/fail. Everything measured in this one run, on this machine:
 * 1. durable enqueue (autocommit, synchronous=FULL) vs a bare prepared INSERT of the same row into the
 *    same schema with the same pragmas: throughput and p50/p99 latency (goal ≤ 1.3x);
 * 2. draining 10,000 jobs to a loopback HTTP server in another process vs a bare sequential fetch loop
 *    to the same server (goal ≤ 1.2x), with the worker's bookkeeping at NORMAL (default) and FULL.
 *    Both sides call the same post() (global fetch, its default keep-alive agent, one connection) and
 *    parse the answer with the same schema; the worker's job also passes the job-timeout signal, which
 *    is part of what the worker costs. Worker and bare loop take turns in rounds of DRAIN_JOBS / ROUNDS:
 *    the machine is shared, and load that comes and goes then lands on both alike (one long run per
 *    side, as this bench first did, measured the neighbours as much as the worker: 1.67–1.86x against
 *    1.44x alternating, same code). Each worker keeps one database across its rounds, so the last
 *    round drains against 10,000 stored jobs; enqueueing a round's jobs is not timed (part 1 does).
 *    A third pair shows the floor under the worker: the bare loop plus the least a recorded outcome
 *    can cost, one commit of a one-row UPDATE per request at NORMAL;
 * 3. peak memory (maxRSS).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { openDatabase, type Database } from '../main/queue/database';
import { defineJobKind } from '../main/queue/jobKind';
import { Outbox } from '../main/queue/outbox';
import { OutboxWorker, type OutboxWorkerOptions } from '../main/queue/worker';

const ENQUEUE_OPS = 3000;
const DRAIN_JOBS = 10_000;
const ROUNDS = 20;

const dir = mkdtempSync(join(tmpdir(), 'queue-bench-'));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = samples.reduce((a, b) => a + b, 0);
  return { opsPerSec: (samples.length / total) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function timeEach(n: number, fn: () => void, into: number[]): void {
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    into.push(performance.now() - t);
  }
}

function benchEnqueue() {
  const outboxDb = openDatabase(join(dir, 'enqueue.db'));
  const bareDb = openDatabase(join(dir, 'bare.db'));
  const outbox = new Outbox(outboxDb);
  const bare = bareDb.prepare(`
    INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, depends_on, run_at, max_attempts, created_at, updated_at)
    VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, ?)`);
  const payload = { dealGuid: '0b8e3c1e-4e0a-4f4c-9d55-3b1f3d0c2a11', amount: 150_050, currency: 'RUB', lines: [{ sku: 'A-1', qty: 1000 }] };
  const ours: number[] = [];
  const base: number[] = [];
  // Strictly alternating single operations, so disk and CPU drift (other processes) hit both sides alike.
  for (let i = 0; i < ENQUEUE_OPS; i++) {
    timeEach(1, () => {
      const now = Date.now();
      bare.run('lifepos.createReversal', 'lifepos', `bare-${i}`, JSON.stringify(payload), now, now, now);
    }, base);
    timeEach(1, () => {
      outbox.enqueue({ kind: 'lifepos.createReversal', backend: 'lifepos', payload, idempotencyKey: `job-${i}` });
    }, ours);
  }
  outboxDb.close();
  bareDb.close();
  return { ours: summary(ours), base: summary(base) };
}

const serverScript = `
  const http = require('node:http');
  const seen = new Map();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      if (!seen.has(key)) seen.set(key, seen.size + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ guid: 'g-' + seen.get(key) }));
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', serverScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.setEncoding('utf8').once('data', (d: string) => resolve(d.trim()));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const answer = z.object({ guid: z.string() });

async function post(url: string, key: string, body: string, signal?: AbortSignal): Promise<{ guid: string }> {
  const res = await fetch(`${url}/sessions`, { method: 'POST', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, body, ...(signal ? { signal } : {}) });
  return answer.parse(await res.json());
}

async function bareLoop(url: string, n: number, tag: string): Promise<number> {
  const body = JSON.stringify({ n: 0 });
  const t = performance.now();
  for (let i = 0; i < n; i++) await post(url, `${tag}-${i}`, body);
  return performance.now() - t;
}

type Sync = NonNullable<OutboxWorkerOptions['bookkeepingSync']>;

/** A worker over its own database; each call of drainRound enqueues n jobs (untimed) and times draining them. */
function workerSide(url: string, tag: string, sync: Sync) {
  const db: Database = openDatabase(join(dir, `drain-${tag}.db`));
  const kind = defineJobKind({
    kind: 'bench.post',
    backend: 'lifepos',
    payload: z.object({ n: z.number().int() }),
    run: (p, ctx) => post(url, ctx.idempotencyKey, JSON.stringify(p), ctx.signal),
  });
  const outbox = new Outbox(db, { kinds: [kind] });
  // As in the app, where the sync panel always listens: the worker then pays for its stats snapshots.
  outbox.on('change', () => undefined);
  const worker = new OutboxWorker({ outbox, kinds: [kind], bookkeepingSync: sync });
  let enqueued = 0;
  return {
    async drainRound(n: number): Promise<number> {
      db.transaction(() => {
        for (let i = 0; i < n; i++, enqueued++) {
          outbox.enqueue({ kind: 'bench.post', backend: 'lifepos', payload: { n: enqueued }, idempotencyKey: `${tag}-${enqueued}` });
        }
      })();
      const t = performance.now();
      await worker.drain();
      return performance.now() - t;
    },
    async close(): Promise<void> {
      await worker.stop();
      const done = outbox.stats().counts.done;
      db.close();
      if (done !== enqueued) throw new Error(`${tag}: drain finished with ${done} of ${enqueued} jobs done`);
    },
  };
}

/** Times `ours` and a bare loop in alternating rounds; returns both totals and the per-round ratios, sorted. */
async function alternate(url: string, tag: string, ours: (n: number) => Promise<number>) {
  const perRound = DRAIN_JOBS / ROUNDS;
  // Warm-up, untimed: the JIT, the connection and the database's first pages, on both sides.
  await bareLoop(url, perRound, `${tag}-warm`);
  await ours(perRound);
  const bare: number[] = [];
  const worker: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await bareLoop(url, perRound, `${tag}-${r}`));
    worker.push(await ours(perRound));
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return { bare: sum(bare), worker: sum(worker), ratios: worker.map((t, i) => t / (bare[i] ?? Number.NaN)).sort((a, b) => a - b) };
}

async function benchDrain(url: string) {
  const normal = workerSide(url, 'normal', 'normal');
  const normalRun = await alternate(url, 'bare-n', (n) => normal.drainRound(n));
  await normal.close();
  // FULL in its own phase against its own bare rounds: its fsyncs must not slow the NORMAL comparison.
  const full = workerSide(url, 'full', 'full');
  const fullRun = await alternate(url, 'bare-f', (n) => full.drainRound(n));
  await full.close();
  const floorRun = await alternate(url, 'bare-c', commitPerRequest(url));
  return { normal: normalRun, full: fullRun, floor: floorRun };
}

/** The bare loop with one small commit before each request: what any durable per-job record costs here. */
function commitPerRequest(url: string): (n: number) => Promise<number> {
  const db = openDatabase(join(dir, 'floor.db'));
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE progress (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO progress VALUES (1, 0)');
  const step = db.prepare('UPDATE progress SET n = n + 1 WHERE id = 1');
  const record = db.transaction(() => step.run());
  const body = JSON.stringify({ n: 0 });
  let sent = 0;
  return async (n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++, sent++) {
      record.immediate();
      await post(url, `floor-${sent}`, body);
    }
    return performance.now() - t;
  };
}

const fmt = (x: number, digits = 3) => x.toFixed(digits);

async function main(): Promise<void> {
  const enqueue = benchEnqueue();
  const server = await startServer();
  try {
    const drain = await benchDrain(server.url);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log('queue bench (figures only; goals: enqueue ≤ 1.3x bare INSERT, drain ≤ 1.2x bare fetch loop)');
    console.log(`enqueue, durable (FULL), ${ENQUEUE_OPS} ops each side, alternating:`);
    console.log(`  outbox.enqueue : ${fmt(enqueue.ours.opsPerSec, 0)} ops/s  p50 ${fmt(enqueue.ours.p50)} ms  p99 ${fmt(enqueue.ours.p99)} ms`);
    console.log(`  bare INSERT    : ${fmt(enqueue.base.opsPerSec, 0)} ops/s  p50 ${fmt(enqueue.base.p50)} ms  p99 ${fmt(enqueue.base.p99)} ms`);
    console.log(
      `  ratio          : throughput ${fmt(enqueue.base.opsPerSec / enqueue.ours.opsPerSec, 2)}x slower, ` +
        `p50 ${fmt(enqueue.ours.p50 / enqueue.base.p50, 2)}x, p99 ${fmt(enqueue.ours.p99 / enqueue.base.p99, 2)}x`,
    );
    const spread = (r: number[]) => `rounds ${fmt(percentile(r, 0), 2)}–${fmt(percentile(r, 100), 2)}x, median ${fmt(percentile(r, 50), 2)}x`;
    const line = (label: string, run: Awaited<ReturnType<typeof benchDrain>>['normal'], note: string) =>
      console.log(
        `  ${label}: ${fmt(run.worker, 0)} ms vs bare loop ${fmt(run.bare, 0)} ms (${fmt((DRAIN_JOBS / run.bare) * 1000, 0)} req/s)  ` +
          `ratio ${fmt(run.worker / run.bare, 2)}x  (${spread(run.ratios)})  ${note}`,
      );
    console.log(`drain ${DRAIN_JOBS} jobs to a loopback HTTP server (another process), worker and bare fetch loop alternating in ${ROUNDS} rounds:`);
    line('worker, bookkeeping NORMAL', drain.normal, '(default)');
    line('worker, bookkeeping FULL  ', drain.full, '(one fsync per job)');
    line('floor: bare + 1-row commit ', drain.floor, '(no worker: the least a recorded outcome costs)');
    console.log(`load average during the run: ${loadavg().map((l) => fmt(l, 2)).join(' ')} on ${availableParallelism()} cores`);
    console.log(`peak memory (maxRSS): ${fmt(rssMb, 1)} MB`);
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
