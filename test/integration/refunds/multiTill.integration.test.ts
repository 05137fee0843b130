import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../main/appError';
import { SESSION_TYPE } from '../../../main/backends/lifepos/schemas';
import { LIFE_POS_DEMO_ORG, LIFE_POS_DEMO_TOKEN } from '../../../emulators/lifepos/server';
import { LIFE_PAY_DEMO_API_KEY, LIFE_PAY_DEMO_LOGIN, type FiscalizedReceipt, type StoredTransaction } from '../../../emulators/lifepay/server';
import { startPtyEmulator, type PtyEmulator } from '../../../emulators/shtrih/pty';
import type { Refund, RefundLineRequest, SaleRef } from '../../../preload/contract';
import { buildDeal, fnDocuments, lifePosSeedOf, refundReceipts, tempDir, type BuiltDeal } from './fixtures';
import { startTestApp, until, type TestApp } from './testApp';
import { startBackendProcess, startTillLink, type BackendProcess, type TillLink } from './tillLink';

/**
 * Issue 22: three tills of one store — each the app's real services (createServices) with its own SQLite
 * file and its own emulated fiscal printer — against one LIFE POS and one LIFE PAY, each back end an
 * emulator in its own process. Every till reaches each back end through its own link, which the test
 * cuts for a network split. No till talks to another: what one till knows of another's refund, it
 * knows from the back ends (main/backends/README.md, "Who knows a sale was refunded").
 */
interface Till {
  name: string;
  app: TestApp;
  fiscal: PtyEmulator;
  fnState: string;
  links: { lifepos: TillLink; lifepay: TillLink };
  /** Both links cut: the till is offline, the other tills are not. */
  split(): Promise<void>;
  rejoin(): Promise<void>;
}

interface LifePosState { sessions: Record<string, { type_of: string; external_id?: string | null; receipt?: unknown }[]> }
interface LifePayState { transactions: StoredTransaction[]; receipts: FiscalizedReceipt[] }

const tmp = tempDir('refund-tills-');
let lifepos: BackendProcess;
let lifepay: BackendProcess;
const tills: Till[] = [];

const lastUnit = (n: number): BuiltDeal => buildDeal(n, { lines: [{ name: `Чайник электрический ${n}`, quantityMilli: 1000, priceKopecks: 249_000, tax: 'vat22' }] });
const online = lastUnit(1);
const offline = lastUnit(2);
const lifePosDeals = [online, offline];

/** A LIFE PAY cash payment made "today" in the till's sense (the sale source asks for today's list). */
function payment(n: number): StoredTransaction {
  return {
    uuid: `7a1e0000-0000-4000-8000-${String(n).padStart(12, '0')}`, number: `5${n}`, type: 'payment', status: 'success',
    created: new Date(Date.now() - 5 * 60_000).toISOString().slice(0, 19).replace('T', ' '), amount: 89_900, method: 'cash',
    employee: 'Иванова Мария', rrn: null, ext_id: null,
    purchase: { products: [{ name: `Фен ${n}`, price: 89_900, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 }] },
  };
}
const payments = [payment(1), payment(2), payment(3), payment(4)];

