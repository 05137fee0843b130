import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RegosClient } from '../../../main/backends/regos/regosClient';
import { ReceiptData, SESSION_TYPE } from '../../../main/backends/lifepos/schemas';
import { openDatabase } from '../../../main/queue/database';
import { RefundStore, type StoredRefund } from '../../../main/refunds/refundStore';
import { HistoryStore } from '../../../main/refunds/history/historyStore';
import { nameKey } from '../../../main/refunds/history/recoveredRefunds';
import type { Sale } from '../../../preload/contract';
import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { REGOS_DEMO_LOGIN, REGOS_DEMO_PASSWORD, startRegosEmulator, type RegosEmulator } from '../../../emulators/regos/server';
import type { PtyFront } from '../../../emulators/ptyFront';
import { PROTOCOLS_UNDER_TEST, type ProtocolUnderTest } from '../fiscal/protocols';
import type { ChaosConfig, PlannedRefund } from './chaosChild';
import { deleteDatabase } from './testApp';
import { buildChaosChild, runChild as runChildScript, type KillAt } from './chaosRunner';
import { buildDeal, fnRefundReceipts, lifePosSeedOf, regosSale, regosSaleParams, seeded, tempDir, type BuiltDeal } from './fixtures';

/**
 * Issue 6 item 7: seeded random refunds of random sales (partial lines, cash and card; now and then a
 * wholesale sale of 101–230 lines refunded whole, printed as several receipts — issue 20), the app's
 * services in a child process killed with SIGKILL at random points, serial faults (bad checksums, lost
 * bytes, paper out, power cut mid-receipt and right after the close, printer off at confirm and back a
 * second or two later) and HTTP faults (500, 429 with Retry-After, dropped connections, lost answers,
 * cut JSON, a create whose answer was lost dying and retried by hand from F4), and the database deleted
 * half-way between two runs. REGOS VCR runs with its duplicate-code check switched off (seed 002 allows it), with lost
 * Receipt.Refund answers, dropped requests and unanswered Receipt.GetInfo: one receipt per code rests on
 * the saga alone (issue 11). The emulators live in this process, so the ФН, LIFE POS and REGOS remember
 * everything across the kills and are the judges at the end.
 *
 * The same scenario runs over both fiscal protocols (issue 18 point 3): Shtrih-M, and ATOL with its
 * emulator behind the same pty front and the same fault names (emulators/ptyFront.ts; ATOL's "close" is
 * command 4A, a position E6), judged through each protocol's ФН reader (../fiscal/protocols.ts). The
 * seeded work is split, not doubled: REFUND_CHAOS_REFUNDS and REFUND_CHAOS_KILLS are totals, 60 % for
 * Shtrih-M and 40 % for ATOL. The guarantees are the same, exact sums included; one expectation differs
 * on ATOL, by design (main/fiscal/atol/PROTOCOL.md §8 "What runs over ATOL"): after the lost database the
 * ФН cannot be read back there (readReceipt is FISCAL_UNSUPPORTED, §Not supported), so nothing is rebuilt
 * from it and the app's refund history gate stays blocked — refunds.confirm refuses printer refunds with
 * refund.history_incomplete rather than print blind — while the ФН and LIFE POS still hold every refund
 * printed before (checked below for both). The child drives the saga directly, so it goes on refunding the
 * rest of the plan against LIFE POS's remainders. (This run found ATOL's E6 rounding a remainder line
 * itself, a kopeck off; E6 now carries the difference as a discount or markup, PROTOCOL.md §4.)
 * Repeat a run with REFUND_CHAOS_SEED=<seed printed below> REFUND_CHAOS_PROTOCOL=<its protocol>.
 */
const SHARE = { shtrih: 0.6, atol: 0.4 } as const;
const DEFAULT_SEED = { shtrih: 20_261_128, atol: 20_261_201 } as const;
const totalKills = Number(process.env.REFUND_CHAOS_KILLS ?? 70);
const totalPlanned = Number(process.env.REFUND_CHAOS_REFUNDS ?? 220);
const only = process.env.REFUND_CHAOS_PROTOCOL;
const protocols = (['shtrih', 'atol'] as const).filter((name) => !only || only === name);

let childScript: string;
let childDir: ReturnType<typeof tempDir>;
/** What the running case started; afterEach stops it whatever the case's outcome. */
const running: { tmp?: ReturnType<typeof tempDir>; lifepos?: LifePosEmulator; regos?: RegosEmulator; fiscal?: PtyFront; paperTimer?: NodeJS.Timeout; powerTimers: Set<NodeJS.Timeout> } = { powerTimers: new Set() };

