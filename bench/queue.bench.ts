/**
 * npm run bench:queue — ratios, not pass/fail, and no absolute timings. Everything measured in this one
 * run, on this machine:
 * 1. durable enqueue (autocommit, synchronous=FULL) vs a bare prepared INSERT of the same row into the
 *    same schema with the same pragmas: throughput and p50/p99 latency (goal ≤ 1.3x);
 * 2. draining jobs to a loopback HTTP server in another process, against two measured references:
 *    - the commit-per-request floor: the bare loop plus the least a recorded outcome can cost, one commit
 *      of a one-row UPDATE per request at the worker's own durability (goal: worker ≤ 1.10x this floor);
 *    - the bare sequential fetch loop, nothing recorded (goal ≤ 1.2x).
 *    All sides call the same post() (global fetch, its default keep-alive agent, one connection) and
 *    parse the answer with the same schema; the worker's job also passes the job-timeout signal, which
 *    is part of what the worker costs. Bare loop, floor and worker take turns in rounds of
 *    DRAIN_JOBS / ROUNDS: the machine is shared, and load that comes and goes then lands on all three
 *    alike (one long run per side, as this bench first did, measured the neighbours as much as the
 *    worker). Each worker keeps one database across its rounds, so the last round drains against all the
 *    jobs stored before it; enqueueing a round's jobs is not timed (part 1 does). The bookkeeping is
 *    measured at NORMAL (the default) and FULL, each against a floor committed at the same level;
 * 3. peak memory (maxRSS).
 * BENCH_QUEUE_JOBS (default 10,000) shrinks the drain for a quick check.
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
const DRAIN_JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 10_000);
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

type Timed = (n: number) => Promise<number>;

/**
 * Times the bare loop, the floor and the worker in turn, round after round; returns each side's total and
 * the per-round ratios worker/floor, worker/bare and floor/bare, sorted.
 */
async function alternate(url: string, tag: string, floor: Timed, worker: Timed) {
  const perRound = Math.max(1, Math.floor(DRAIN_JOBS / ROUNDS));
  // Warm-up, untimed: the JIT, the connection and the databases' first pages, on every side.
  await bareLoop(url, perRound, `${tag}-warm`);
  await floor(perRound);
  await worker(perRound);
  const t = { bare: [] as number[], floor: [] as number[], worker: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    t.bare.push(await bareLoop(url, perRound, `${tag}-${r}`));
    t.floor.push(await floor(perRound));
    t.worker.push(await worker(perRound));
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const perRoundRatio = (a: number[], b: number[]) => a.map((x, i) => x / (b[i] ?? Number.NaN)).sort((x, y) => x - y);
  return {
    workerToFloor: { total: sum(t.worker) / sum(t.floor), rounds: perRoundRatio(t.worker, t.floor) },
    workerToBare: { total: sum(t.worker) / sum(t.bare), rounds: perRoundRatio(t.worker, t.bare) },
    floorToBare: { total: sum(t.floor) / sum(t.bare), rounds: perRoundRatio(t.floor, t.bare) },
  };
}

async function benchDrain(url: string) {
  const normal = workerSide(url, 'normal', 'normal');
  const normalRun = await alternate(url, 'bare-n', commitPerRequest(url, 'normal'), (n) => normal.drainRound(n));
  await normal.close();
  // FULL in its own phase, against a floor that also fsyncs each commit: its fsyncs must not slow the
  // NORMAL comparison, and a NORMAL floor would charge the worker for the durability it was asked for.
  const full = workerSide(url, 'full', 'full');
  const fullRun = await alternate(url, 'bare-f', commitPerRequest(url, 'full'), (n) => full.drainRound(n));
  await full.close();
  return { normal: normalRun, full: fullRun };
}

/** The bare loop with one small commit before each request: what any durable per-job record costs here. */
function commitPerRequest(url: string, sync: Sync): Timed {
  const db = openDatabase(join(dir, `floor-${sync}.db`));
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec('CREATE TABLE progress (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO progress VALUES (1, 0)');
  const step = db.prepare('UPDATE progress SET n = n + 1 WHERE id = 1');
  const record = db.transaction(() => step.run());
  const body = JSON.stringify({ n: 0 });
  let sent = 0;
  return async (n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++, sent++) {
      record.immediate();
      await post(url, `floor-${sync}-${sent}`, body);
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
    console.log('queue bench (ratios only; goals: enqueue ≤ 1.3x bare INSERT, drain ≤ 1.10x the commit-per-request floor and ≤ 1.2x the bare fetch loop)');
    console.log(`enqueue, durable (FULL), ${ENQUEUE_OPS} ops each side, alternating, outbox.enqueue / bare INSERT:`);
    console.log(
      `  throughput ${fmt(enqueue.base.opsPerSec / enqueue.ours.opsPerSec, 2)}x slower, ` +
        `p50 ${fmt(enqueue.ours.p50 / enqueue.base.p50, 2)}x, p99 ${fmt(enqueue.ours.p99 / enqueue.base.p99, 2)}x`,
    );
    const ratio = (r: { total: number; rounds: number[] }) =>
      `${fmt(r.total, 2)}x (rounds ${fmt(percentile(r.rounds, 0), 2)}–${fmt(percentile(r.rounds, 100), 2)}x, median ${fmt(percentile(r.rounds, 50), 2)}x)`;
    console.log(`drain ${DRAIN_JOBS} jobs per side to a loopback HTTP server (another process), bare loop, floor and worker alternating in ${ROUNDS} rounds:`);
    for (const [label, run] of [['bookkeeping NORMAL (default)', drain.normal], ['bookkeeping FULL (one fsync per job)', drain.full]] as const) {
      console.log(`  ${label}:`);
      console.log(`    worker / commit-per-request floor : ${ratio(run.workerToFloor)}`);
      console.log(`    worker / bare fetch loop          : ${ratio(run.workerToBare)}`);
      console.log(`    floor  / bare fetch loop          : ${ratio(run.floorToBare)}  (what recording each outcome costs at all)`);
    }
    console.log(`load average during the run: ${loadavg().map((l) => fmt(l, 2)).join(' ')} on ${availableParallelism()} cores`);
    console.log(`peak memory (maxRSS): ${fmt(rssMb, 1)} MB`);
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
