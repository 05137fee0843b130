import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TYPE } from '../../../main/backends/lifepos/schemas';
import { openDatabase } from '../../../main/queue/database';
import { RefundStore, type StoredRefund } from '../../../main/refunds/refundStore';
import { OverlapStore } from '../../../main/refunds/overlap/overlapStore';
import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { startPtyEmulator, type PtyEmulator } from '../../../emulators/shtrih/pty';
import type { ChaosConfig, PlannedRefund } from './chaosChild';
import { buildChaosChild, runChild, type KillAt } from './chaosRunner';
import { buildDeal, fnDocuments, lifePosSeedOf, refundReceipts, seeded, tempDir, type BuiltDeal } from './fixtures';
import { startTillLink, type TillLink } from './tillLink';

/**
 * Issue 22, the chaos test's three-till mode: three tills (the app's services in child processes, each with
 * its own SQLite file and its own emulated printer) refund the same few LIFE POS sales, more in total than
 * was sold, while each till's network is split at random (its own link to LIFE POS cut for a cycle) and
 * every till is killed with SIGKILL at random points. LIFE POS and the three ФН are the judges:
 * - every refund a till printed is in its own ФН once and has exactly one reversal session, across all tills;
 * - a sale LIFE POS holds as refunded beyond what was sold has a refund in review with the overlap recorded
 *   (never silently synced), and every recorded overlap is real;
 * - nothing acknowledged is lost, nothing is left pending.
 * Kept small so the whole suite stays short: REFUND_TILLS_CYCLES (default 4), REFUND_TILLS_SEED.
 */
const seed = Number(process.env.REFUND_TILLS_SEED ?? 20_261_201);
const cycles = Number(process.env.REFUND_TILLS_CYCLES ?? 4);
const TILLS = 3;

interface ChaosTill {
  name: string;
  dataDir: string;
  fnState: string;
  fiscal: PtyEmulator;
  link: TillLink;
  configFile: string;
  plan: PlannedRefund[];
}

let tmp: ReturnType<typeof tempDir>;
let childScript: string;
let lifepos: LifePosEmulator | undefined;
const tills: ChaosTill[] = [];

beforeAll(async () => {
  tmp = tempDir('refund-tills-chaos-');
  childScript = tmp.file('chaosChild.cjs');
  await buildChaosChild(childScript);
});

afterAll(async () => {
  for (const t of tills) {
    await t.link.close();
    await t.fiscal.close();
  }
  await lifepos?.close();
  if (process.env.REFUND_CHAOS_KEEP) console.log(`three-till chaos files kept in ${tmp.dir}`);
  else tmp.remove();
});

/** Few sales, few units: the tills contend for the same last pieces. */
function makeDeals(rnd: ReturnType<typeof seeded>): BuiltDeal[] {
  return Array.from({ length: 8 }, (_, i) => buildDeal(3000 + i, {
    lines: Array.from({ length: rnd.int(1, 2) }, (_, j) => ({ name: `Товар ${i + 1}.${j + 1}`, quantityMilli: rnd.int(1, 3) * 1000, priceKopecks: rnd.int(500, 90_000), tax: 'vat22' as const })),
  }));
}

/** Each till's own plan stays within what was sold; the three together ask for more. */
function makePlan(rnd: ReturnType<typeof seeded>, deals: BuiltDeal[], till: string): PlannedRefund[] {
  const left = new Map<string, number>();
  for (const d of deals) for (const p of d.deal.positions) left.set(p.guid, p.quantity);
  const plan: PlannedRefund[] = [];
  for (let k = 0; plan.length < 6 && k < 60; k++) {
    const d = rnd.pick(deals);
    const lines = d.deal.positions
      .filter((p) => (left.get(p.guid) ?? 0) > 0 && rnd.next() < 0.7)
      .map((p) => {
        const q = rnd.int(1, (left.get(p.guid) ?? 0) / 1000) * 1000;
        left.set(p.guid, (left.get(p.guid) ?? 0) - q);
        return { lineId: p.guid, quantityMilli: q };
      });
    if (lines.length > 0) plan.push({ id: `${till}-${seed}-${plan.length}`, sale: { source: 'lifepos', id: d.deal.guid }, lines, cardRrns: {} });
  }
  return plan;
}