async function startTill(name: string): Promise<Till> {
  const fnState = tmp.file(`${name}-fn.json`);
  // Each till its own pty folder: socat names the pair's ends by folder, so a shared one is one printer.
  const ptyDir = tmp.file(`${name}-pty`);
  mkdirSync(ptyDir);
  const fiscal = await startPtyEmulator({ stateFile: fnState, baudRate: 115_200, processingScale: 0.05, dir: ptyDir });
  const links = { lifepos: await startTillLink(lifepos.url), lifepay: await startTillLink(lifepay.url) };
  const app = await startTestApp(tmp.file(name), {
    printer: { port: { path: fiscal.path, baudRate: 115_200 } },
    backends: {
      lifepos: { url: links.lifepos.url, orgGuid: LIFE_POS_DEMO_ORG, token: LIFE_POS_DEMO_TOKEN },
      lifepay: { url: links.lifepay.url, login: LIFE_PAY_DEMO_LOGIN, apiKey: LIFE_PAY_DEMO_API_KEY },
      timeoutMs: 2_000,
    },
  });
  const till: Till = {
    name, app, fiscal, fnState, links,
    async split() {
      await Promise.all([links.lifepos.cut(), links.lifepay.cut()]);
      await until(`${name} sees the back ends offline`, () => app.monitor.state('lifepos') === 'offline' && app.monitor.state('lifepay') === 'offline');
    },
    async rejoin() {
      await Promise.all([links.lifepos.restore(), links.lifepay.restore()]);
      await until(`${name} sees the back ends again`, () => app.monitor.state('lifepos') === 'online' && app.monitor.state('lifepay') === 'online');
    },
  };
  await until(`${name} online`, () => app.monitor.state('lifepos') === 'online' && app.monitor.state('lifepay') === 'online');
  // The morning: the shift opened and the float put in (cash refunds need cash in the drawer, issue 14).
  await app.handlers['shift.open']({});
  await app.handlers['cash.operation']({ kind: 'in', amountMinor: 5_000_000 });
  return till;
}

beforeAll(async () => {
  const lifePosFile = tmp.file('lifepos.json');
  writeFileSync(lifePosFile, JSON.stringify(lifePosSeedOf(lifePosDeals)));
  const lifePayFile = tmp.file('lifepay.json');
  writeFileSync(lifePayFile, JSON.stringify({ transactions: payments, receipts: [] }));
  [lifepos, lifepay] = await Promise.all([startBackendProcess('lifepos', lifePosFile), startBackendProcess('lifepay', lifePayFile)]);
  for (const name of ['till-1', 'till-2', 'till-3']) tills.push(await startTill(name));
}, 60_000);

afterAll(async () => {
  for (const t of tills) {
    await t.app.close();
    await t.fiscal.close();
    await t.links.lifepos.close();
    await t.links.lifepay.close();
  }
  await lifepos?.close();
  await lifepay?.close();
  tmp.remove();
});

const till = (i: number): Till => {
  const t = tills[i];
  if (!t) throw new Error(`no till ${i}`);
  return t;
};
const wholeLine = (lineId: string): RefundLineRequest[] => [{ lineId, quantityMilli: 1000 }];
const confirm = (t: Till, sale: SaleRef, lines: RefundLineRequest[], refundId = randomUUID()): Promise<Refund> =>
  t.app.handlers['refunds.confirm']({ refundId, sale, lines, cardRrns: {} });
const refused = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};
const refundsInFn = (t: Till) => refundReceipts(fnDocuments(t.fnState));
const reversals = async (d: BuiltDeal) => ((await lifepos.state<LifePosState>()).sessions[d.deal.guid] ?? []).filter((s) => s.type_of === SESSION_TYPE.reversal);
const cloudRefunds = async (saleId: string) => (await lifepay.state<LifePayState>()).transactions.filter((t) => t.type === 'refund' && t.ext_id?.startsWith(`${saleId}/`));