beforeAll(async () => {
  childDir = tempDir('refund-chaos-child-');
  childScript = childDir.file('chaosChild.cjs');
  await buildChaosChild(childScript);
});

afterEach(async () => {
  clearInterval(running.paperTimer);
  for (const t of running.powerTimers) clearTimeout(t);
  running.powerTimers.clear();
  await running.fiscal?.close();
  await running.lifepos?.close();
  await running.regos?.close();
  // REFUND_CHAOS_KEEP=1 keeps the database, the app's log and the ФН state for a post-mortem.
  if (process.env.REFUND_CHAOS_KEEP) console.log(`refund chaos files kept in ${running.tmp?.dir ?? '?'}`);
  else running.tmp?.remove();
  Object.assign(running, { tmp: undefined, lifepos: undefined, regos: undefined, fiscal: undefined, paperTimer: undefined });
});

afterAll(() => childDir?.remove());

const runChild = (configFile: string, mode: 'chaos' | 'finish' | 'settle', killAt: KillAt, boundMs: number) => runChildScript(childScript, configFile, mode, killAt, boundMs);

interface RegosSold {
  sale: Sale;
}

/** Wholesale deals (issue 20): more lines than one receipt takes, refunded whole as several receipts. */
const WHOLESALE_FROM = 9000;
const isWholesale = (d: BuiltDeal): boolean => d.deal.positions.length > 100;

/** Random LIFE POS deals: 1–4 lines, whole or weighed quantities, cash, card or both; and a few wholesale ones. */
function makeDeals(rnd: ReturnType<typeof seeded>, n: number, wholesaleDeals: number): BuiltDeal[] {
  const wholesale = Array.from({ length: wholesaleDeals }, (_, i) => buildDeal(WHOLESALE_FROM + i, {
    lines: Array.from({ length: rnd.int(101, 230) }, (_, j) => ({ name: `Опт ${i + 1}.${j + 1}`, quantityMilli: rnd.int(1, 4) * 1000, priceKopecks: rnd.int(99, 50_000), tax: rnd.pick(['vat20', 'vat10'] as const) })),
    cardKopecks: rnd.int(0, 2_000_000),
  }));
  return [...wholesale, ...Array.from({ length: n }, (_, i) => {
    const lines = Array.from({ length: rnd.int(1, 4) }, (_, j) => ({
      name: `Товар ${i + 1}.${j + 1} «${rnd.pick(['Молоко', 'Сыр', 'Кофе', 'Яблоки', 'Батарейки', 'Кабель'])}»`,
      quantityMilli: rnd.next() < 0.5 ? rnd.int(1, 5) * 1000 : rnd.int(150, 3500),
      priceKopecks: rnd.int(99, 250_000),
      tax: rnd.pick(['vat20', 'vat10', 'none'] as const),
      prepayment: rnd.next() < 0.1,
    }));
    const total = lines.reduce((s, l) => s + Math.floor((l.priceKopecks * l.quantityMilli + 500) / 1000), 0);
    const mix = rnd.next();
    return buildDeal(1000 + i, { lines, cardKopecks: mix < 0.4 ? 0 : mix < 0.7 ? total : rnd.int(1, Math.max(1, total - 1)) });
  })];
}

