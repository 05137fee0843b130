/**
 * `npm run bench:eventloop` — figures, not pass/fail. How long the main thread's event loop is held up
 * (perf_hooks.monitorEventLoopDelay, p50/p99/max) while the outbox drains 1000 LIFE POS jobs and a
 * refund prints on the fiscal printer, with the services in-process (createServices, as before
 * main/host) and on a worker thread (startServicesInWorker), side by side. Goal: p99 under 16 ms (one
 * frame at 60 Hz) with the worker.
 *
 * Real mode, not training: the printer emulator runs in its own process on a socat pty at 115200 baud
 * and the LIFE POS emulator in another process, so the main thread carries only what the app itself
 * does (in training mode the emulators would sit on the services' thread and be counted as the app).
 * Each round is a new till (data folder, printer emulator, LIFE POS emulator); its 1000 jobs are stored before
 * the services start, due LEAD_MS later, so the drain starts with the services idle and warm. The
 * histogram covers the drain and the refund (confirm → receipt printed → its three jobs done).
 * In-process and worker rounds alternate, so load from neighbours on this shared machine lands on both.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { EventPayload, Handlers } from '../preload/contract';
import type { EventBus } from '../main/eventBus';
import { createServices } from '../main/services';
import { startServicesInWorker } from '../main/host/servicesHost';
import { openDatabase } from '../main/queue/database';
import { Outbox } from '../main/queue/outbox';
import { LIFEPOS_JOB } from '../main/refunds/lifePosJobs';
import { startSocatPair } from '../emulators/socat';
import { spawnNodeTied } from '../emulators/parentLifeline';
import { spawnEmulatorProcess } from '../emulators/shtrih/process';
import { tempDir } from '../test/integration/refunds/fixtures';
import { configureRealDevicesTill } from '../test/support/realDevicesTill';

const JOBS = 1000;
const ROUNDS = 3;
const BAUD = 115_200;
/** Services start well within this (a worker compiling from source takes ~3 s): the drain begins idle. */
const LEAD_MS = 8_000;
/** Demo deals (emulators/lifepos/seed.ts): the jobs touch one, the refund returns bread from another. */
const JOB_DEAL = '6f1c2a10-0005-4a8e-9d01-000000000005';
const REFUND_SALE = { source: 'lifepos', id: '6f1c2a10-0001-4a8e-9d01-000000000001' } as const;
const REFUND_LINE = 'p-1001-2';

type Mode = 'in-process' | 'worker';
interface Running {
  handlers: Handlers;
  bus: EventBus;
  close(): Promise<void>;
}
interface Round {
  mode: Mode;
  p50: number;
  p99: number;
  max: number;
  windowMs: number;
  refundMs: number;
  eventsSeen: number;
  doneBeforeWindow: number;
}

const tmp = tempDir('eventloop-bench-');

const EmulatorReady = z.object({ url: z.string() });

async function startLifePos(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawnNodeTied(['--import', 'tsx', 'emulators/http/cli.ts', '--service', 'lifepos'], { stdout: 'pipe' });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`LIFE POS emulator exited with ${code}`)));
    child.stdout?.setEncoding('utf8').once('data', (d: string) => resolve(d));
  });
  return { url: EmulatorReady.parse(JSON.parse(line)).url, child };
}

/** JOBS deal-status jobs, due at `runAt`: the kind the app's refunds enqueue last, one PATCH each. */
function storeJobs(dataDir: string, runAt: number): void {
  const db = openDatabase(join(dataDir, 'cashier.db'));
  const outbox = new Outbox(db);
  db.transaction(() => {
    for (let i = 0; i < JOBS; i++) {
      outbox.enqueue({
        kind: LIFEPOS_JOB.status, backend: 'lifepos', idempotencyKey: `bench:${i}`, runAt,
        payload: { dealGuid: JOB_DEAL, refundId: `bench-${i}`, paymentStatus: 'PartiallyRefunded' },
      });
    }
  })();
  db.close();
}

async function start(mode: Mode, dataDir: string): Promise<Running> {
  if (mode === 'in-process') return createServices({ dataDir, version: 'bench' });
  return startServicesInWorker({ dataDir, version: 'bench' });
}

function waitFor<K extends 'sync.status' | 'refund.progress'>(bus: EventBus, name: K, done: (p: EventPayload<K>) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const off = bus.onAny((n, payload) => {
      if (n === name && done(payload as EventPayload<K>)) {
        off();
        resolve();
      }
    });
  });
}