describe('three tills, one store', () => {
  it('LIFE POS online: the second till sees the first till\'s refund and refuses the same unit', async () => {
    const sale: SaleRef = { source: 'lifepos', id: online.deal.guid };
    const line = online.deal.positions[0]?.guid ?? '';
    const first = await confirm(till(0), sale, wholeLine(line));
    expect(first.state).toBe('fiscalized');
    await till(0).app.settled();
    expect(till(0).app.store.require(first.id).state).toBe('synced');

    const seen = await till(1).app.handlers['sales.get']({ ref: sale });
    expect(seen.lines[0]).toMatchObject({ refundedMilli: 1000, refundableMilli: 0 });
    expect(seen.remainderFromLocalOnly).toBe(false);
    const again = await refused(confirm(till(1), sale, wholeLine(line)));
    expect(again.code).toBe('refund.over_refund');
    expect(refundsInFn(till(1))).toHaveLength(0);
    expect(await reversals(online)).toHaveLength(1);
  });

  it('LIFE PAY online: refunded in LIFE PAY\'s cloud register, so another till sees it; nothing printed locally', async () => {
    const p = payments[0];
    if (!p) throw new Error('seed');
    const sale: SaleRef = { source: 'lifepay', id: p.uuid };
    const preview = await till(0).app.handlers['refunds.preview']({ sale, lines: wholeLine(`${p.uuid}:0`) });
    expect(preview.notices.map((n) => n.text).join(' ')).toContain('облачная касса LIFE PAY');
    const printed = refundsInFn(till(0)).length;
    const done = await confirm(till(0), sale, wholeLine(`${p.uuid}:0`));
    expect(done.state).toBe('synced');
    expect(refundsInFn(till(0))).toHaveLength(printed);
    const inCloud = await cloudRefunds(p.uuid);
    expect(inCloud).toEqual([expect.objectContaining({ ext_id: `${p.uuid}/${done.id}`, amount: 89_900 })]);

    expect(done.fiscal).toMatchObject({ number: 0, receiptNo: inCloud[0]?.uuid });
    expect((await refused(till(0).app.handlers['refunds.reprint']({ id: done.id }))).code).toBe('refund.cloud_copy');

    const seen = await till(2).app.handlers['sales.get']({ ref: sale });
    expect(seen.lines[0]).toMatchObject({ refundedMilli: 1000, refundableMilli: 0 });
    expect(seen.payments[0]?.refundedMinor).toBe(89_900);
    expect((await refused(confirm(till(2), sale, wholeLine(`${p.uuid}:0`)))).code).toBe('refund.over_refund');
  });

  it('LIFE PAY answer lost after the receipt was made: settled from LIFE PAY\'s list, never sent twice', async () => {
    const p = payments[1];
    if (!p) throw new Error('seed');
    const sale: SaleRef = { source: 'lifepay', id: p.uuid };
    await lifepay.control('faults', { rules: [{ kind: 'loseResponse', match: { method: 'POST', pathIncludes: 'create-receipt' } }] });
    const r = await confirm(till(1), sale, wholeLine(`${p.uuid}:0`));
    expect(r.state).toBe('synced');
    expect(await cloudRefunds(p.uuid)).toHaveLength(1);
    expect((await lifepay.state<LifePayState>()).receipts.filter((x) => x.ext_id === `${p.uuid}/${r.id}`)).toHaveLength(1);
    expect(refundsInFn(till(1))).toHaveLength(0);
  });

  it('LIFE PAY request cut before it was handled: LIFE PAY lists nothing, so review, not a resend', async () => {
    const p = payments[2];
    if (!p) throw new Error('seed');
    const sale: SaleRef = { source: 'lifepay', id: p.uuid };
    await lifepay.control('faults', { rules: [{ kind: 'drop', match: { method: 'POST', pathIncludes: 'create-receipt' } }] });
    const r = await confirm(till(2), sale, wholeLine(`${p.uuid}:0`));
    expect(r.state).toBe('review');
    expect(r.reason).toContain('Повторно не пробивайте');
    const creates = (await lifepay.state<LifePayState>()).receipts.filter((x) => x.ext_id === `${p.uuid}/${r.id}`);
    expect(creates).toHaveLength(0);
    // The recheck timer asks again and again; it never sends the receipt a second time.
    await till(2).app.saga.recoverPending();
    expect(till(2).app.store.require(r.id).state).toBe('review');
    expect(refundsInFn(till(2))).toHaveLength(0);
  });

  it('LIFE PAY cloud print off for the tariff (6080): the same refund prints on the local printer', async () => {
    const p = payments[3];
    if (!p) throw new Error('seed');
    const sale: SaleRef = { source: 'lifepay', id: p.uuid };
    await lifepay.control('cloud-print', { enabled: false });
    try {
      const printed = refundsInFn(till(0)).length;
      const r = await confirm(till(0), sale, wholeLine(`${p.uuid}:0`));
      expect(r.state).toBe('synced');
      expect(refundsInFn(till(0)).slice(printed)).toEqual([expect.objectContaining({ totalMinor: 89_900 })]);
      expect(await cloudRefunds(p.uuid)).toHaveLength(0);
      // Remembered: the next preview says the receipt prints here and only this till will know.
      const preview = await till(0).app.handlers['refunds.preview']({ sale: { source: 'lifepay', id: payments[0]?.uuid ?? '' }, lines: [] });
      expect(preview.notices.map((n) => n.text).join(' ')).toContain('будет виден только на ней');
    } finally {
      await lifepay.control('cloud-print', { enabled: true });
    }
  });

  it('LIFE POS offline at two tills: both print the last unit; the overlap is flagged on reconnect, never synced silently', async () => {
    const sale: SaleRef = { source: 'lifepos', id: offline.deal.guid };
    const line = offline.deal.positions[0]?.guid ?? '';
    const [a, b] = [till(1), till(2)];
    // Both tills have seen the sale (a customer asked about it earlier), then the store's network splits.
    for (const t of [a, b]) await t.app.handlers['sales.get']({ ref: sale });
    await Promise.all([a.split(), b.split()]);
    const before = [refundsInFn(a).length, refundsInFn(b).length];
    const ra = await confirm(a, sale, wholeLine(line));
    const rb = await confirm(b, sale, wholeLine(line));
    // The law allows a refund without the network: each till printed its receipt.
    expect([ra.state, rb.state]).toEqual(['fiscalized', 'fiscalized']);
    expect([refundsInFn(a).length, refundsInFn(b).length]).toEqual([(before[0] ?? 0) + 1, (before[1] ?? 0) + 1]);

    await a.rejoin();
    await a.app.settled();
    expect(a.app.store.require(ra.id).state).toBe('synced');
    await b.rejoin();
    await b.app.settled();

    const flagged = b.app.store.require(rb.id);
    expect(flagged.state).toBe('review');
    expect(flagged.reason).toContain('возвращена больше, чем продано');
    expect(flagged.reason).toContain('эта касса');
    // B's own reversal session is on LIFE POS with its receipt: the printed receipt is a fact LIFE POS keeps.
    const sessions = await reversals(offline);
    expect(sessions.map((s) => s.external_id).sort()).toEqual([ra.id, rb.id].sort());
    expect(sessions.find((s) => s.external_id === rb.id)?.receipt).toBeTruthy();

    const [overlap] = await b.app.handlers['refunds.overlaps']({});
    expect(overlap).toMatchObject({ refundId: rb.id, sale, acknowledged: false, lines: [{ lineId: line, soldMilli: 1000, refundedMilli: 2000 }] });
    expect(overlap?.refunds.map((r) => ({ id: r.refundId, thisTill: r.thisTill, total: r.totalMinor }))).toEqual(expect.arrayContaining([
      { id: ra.id, thisTill: false, total: 249_000 },
      { id: rb.id, thisTill: true, total: 249_000 },
    ]));
    expect(overlap?.refunds.every((r) => r.at.length > 0)).toBe(true);
    // The other till is named by the ФН that printed its refund (sent with its session's receipt data).
    const fnA = (await a.app.printer.use((d) => d.status())).fnNumber;
    expect(overlap?.refunds.find((r) => r.refundId === ra.id)?.till).toBe(fnA);
    expect(flagged.reason).toContain(`касса с ФН № ${fnA}`);
    // F4 lists refunds in review: the flagged one is there.
    expect((await b.app.handlers['refunds.list']({ states: ['review'] })).map((r) => r.id)).toContain(rb.id);
    await b.app.handlers['refunds.acknowledgeOverlap']({ refundId: rb.id });
    expect((await b.app.handlers['refunds.overlaps']({}))[0]?.acknowledged).toBe(true);
    expect(await a.app.handlers['refunds.overlaps']({})).toEqual([]);
  });
});