/** Random refunds that never ask for more than was sold in total (some still meet a partial remainder). */
function makePlan(seed: number, rnd: ReturnType<typeof seeded>, deals: BuiltDeal[], regosSold: RegosSold[], n: number): PlannedRefund[] {
  const left = new Map<string, number>();
  for (const d of deals) for (const p of d.deal.positions) left.set(p.guid, p.quantity);
  for (const r of regosSold) for (const l of r.sale.lines) left.set(l.lineId, l.quantityMilli);
  const unrefunded = (d: BuiltDeal): boolean => d.deal.positions.some((p) => (left.get(p.guid) ?? 0) > 0);
  const plan: PlannedRefund[] = [];
  for (let k = 0; plan.length < n && k < n * 20; k++) {
    const dice = rnd.next();
    // Now and then a wholesale deal refunded whole: one refund, several receipts (the fourth too, so a
    // short run has one before the database is lost), but only one not refunded yet: ATOL has a single
    // wholesale deal, and once a random turn had refunded it a fourth turn insisting on it never ended.
    const wholesaleTurn = plan.length === 3 && deals.some((d) => isWholesale(d) && unrefunded(d));
    const useRegos = !wholesaleTurn && dice < 0.12;
    const whole = wholesaleTurn || (!useRegos && dice > 0.97);
    const candidates = useRegos
      ? regosSold.map((r) => ({ ref: r.sale.ref, lines: r.sale.lines.map((l) => l.lineId), rrns: {} }))
      : deals.filter((d) => isWholesale(d) === whole && (!wholesaleTurn || unrefunded(d))).map((d) => ({ ref: { source: 'lifepos' as const, id: d.deal.guid }, lines: d.deal.positions.map((p) => p.guid), rrns: d.cardPart ? { [d.cardPart]: String(700_000_000_000 + k) } : {} }));
    const c = rnd.pick(candidates);
    const lines = c.lines
      .filter((id) => (left.get(id) ?? 0) > 0 && (whole || rnd.next() < 0.6))
      .map((id) => {
        const rest = left.get(id) ?? 0;
        const q = whole || rnd.next() < 0.4 ? rest : rnd.int(1, rest);
        left.set(id, rest - q);
        return { lineId: id, quantityMilli: q };
      });
    if (lines.length === 0) continue;
    plan.push({ id: `rf-${seed}-${plan.length}`, sale: c.ref, lines, cardRrns: c.rrns });
  }
  return plan;
}

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

const FinishVerdict = z.object({ history: z.looseObject({ state: z.string(), message: z.string().optional() }) });

