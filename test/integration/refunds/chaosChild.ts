/**
 * The main-process services the chaos test kills with SIGKILL: the refund saga, printer connection,
 * outbox worker and connectivity monitor — the real createServices (./testApp.ts) over a SQLite file,
 * against emulators that live in the test process (they survive every kill). Prebuilt once with
 * esbuild so each restart is cheap.
 *
 * At start it recovers (recoverPending; the worker reclaims what the last process left running), and the
 * cashier presses "retry" on every dead outbox job in F4 (sync.retry: a job whose first create may have
 * reached LIFE POS must look before it creates again), then
 * confirms the planned refunds in order. A refund already in the database is confirmed again with the
 * same id, as a cashier's "Повторить" would: a pending one resumes. Lines on stdout (written synchronously, so the parent has them
 * even if the kill comes on the next instruction):
 *   ready | acked <id> <state> | again <id> <state> (already stored) | refused <id> <code> | done <json>
 * ('finish' and 'settle' end with the refund history's verdict in the done line: { dead, history }).
 *
 * env: CHAOS_CONFIG (JSON file: ChaosConfig), CHAOS_MODE ('chaos' | 'offline': the same without waiting for
 * the outbox, for a till whose network is cut | 'finish' | 'settle': recovery and the outbox only, no new refunds)
 */
import { readFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { isAppError } from '../../../main/appError';
import { exitWithParent } from '../../../emulators/parentLifeline';
import { RefundLineRequest, Sale, SaleRef, type Handlers } from '../../../preload/contract';
import { startTestApp } from './testApp';

export const PlannedRefund = z.object({ id: z.string(), sale: SaleRef, lines: z.array(RefundLineRequest), cardRrns: z.record(z.string(), z.string()) });
export type PlannedRefund = z.infer<typeof PlannedRefund>;

export const ChaosConfig = z.object({
  dataDir: z.string(),
  lifepos: z.object({ url: z.string(), orgGuid: z.string(), token: z.string() }),
  /** Absent: a till without REGOS (the three-till chaos). */
  regos: z.object({ url: z.string(), login: z.string(), password: z.string() }).optional(),
  printerPath: z.string(),
  /** The printer's protocol (the setting fiscal.protocol; 'auto' is left to the probe tests). */
  protocol: z.enum(['shtrih', 'atol']).default('shtrih'),
  regosSales: z.array(Sale),
  plan: z.array(PlannedRefund),
  /** Sales the cashier opens before refunding (while the network is up they are remembered for offline). */
  look: z.array(SaleRef).default([]),
});
export type ChaosConfig = z.input<typeof ChaosConfig>;

/** Each protocol's link timings, tight for an emulator on a pty (ATOL: main/fiscal/atol/transport.ts). */
const LINK_TIMEOUTS = { shtrih: { enqMs: 80, ackMs: 120 }, atol: { packetMs: 150, pollMs: 5 } } as const;

const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

/** What a cashier does in F4: every dead job retried by hand. */
async function retryDeadJobs(h: Handlers): Promise<void> {
  for (const job of (await h['sync.status']({})).dead) await h['sync.retry']({ jobId: job.id });
}

async function main(): Promise<void> {
  // Its emulators die with the test process: without them it would retry for good.
  exitWithParent();
  const env = z.object({ CHAOS_CONFIG: z.string(), CHAOS_MODE: z.enum(['chaos', 'offline', 'finish', 'settle']) }).parse(process.env);
  const config = ChaosConfig.parse(JSON.parse(readFileSync(env.CHAOS_CONFIG, 'utf8')));
  const rig = await startTestApp(config.dataDir, {
    printer: {
      port: { path: config.printerPath, baudRate: 115_200 },
      protocol: config.protocol,
      timeouts: { ...LINK_TIMEOUTS[config.protocol], answerMs: 1_500, paperWaitMs: 5_000, paperPollMs: 20 },
    },
    backends: { lifepos: config.lifepos, ...(config.regos ? { regos: config.regos } : {}), timeoutMs: 2_000 },
    retryScheduleMs: [20, 50, 100, 200],
    regosSales: config.regosSales,
  });
  await rig.saga.recoverPending();
  await retryDeadJobs(rig.handlers);
  const refunding = env.CHAOS_MODE === 'chaos' || env.CHAOS_MODE === 'offline';
  for (const ref of refunding ? config.look : []) {
    await rig.handlers['sales.get']({ ref }).catch((e: unknown) => {
      if (!isAppError(e)) throw e;
    });
  }
  say('ready');
  for (const p of env.CHAOS_MODE === 'settle' ? [] : config.plan) {
    const before = rig.store.get(p.id);
    try {
      const r = await rig.saga.confirm({ refundId: p.id, sale: p.sale, lines: p.lines, cardRrns: p.cardRrns });
      say(`${before ? 'again' : 'acked'} ${r.id} ${r.state}`);
    } catch (e) {
      if (!isAppError(e)) throw e;
      say(`refused ${p.id} ${e.code}`);
    }
  }
  if (env.CHAOS_MODE === 'offline') {
    // Cut off from the back ends (the three-till chaos): the outbox waits for the network, not for this run.
    say('done {}');
  } else if (!refunding) {
    // Recovery until nothing is left between confirmed and fiscalized, and the outbox has settled with
    // no dead job left (the faults have stopped, so a retried one goes through).
    for (let pass = 0; pass < 50; pass++) {
      await rig.saga.recoverPending();
      await retryDeadJobs(rig.handlers);
      await rig.settled(30_000);
      const open = [...rig.store.inState('confirmed'), ...rig.store.inState('fiscalizing')];
      if (open.length === 0 && rig.outbox.list({ state: 'dead' }).length === 0) break;
      await rig.saga.idle();
    }
    const dead = rig.outbox.list({ state: 'dead' }).map((j) => ({ key: j.idempotencyKey, reason: j.deadReason, lastError: j.lastError }));
    // Whether the app would let the cashier print refunds now (refunds.confirm asks this gate first).
    const history = await rig.history.check();
    say(`done ${JSON.stringify({ dead, history })}`);
  } else {
    await rig.settled(30_000);
    say('done {}');
  }
  await rig.close();
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