describe('three tills under kill -9 and network splits', () => {
  it(`each receipt once, each refund one session, every overlap flagged (seed ${seed})`, async () => {
    const started = Date.now();
    const rnd = seeded(seed);
    const deals = makeDeals(rnd);
    const emu = await startLifePosEmulator({ seed: lifePosSeedOf(deals) });
    lifepos = emu;
    for (let i = 1; i <= TILLS; i++) {
      const name = `till-${i}`;
      const fnState = tmp.file(`${name}-fn.json`);
      // Each till its own pty folder: socat names the pair's ends by folder, so a shared one is one printer.
      const ptyDir = tmp.file(`${name}-pty`);
      mkdirSync(ptyDir);
      const fiscal = await startPtyEmulator({ stateFile: fnState, baudRate: 115_200, processingScale: 0.02, dir: ptyDir });
      const link = await startTillLink(emu.url);
      const plan = makePlan(rnd, deals, name);
      const config: ChaosConfig = {
        dataDir: tmp.file(name),
        lifepos: { url: link.url, orgGuid: emu.orgGuid, token: emu.token },
        printerPath: fiscal.path,
        regosSales: [],
        plan,
        look: deals.map((d) => ({ source: 'lifepos' as const, id: d.deal.guid })),
      };
      const configFile = tmp.file(`${name}.json`);
      writeFileSync(configFile, JSON.stringify(config));
      tills.push({ name, dataDir: config.dataDir, fnState, fiscal, link, configFile, plan });
    }

    const acked = new Map<string, string>();
    let splits = 0;
    let killed = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      // A network split: some tills lose LIFE POS for this cycle (the first cycle too: a till that has
      // opened no sale yet refuses offline, one that has refunds prints them).
      const cut = tills.filter(() => rnd.next() < 0.45);
      for (const t of cut) await t.link.cut();
      splits += cut.length;
      if (rnd.next() < 0.3) emu.faults.loseResponseNext(1, { method: 'POST', pathIncludes: '/sessions/reversal' });
      const runs = await Promise.all(tills.map((t) => {
        const how = rnd.next();
        const killAt: KillAt = how < 0.2 ? { afterReadyMs: rnd.int(0, 400) } : how < 0.7 ? { afterLines: rnd.int(1, 3) } : 'never';
        return runChild(childScript, t.configFile, cut.includes(t) ? 'offline' : 'chaos', killAt, 90_000);
      }));
      for (const [i, run] of runs.entries()) {
        if (run.signal === 'SIGKILL') killed++;
        else expect(run.code, `cycle ${cycle} ${tills[i]?.name}: ${run.stderr}`).toBe(0);
        for (const line of run.lines) {
          const [what, id, state] = line.split(' ');
          if (what === 'acked' && id && state) acked.set(id, state);
        }
      }
      for (const t of cut) await t.link.restore();
    }

    // Everyone back online: recovery and the outbox finish, one till after another (as tills reconnect).
    for (const t of tills) {
      const finish = await runChild(childScript, t.configFile, 'finish', 'never', 120_000);
      expect(finish.code, `${t.name}: ${finish.stderr}`).toBe(0);
    }

    const all: (StoredRefund & { till: string })[] = [];
    const overlaps = new Map<string, string>();
    for (const t of tills) {
      const db = openDatabase(`${t.dataDir}/cashier.db`);
      try {
        const store = new RefundStore(db);
        for (const p of t.plan) {
          const r = store.get(p.id);
          if (r) all.push({ ...r, till: t.name });
        }
        for (const o of new OverlapStore(db).list(500)) overlaps.set(o.refundId, o.sale.id);
      } finally {
        db.close();
      }
      // This till's ФН: exactly the receipts of its printed refunds, each once.
      const mine = all.filter((r) => r.till === t.name && r.fiscal);
      const docs = refundReceipts(fnDocuments(t.fnState));
      const claimed = mine.flatMap((r) => (r.receipts ?? []).map((f) => f.number));
      expect(new Set(claimed).size, `${t.name}: a receipt claimed twice`).toBe(claimed.length);
      for (const n of claimed) expect(docs.some((d) => d.number === n), `${t.name}: receipt ${n} not in its ФН (refund receipts there: ${docs.map((d) => d.number).join(', ')}; all documents: ${fnDocuments(t.fnState).map((d) => `${d.number}:${d.type}/${d.operation ?? '-'}`).join(', ')})`).toBe(true);
      const unclaimed = docs.filter((d) => !claimed.includes(d.number));
      for (const d of unclaimed) {
        expect(all.some((r) => r.till === t.name && r.state === 'review' && r.totalMinor === d.totalMinor), `${t.name}: receipt ${d.number} belongs to no refund`).toBe(true);
      }
    }

    const count = (s: string) => all.filter((r) => r.state === s).length;
    expect([count('confirmed'), count('fiscalizing'), count('fiscalized')], 'left half-way').toEqual([0, 0, 0]);
    for (const id of acked.keys()) expect(all.some((r) => r.id === id), `acknowledged refund ${id} lost`).toBe(true);

    // LIFE POS: one reversal session per printed refund, whichever till printed it.
    const sessions = [...emu.state.sessions.values()].flat().filter((s) => s.type_of === SESSION_TYPE.reversal);
    const printed = all.filter((r) => r.fiscal);
    expect(new Set(sessions.map((s) => s.external_id)).size, 'duplicate reversal sessions').toBe(sessions.length);
    expect(sessions.map((s) => s.external_id).sort()).toEqual(printed.map((r) => r.id).sort());
    for (const s of sessions) expect(s.total_sum.value).toBe(printed.find((r) => r.id === s.external_id)?.totalMinor);

    // Every sale refunded beyond what was sold has a refund in review with the overlap recorded; every
    // recorded overlap is a sale that really is over.
    const over = deals.filter((d) => {
      const refunded = emu.state.refunded(d.deal.guid);
      return d.deal.positions.some((p) => (refunded.byPosition.get(p.guid)?.qty ?? 0) > p.quantity);
    });
    for (const d of over) {
      const flagged = all.filter((r) => r.sale.id === d.deal.guid && r.state === 'review' && overlaps.get(r.id) === d.deal.guid);
      expect(flagged.length, `deal ${d.deal.number} refunded beyond what was sold, flagged nowhere`).toBeGreaterThan(0);
    }
    for (const [refundId, dealGuid] of overlaps) {
      expect(over.some((d) => d.deal.guid === dealGuid), `overlap of ${refundId} on a sale within bounds`).toBe(true);
      expect(all.find((r) => r.id === refundId)?.state).toBe('review');
    }

    const states = Object.fromEntries(['synced', 'review', 'failed'].map((s) => [s, count(s)]));
    console.log(`three-till chaos seed ${seed}: ${cycles} cycles, ${killed} kills, ${splits} till splits, ${all.length} refunds stored (${JSON.stringify(states)}), ` +
      `${sessions.length} reversal sessions, ${over.length} sales over-refunded offline, ${overlaps.size} overlaps flagged; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(printed.length, 'the tills printed refunds').toBeGreaterThan(0);
  }, 600_000);
});