describe.each(protocols.map((name) => PROTOCOLS_UNDER_TEST[name]))('refund saga under kill -9, serial and HTTP faults: $name', (proto: ProtocolUnderTest) => {
  const seed = Number(process.env.REFUND_CHAOS_SEED ?? DEFAULT_SEED[proto.name]);
  const kills = Math.round(totalKills * SHARE[proto.name]);
  const planned = Math.round(totalPlanned * SHARE[proto.name]);
  it(`every refund printed exactly once and recorded exactly once (seed ${seed}, ${planned} refunds, ${kills} kills)`, async () => {
    const started = Date.now();
    const tmp = tempDir('refund-chaos-');
    running.tmp = tmp;
    const rnd = seeded(seed);
    // Three wholesale deals in all, split like the rest: each is refunded whole at most once, and its
    // long receipts are most of a run's printing.
    const deals = makeDeals(rnd, 60, Math.max(1, Math.round(3 * SHARE[proto.name])));
    const lifepos = await startLifePosEmulator({ seed: lifePosSeedOf(deals) });
    running.lifepos = lifepos;
    const regos = await startRegosEmulator({ seed: [], uniqueCodeCheck: false });
    running.regos = regos;
    const regosClient = new RegosClient({ baseUrl: regos.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD, timeoutMs: 3_000 });
    const regosSold: RegosSold[] = [];
    for (let i = 0; i < 6; i++) {
      const code = `chaos-sale-${seed}-${i}`;
      const params = regosSaleParams(code, Array.from({ length: rnd.int(1, 3) }, (_, j) => ({ name: `Товар UZ ${i}.${j}`, priceTiyin: rnd.int(1, 500) * 1000, quantityMilli: rnd.int(1, 4) * 1000 })));
      const a = await regosClient.sale(params);
      regosSold.push({ sale: regosSale(code, params, { ReceiptNo: a.ReceiptNo ?? null, FiscalSign: a.FiscalSign ?? null, DateTime: a.DateTime ?? '', QRCodeURL: a.QRCodeURL ?? null, TerminalID: a.TerminalID ?? null }) });
    }
    const fnStateFile = tmp.file('fn.json');
    const fiscal = await proto.startPty(fnStateFile, tmp.dir);
    running.fiscal = fiscal;
    // A person switches the printer back on, and loads paper, a moment after it stops; a printer found
    // off at confirm stays off longer (the refund must wait, then print by itself).
    let offForMs: number | null = null;
    const { powerTimers } = running;
    fiscal.onPowerLost(() => {
      const t = setTimeout(() => {
        powerTimers.delete(t);
        void fiscal.powerOn();
      }, offForMs ?? 150 + Math.floor(rnd.next() * 250));
      offForMs = null;
      powerTimers.add(t);
    });
    running.paperTimer = setInterval(() => {
      if (fiscal.paperOut) fiscal.setFault({ paper: 'ok' });
    }, 120);

    const plan = makePlan(seed, rnd, deals, regosSold, planned);
    const dataDir = tmp.file('app');
    const config: ChaosConfig = {
      dataDir,
      lifepos: { url: lifepos.url, orgGuid: lifepos.orgGuid, token: lifepos.token },
      regos: { url: regos.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD },
      printerPath: fiscal.path,
      protocol: proto.name,
      regosSales: regosSold.map((r) => r.sale),
      plan,
    };
    const configFile = tmp.file('chaos.json');
    writeFileSync(configFile, JSON.stringify(config));

    const acked = new Map<string, string>();
    const faults: Record<string, number> = {};
    let cycleFaults: string[] = [];
    const count = (name: string): void => {
      faults[name] = (faults[name] ?? 0) + 1;
      cycleFaults.push(name);
    };
    const noteAcked = (lines: readonly string[]): void => {
      for (const line of lines) {
        const [what, id, state] = line.split(' ');
        if (what === 'acked' && id && state) acked.set(id, state);
      }
    };
    // Half-way, a clean-up deletes the database while the app is down, after everything was settled
    // (LIFE POS holds every printed refund). The refunds made so far live on only in the ФН and LIFE POS:
    // the app must notice and rebuild from them (main/refunds/history) before printing again, and the
    // cashier goes on with the rest of the plan.
    const lossAt = kills >= 10 ? Math.floor(kills / 2) : -1;
    const beforeLoss = new Map<string, StoredRefund>();
    let finishedEarly = 0;
    for (let cycle = 0; cycle < kills; cycle++) {
      if (cycle === lossAt) {
        fiscal.setFault({ lossProbability: 0, powerLoss: null, paperOutAfterPositions: null });
        await fiscal.powerOn();
        const settle = await runChild(configFile, 'settle', 'never', 300_000);
        expect(settle.code, settle.stderr).toBe(0);
        noteAcked(settle.lines);
        const before = openDatabase(`${dataDir}/cashier.db`);
        const store = new RefundStore(before);
        for (const p of plan) {
          const r = store.get(p.id);
          if (r) beforeLoss.set(p.id, r);
        }
        before.close();
        deleteDatabase(dataDir);
        writeFileSync(configFile, JSON.stringify({ ...config, plan: plan.filter((p) => !beforeLoss.has(p.id)) }));
        count('databaseDeleted');
      }
      fiscal.setFault({ lossProbability: 0 });
      // Every tenth cycle the printer is off when the refunds are confirmed (never left to chance).
      const serial = cycle % 10 === 5 ? 0.6 : rnd.next();
      if (serial < 0.1) { fiscal.setFault({ badChecksumNext: rnd.int(1, 2) }); count('badChecksum'); }
      else if (serial < 0.2) { fiscal.setFault({ dropNextAnswerBytes: rnd.int(1, 3) }); count('lostBytes'); }
      else if (serial < 0.28) { fiscal.setFault({ lossProbability: 0.002, seed: rnd.int(1, 1e6) }); count('lineNoise'); }
      else if (serial < 0.38) { fiscal.setFault({ paperOutAfterPositions: rnd.int(1, 3) }); count('paperOut'); }
      else if (serial < 0.48) { fiscal.setFault({ powerLoss: { afterPositions: rnd.int(1, 3) } }); count('powerCutMidReceipt'); }
      else if (serial < 0.56) { fiscal.setFault({ powerLoss: 'afterCloseFiscalized' }); count('powerCutAfterClose'); }
      else if (serial < 0.64) { offForMs = rnd.int(800, 2_500); fiscal.setFault({ powerLoss: 'now' }); count('printerOffAtConfirm'); }
      const http = rnd.next();
      const reversal = { pathIncludes: '/sessions/reversal' };
      if (http < 0.1) { lifepos.faults.failNext(rnd.int(1, 2), { status: 500 }); count('http500'); }
      else if (http < 0.18) { lifepos.faults.rateLimitNext(1, rnd.int(0, 1)); count('http429'); }
      else if (http < 0.26) { lifepos.faults.dropNext(1); count('dropped'); }
      else if (http < 0.36) { lifepos.faults.loseResponseNext(1, { method: 'POST', ...reversal }); count('lostCreateAnswer'); }
      else if (http < 0.42) { lifepos.faults.loseResponseNext(1, { method: 'PATCH' }); count('lostPatchAnswer'); }
      else if (http < 0.46) { lifepos.faults.malformedNext(1, { method: 'POST', ...reversal }); count('cutJson'); }
      else if (http < 0.52) {
        // The create's answer is lost and the lookup that follows is refused for good: the job dies with
        // its "maybe sent" mark, and the cashier's manual retry (next start) must look before creating.
        lifepos.faults.loseResponseNext(1, { method: 'POST', ...reversal });
        lifepos.faults.failNext(1, { status: 422, match: { method: 'GET', pathIncludes: '/sessions' } });
        count('lostCreateThenDeadRetriedByHand');
      }
      if (rnd.next() < 0.15) { regos.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' }); count('regosLostAnswer'); }
      if (rnd.next() < 0.08) { regos.faults.dropNext(1, { rpcMethod: 'Receipt.Refund' }); count('regosDroppedRequest'); }
      if (rnd.next() < 0.1) { regos.faults.dropNext(rnd.int(1, 2), { rpcMethod: 'Receipt.GetInfo' }); count('regosGetInfoUnanswered'); }
      if (rnd.next() < 0.04) { regos.faults.failNext(1, { status: 500, match: { rpcMethod: 'Receipt.Refund' } }); count('regos500'); }

      const how = rnd.next();
      const killAt: KillAt = how < 0.1 ? { afterSpawnMs: rnd.int(50, 700) } : how < 0.4 ? { afterReadyMs: rnd.int(0, 300) } : { afterLines: rnd.int(1, 5) };
      const cycleStarted = Date.now();
      const run = await runChild(configFile, 'chaos', killAt, 60_000);
      if (process.env.REFUND_CHAOS_TRACE) console.log(`cycle ${cycle}: ${Date.now() - cycleStarted} ms, ${run.signal ?? run.code}, ${run.lines.length} lines, kill ${JSON.stringify(killAt)}, ${cycleFaults.join(' ')}`);
      cycleFaults = [];
      if (run.signal !== 'SIGKILL') {
        expect(run.code, `cycle ${cycle} (seed ${seed}): child failed: ${run.stderr}`).toBe(0);
        finishedEarly++;
      }
      noteAcked(run.lines);
      // After every kill: every refund acknowledged to the cashier is in the database (or was, before it
      // was deleted: those are checked against the ФН and LIFE POS at the end). A child killed before it
      // made its database acknowledged nothing in it.
      const dbFile = `${dataDir}/cashier.db`;
      const db = existsSync(dbFile) ? openDatabase(dbFile) : null;
      try {
        const store = db && new RefundStore(db);
        for (const id of acked.keys()) expect(store?.get(id) ?? beforeLoss.get(id), `cycle ${cycle} (seed ${seed}): acknowledged refund ${id} lost`).toBeDefined();
      } finally {
        db?.close();
      }
    }

    // The last start: no kill, no new faults; recovery and the outbox finish everything.
    fiscal.setFault({ lossProbability: 0, powerLoss: null, paperOutAfterPositions: null });
    await fiscal.powerOn();
    const finish = await runChild(configFile, 'finish', 'never', 120_000);
    expect(finish.code, finish.stderr).toBe(0);
    const doneLine = finish.lines.find((l) => l.startsWith('done '));
    expect(doneLine).toBeDefined();
    const { history } = FinishVerdict.parse(JSON.parse(doneLine?.slice('done '.length) ?? '{}'));
    noteAcked(finish.lines);

    const db = openDatabase(`${dataDir}/cashier.db`);
    const store = new RefundStore(db);
    const refunds = plan.map((p) => store.get(p.id) ?? beforeLoss.get(p.id) ?? null).filter((r): r is StoredRefund => r !== null);
    const rebuilt = new HistoryStore(db).recovered();
    db.close();
    const printedBeforeLoss = [...beforeLoss.values()].filter((r) => r.sale.source !== 'regos' && r.fiscal);
    if (lossAt >= 0) expect(printedBeforeLoss.length, 'no refund printed before the database was lost').toBeGreaterThan(0);
    if (proto.name === 'atol') {
      // ATOL: no receipt can be read back from the ФН, so nothing is rebuilt and the history gate stays
      // blocked, naming the read it lacks: refunds.confirm would refuse printer refunds rather than print
      // without knowing what the ФН holds. The refunds printed before the loss are still judged below
      // against the ФН and LIFE POS.
      expect(rebuilt).toEqual([]);
      if (lossAt >= 0) {
        expect(history.state, JSON.stringify(history)).toBe('blocked');
        expect(history.message).toContain('чтение чека');
      }
    } else {
      expect(history, 'refund history after the last start').toMatchObject({ state: 'ok' });
    }
    // Every receipt printed before the database was lost is explained by the rebuilt history: found in
    // the ФН and attributed to its refund through LIFE POS (external_id).
    for (const r of proto.name === 'atol' ? [] : printedBeforeLoss) {
      for (const f of r.receipts ?? []) {
        const found = rebuilt.find((x) => x.number === f.number);
        expect(found, `receipt ${f.number} of ${r.id}, printed before the database was lost, not rebuilt`).toBeDefined();
        expect(found?.refundId, `receipt ${f.number}`).toBe(r.id);
      }
      // Rebuilt with its positions (0xFF3A/0xFF3B): every line of the refund, with its money, read back from the ФН.
      // Names compared as the ФН keeps them (CP866 lacks «»: recoveredRefunds.ts nameKey).
      const byName = (xs: ReadonlyArray<{ name: string; amountMinor: number }>) =>
        [...xs.reduce((m, x) => m.set(nameKey(x.name), (m.get(nameKey(x.name)) ?? 0) + x.amountMinor), new Map<string, number>())].sort();
      expect(byName(rebuilt.filter((x) => x.refundId === r.id).flatMap((x) => x.positions)), `positions of ${r.id} rebuilt from the ФН`).toEqual(byName(r.lines));
    }
    const byState = (s: string) => refunds.filter((r) => r.state === s);
    const states = Object.fromEntries(['confirmed', 'fiscalizing', 'fiscalized', 'synced', 'failed', 'review'].map((s) => [s, byState(s).length]));
    const reviews = byState('review');
    const onPrinter = refunds.filter((r) => r.sale.source === 'lifepos');
    const onRegos = refunds.filter((r) => r.sale.source === 'regos');

    // ---- the ФН: each printed refund's receipts (one, or several for a wholesale refund) hold exactly
    // the refund's lines and tenders, each receipt balanced; no receipt is claimed by two refunds. A
    // refund still pending or in review claims the receipts it recorded as printed.
    const receipts = fnRefundReceipts(proto, fnStateFile);
    const paid = (d: (typeof receipts)[number]): number => d.cashMinor + d.electronicMinor;
    const printed = onPrinter.filter((r) => r.state === 'fiscalized' || r.state === 'synced');
    const claimed = new Map<number, string>();
    for (const r of onPrinter) {
      for (const f of r.receipts ?? []) {
        expect(claimed.has(f.number), `receipt ${f.number} claimed by ${claimed.get(f.number)} and ${r.id}`).toBe(false);
        claimed.set(f.number, r.id);
        const doc = receipts.find((d) => d.number === f.number);
        expect(doc, `refund ${r.id}: receipt ${f.number} not in the ФН`).toBeDefined();
        expect(doc?.fiscalSign).toBe(f.fiscalSign);
        expect(doc && paid(doc), `receipt ${f.number} of ${r.id} balances`).toBe(doc?.totalMinor);
      }
    }
    const multi = printed.filter((r) => (r.receipts?.length ?? 0) > 1);
    for (const r of printed) {
      const docs = (r.receipts ?? []).map((f) => receipts.find((d) => d.number === f.number));
      expect(docs.length, `${r.id}: receipts recorded`).toBe(r.receiptCount ?? 1);
      expect(r.fiscal?.number).toBe(r.receipts?.[0]?.number);
      expect(sum(docs.map((d) => d?.totalMinor ?? 0)), r.id).toBe(r.totalMinor);
      // A line may be printed as two positions of whole units (prices a kopeck apart): compare per line
      // name, as the device prints it.
      const printedLines = new Map<string, [number, number]>();
      for (const d of docs) {
        d?.positions.forEach(([name, , quantityMilli], i) => {
          const [a, q] = printedLines.get(name) ?? [0, 0];
          printedLines.set(name, [a + (d.lineAmountsMinor[i] ?? 0), q + quantityMilli]);
        });
      }
      expect(Object.fromEntries(printedLines), r.id).toEqual(Object.fromEntries(r.lines.map((l) => [proto.printable(l.name), [l.amountMinor, l.quantityMilli]])));
      for (const d of docs) expect(d?.positions?.length ?? 0, `${r.id}: receipt ${d?.number} within the device's limit`).toBeLessThanOrEqual(100);
      const tender = (k: string) => sum(r.tenders.filter((t) => t.kind === k).map((t) => t.amountMinor));
      expect([sum(docs.map((d) => d?.cashMinor ?? 0)), sum(docs.map((d) => d?.electronicMinor ?? 0))]).toEqual([tender('cash'), tender('card')]);
      expect(sum(r.tenders.map((t) => t.amountMinor))).toBe(r.totalMinor);
      expect(sum(r.lines.map((l) => l.amountMinor))).toBe(r.totalMinor);
    }
    const unclaimed = receipts.filter((d) => !claimed.has(d.number));
    const reviewOnPrinter = reviews.filter((r) => r.sale.source === 'lifepos');
    // A receipt no refund claims may only stand for a refund in review (ambiguous by definition): either
    // its whole receipt, or a partial one — the device lost the open receipt in a power cut, came back
    // while the driver was still resending a position, and that position opened a new receipt which the
    // driver then closed with the refund's full tenders (a driver defect, see partialReceipt test). The
    // saga sees the total differ and sends the refund to review; the tenders tell whose receipt it is. A
    // receipt of all its refund's lines for another total (a line the device rounded itself) is no longer
    // allowed on either protocol.
    const owner = (d: (typeof receipts)[number]) =>
      reviewOnPrinter.find((r) => r.totalMinor === d.totalMinor) ?? reviewOnPrinter.find((r) => r.totalMinor === paid(d));
    for (const d of unclaimed) {
      const same = refunds.filter((r) => r.totalMinor === d.totalMinor || r.totalMinor === paid(d)).map((r) => `${r.id} ${r.state} ФД ${r.fiscal?.number ?? '-'} ${r.reason ?? ''}`);
      expect(owner(d), `receipt ${d.number} (${d.totalMinor}, paid ${paid(d)}) belongs to no refund; same money: ${same.join('; ')}`).toBeDefined();
    }
    const partial = unclaimed.filter((d) => owner(d)?.totalMinor !== d.totalMinor);
    for (const d of partial) expect(d.positions.length, `receipt ${d.number}: all of its refund's lines, yet another total`).toBeLessThan(owner(d)?.lines.length ?? 0);
    // Nor may the device refuse a receipt for its sums (ATOL 114: payments below the receipt's total).
    expect(byState('failed').filter((r) => /ошибка 114\b/.test(r.reason ?? '')).map((r) => r.id), 'refunds refused with 114').toEqual([]);
    expect(new Set(unclaimed.map((d) => owner(d)?.id)).size, 'two unclaimed receipts for one refund in review').toBe(unclaimed.length);
    expect(receipts.length).toBe(claimed.size + unclaimed.length);

    // ---- LIFE POS: one reversal session per printed refund, with its receipt and exact money.
    const sessions = [...lifepos.state.sessions.values()].flat().filter((s) => s.type_of === SESSION_TYPE.reversal);
    const externalIds = sessions.map((s) => s.external_id ?? '');
    expect(new Set(externalIds).size, 'duplicate reversal sessions').toBe(sessions.length);
    expect(byState('fiscalized'), 'refunds printed but never synced').toEqual([]);
    expect(sessions.length).toBe(printed.length);
    for (const s of sessions) {
      const r = printed.find((x) => x.id === s.external_id);
      expect(r, `session ${s.guid} (${s.external_id}) belongs to no printed refund`).toBeDefined();
      expect(s.total_sum.value).toBe(r?.totalMinor);
      expect(sum(s.payment_parts.map((p) => p.amount.value))).toBe(r?.totalMinor);
      expect(ReceiptData.nullish().parse(s.receipt)?.fiscal_document_number).toBe(r?.fiscal?.number);
      expect(ReceiptData.nullish().parse(s.receipt)?.total_sum.value).toBe(r?.totalMinor);
      // One session for a refund of several receipts, listing every one of them.
      expect(ReceiptData.nullish().parse(s.receipt)?.receipts?.map((x) => x.fiscal_document_number) ?? [r?.fiscal?.number]).toEqual(r?.receipts?.map((x) => x.number));
      expect(s.positions.map((p) => [p.position_guid, p.quantity, p.total_sum.value])).toEqual(r?.lines.map((l) => [l.lineId, l.quantityMilli, l.amountMinor]));
    }
    for (const d of deals) {
      const refunded = lifepos.state.refunded(d.deal.guid);
      let full = true;
      let any = false;
      for (const p of d.deal.positions) {
        const done = refunded.byPosition.get(p.guid) ?? { qty: 0, sum: 0 };
        expect(done.qty).toBeLessThanOrEqual(p.quantity);
        expect(done.sum).toBeLessThanOrEqual(p.total_sum.value);
        // A line refunded to the last thousandth gave back its printed total to the kopeck.
        if (done.qty === p.quantity) expect(done.sum, `${d.deal.number} ${p.name}`).toBe(p.total_sum.value);
        full &&= done.qty === p.quantity;
        any ||= done.qty > 0;
      }
      const status = lifepos.state.deals.get(d.deal.guid)?.payment_status;
      // A refund in review counts against the remainder on this till (it may have given money back) but
      // is not on the server: the status then follows the till's count, not the sessions.
      const inReview = reviews.some((r) => r.sale.id === d.deal.guid);
      if (any && !inReview) expect(status, `deal ${d.deal.number}`).toBe(full ? 'Refunded' : 'PartiallyRefunded');
    }

    // ---- REGOS: one receipt per code, only for refunds that say so.
    const regosReceipts = regos.state.receipts.filter((r) => r.kind === 'refund');
    expect(new Set(regosReceipts.map((r) => r.code)).size, 'duplicate REGOS codes').toBe(regosReceipts.length);
    for (const r of onRegos) {
      const found = regosReceipts.filter((x) => x.code === r.id);
      if (r.state === 'synced') expect(found.map((x) => x.Amount), r.id).toEqual([r.totalMinor]);
      else if (r.state === 'failed') expect(found, r.id).toEqual([]);
      else expect(r.state, r.id).toBe('review');
    }
    for (const x of regosReceipts) expect(onRegos.some((r) => r.id === x.code), `REGOS receipt ${x.code} belongs to no refund`).toBe(true);

    // ---- nothing lost, nothing left half-way.
    for (const [id, state] of acked) {
      const r = refunds.find((x) => x.id === id);
      expect(r, `acknowledged refund ${id} lost`).toBeDefined();
      if (state === 'fiscalized' || state === 'synced') expect(r?.state, id).toBe('synced');
    }
    expect(states.confirmed).toBe(0);
    expect(states.fiscalizing).toBe(0);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const r of reviews) {
      const receipt = unclaimed.find((d) => owner(d)?.id === r.id);
      const why = receipt ? `ФН holds document ${receipt.number} for ${receipt.totalMinor} of its ${r.totalMinor} (${receipt.positions?.length ?? 0} of ${r.lines.length} lines)` : 'no receipt of it in the ФН';
      console.log(`  review: ${r.id} (${r.sale.source}, ${r.totalMinor}): ${why}; ${r.reason ?? ''}`);
    }
    const failedWhy = new Map<string, number>();
    for (const r of byState('failed')) failedWhy.set(`${r.sale.source}: ${r.reason ?? '?'}`, (failedWhy.get(`${r.sale.source}: ${r.reason ?? '?'}`) ?? 0) + 1);
    for (const [why, n] of failedWhy) console.log(`  failed ×${n}: ${why}`);
    console.log(
      `refund chaos ${proto.name} seed ${seed}: ${plan.length} planned, ${refunds.length} stored, ${kills} kills (${finishedEarly} runs ended before their kill), ` +
        `${acked.size} acknowledged (${beforeLoss.size} stored before the database was deleted; ${rebuilt.length} receipts rebuilt from the ФН and LIFE POS, history ${history.state}); states ${JSON.stringify(states)}; ФН refund receipts ${receipts.length} = ${claimed.size} of ${printed.length} printed refunds (${multi.length} of several receipts: ${multi.map((r) => r.receipts?.length).join('+')}) and of pending ones + ${unclaimed.length} of refunds in review (${partial.length} partial: driver defect); ` +
        `LIFE POS reversal sessions ${sessions.length}; REGOS refund receipts ${regosReceipts.length}; faults ${JSON.stringify(faults)}; ${seconds} s`,
    );
    expect(reviews.length, 'refunds in review').toBeLessThanOrEqual(Math.max(3, Math.ceil(plan.length * 0.03)));
    expect(plan.length).toBeGreaterThanOrEqual(Math.min(200, planned));
    // The plan holds wholesale refunds (several receipts each); at least one of them got printed.
    expect(plan.some((p) => p.lines.length > 100), 'no wholesale refund planned').toBe(true);
    expect(multi.length, 'no refund of several receipts printed').toBeGreaterThan(0);
    expect(printed.length + byState('synced').filter((r) => r.sale.source === 'regos').length).toBeGreaterThan(plan.length / 2);
  }, 900_000);
});