async function round(mode: Mode, n: number): Promise<Round> {
  const dataDir = join(tmp.dir, `round-${n}-${mode}`);
  mkdirSync(dataDir, { recursive: true });
  // A new till each round (ФН, LIFE POS, database): a fresh database against a ФН that already holds
  // refunds would rightly hold refunds back until it has rebuilt their history.
  const pair = await startSocatPair();
  const printer = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: join(dataDir, 'fn.json'), baudRate: BAUD, processingScale: 1 });
  const lifepos = await startLifePos();
  try {
    configureRealDevicesTill(dataDir, { printerPath: pair.hostPath, baudRate: BAUD, lifeposUrl: lifepos.url });
    const runAt = Date.now() + LEAD_MS;
    storeJobs(dataDir, runAt);
    const services = await start(mode, dataDir);
    try {
      const sale = await services.handlers['sales.get']({ ref: REFUND_SALE });
      const refundId = randomUUID();
      let eventsSeen = 0;
      const countEvents = services.bus.onAny(() => void (eventsSeen += 1));
      const drained = waitFor(services.bus, 'sync.status', (s) => s.counts.pending === 0 && s.counts.running === 0 && s.counts.done >= JOBS + 3);
      const synced = waitFor(services.bus, 'refund.progress', (p) => p.refundId === refundId && p.state === 'synced');
      const doneBeforeWindow = (await services.handlers['sync.status']({})).counts.done;
      await sleep(Math.max(0, runAt - Date.now()));

      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      const t0 = performance.now();
      await services.handlers['refunds.confirm']({ refundId, sale: sale.ref, lines: [{ lineId: REFUND_LINE, quantityMilli: 1000 }], cardRrns: {} });
      const refundMs = performance.now() - t0;
      await Promise.all([drained, synced]);
      const windowMs = performance.now() - t0;
      histogram.disable();
      countEvents();
      const ms = (ns: number) => ns / 1e6;
      return { mode, p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), windowMs, refundMs, eventsSeen, doneBeforeWindow };
    } finally {
      await services.close();
    }
  } finally {
    lifepos.child.kill('SIGTERM');
    await printer.kill('SIGTERM');
    await pair.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

try {
  // Warm-up, not reported: JIT on the main thread.
  await round('in-process', 0);
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    rounds.push(await round('in-process', r));
    rounds.push(await round('worker', r));
  }
  console.log(`event-loop bench: main-thread event-loop delay while the outbox drains ${JOBS} LIFE POS jobs and a refund prints`);
  console.log(`(printer emulator in its own process on a socat pty at ${BAUD} baud, LIFE POS emulator in another; monitorEventLoopDelay, resolution 1 ms)`);
  console.log('round  services     p50_ms  p99_ms  max_ms  refund_ms  window_ms  events_on_main_bus  jobs_done_before_window');
  rounds.forEach((r, i) => {
    console.log(`${String(Math.floor(i / 2) + 1).padStart(5)}  ${r.mode.padEnd(11)}  ${fmt(r.p50, 2).padStart(6)}  ${fmt(r.p99, 2).padStart(6)}  ${fmt(r.max).padStart(6)}  ${fmt(r.refundMs, 0).padStart(9)}  ${fmt(r.windowMs, 0).padStart(9)}  ${String(r.eventsSeen).padStart(18)}  ${String(r.doneBeforeWindow).padStart(23)}`);
  });
  const side = (mode: Mode) => rounds.filter((r) => r.mode === mode);
  const summary = (mode: Mode) => {
    const rs = side(mode);
    return `p50 ${fmt(median(rs.map((r) => r.p50)), 2)} ms, p99 ${fmt(median(rs.map((r) => r.p99)), 2)} ms, max ${fmt(median(rs.map((r) => r.max)))} ms, refund ${fmt(median(rs.map((r) => r.refundMs)), 0)} ms, window ${fmt(median(rs.map((r) => r.windowMs)), 0)} ms`;
  };
  console.log('median of rounds, side by side (goal: p99 under 16 ms with the worker):');
  console.log(`  before (in-process) : ${summary('in-process')}`);
  console.log(`  after  (worker)     : ${summary('worker')}`);
  console.log(`load average during the run: ${loadavg().map((l) => fmt(l, 2)).join(' ')} on ${availableParallelism()} cores`);
} finally {
  tmp.remove();
}
