import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { tempDir } from '../../../test/queue/tempDir';
import { DEAL_CASH, SALE_CASH } from '../../../test/support/lifePosRefunds';
import type { RefundState } from '../../../preload/contract';
import type { MainText } from '../../../preload/contract/mainText';
import { LifePosClient } from '../../backends/lifepos/lifePosClient';
import type { NewReversalSession } from '../../backends/lifepos/schemas';
import { loggerOver, type LogFields, type LogLevel } from '../../log/logger';
import { openDatabase, type Database } from '../../queue/database';
import { RefundStore } from '../refundStore';
import { lifePosOverlapCheck } from './lifePosOverlapCheck';
import { OverlapStore } from './overlapStore';

/**
 * Issue 22 on a real SQLite file and the LIFE POS emulator over HTTP: this till's reversal session is on
 * LIFE POS and the deal is read again; the cash basket sold two bottles of milk (p-1001-1), so another
 * till's two plus our one is the overlap the senior cashier must see.
 */
const MILK = 'p-1001-1';
const OTHER_FN = '7281440500112233';
let emu: LifePosEmulator;
let tmp: ReturnType<typeof tempDir>;
let db: Database;
let store: RefundStore;
let overlaps: OverlapStore;
let logged: { level: LogLevel; fields: LogFields; message: string }[];
let flagged: { refundId: string; reason: string; text: MainText }[];
const servers: Server[] = [];

const clientAt = (baseUrl: string) => new LifePosClient({
  baseUrl, orgGuid: emu.orgGuid, token: emu.token, clientId: 'refund-cashier-test', clientType: 'App', language: 'ru-RU', timeoutMs: 60_000,
});

function check(baseUrl = emu.url) {
  const client = clientAt(baseUrl);
  const log = loggerOver((level, fields, message) => logged.push({ level, fields, message }), () => undefined);
  return lifePosOverlapCheck({ client: () => client, db, store, overlaps, log, flagged: (refundId, reason, text) => flagged.push({ refundId, reason, text }) });
}

beforeEach(async () => {
  emu = await startLifePosEmulator();
  tmp = tempDir('overlap-check-');
  db = openDatabase(tmp.file('cashier.db'));
  store = new RefundStore(db);
  overlaps = new OverlapStore(db);
  logged = [];
  flagged = [];
});

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
  db.close();
  await emu.close();
  tmp.remove();
});

/** This till's refund of `bottles` of milk in the given state, as the saga leaves it. */
function ourRefund(id: string, state: RefundState, bottles = 1): void {
  const total = 8990 * bottles;
  store.insertConfirmed({
    id, sale: { source: 'lifepos', id: DEAL_CASH }, saleNumber: 'А-1001', currency: 'RUB',
    lines: [{ lineId: MILK, name: 'Молоко 3,2 % 1 л', quantityMilli: 1000 * bottles, amountMinor: total, vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods' }],
    tenders: [{ paymentPartId: 'pp-1001-cash', kind: 'cash', amountMinor: total, needsCard: false }], totalMinor: total,
  });
  if (state !== 'confirmed') store.setState(id, state);
}

function milk(externalId: string, bottles: number): NewReversalSession {
  const amount = { value: 8990 * bottles, currency: 'RUB' };
  return {
    external_id: externalId,
    positions: [{ position_guid: MILK, quantity: 1000 * bottles, total_sum: amount }],
    payment_parts: [{ type_of: 'Cash', amount, primary_payment_part: { guid: 'pp-1001-cash', type_of: 'Cash' }, primary_sale_session: { guid: SALE_CASH, type_of: 'Sale' } }],
  };
}

/** A reversal session on LIFE POS; another till's carries its receipt with the ФН that printed it. */
async function onLifePos(externalId: string, bottles: number, receipt?: { fd: number; fn: string }): Promise<string> {
  const client = clientAt(emu.url);
  const session = await client.createReversalSession(DEAL_CASH, milk(externalId, bottles));
  if (receipt) {
    await client.patchReversalSession(DEAL_CASH, session.guid, {
      fiscal_document_number: receipt.fd, fiscal_sign: '3489205671', fiscal_drive_number: receipt.fn, issued_at: '2026-12-01T11:00:05', total_sum: { value: 8990 * bottles, currency: 'RUB' },
    });
  }
  return session.guid;
}

/** Both tills' sessions: the other till's two bottles first, then ours. */
async function overlapOnLifePos(ours: string): Promise<void> {
  await onLifePos('other-till-refund', 2, { fd: 17, fn: OTHER_FN });
  await onLifePos(ours, 1);
}

/** What the check asked LIFE POS since request number `from`: the paths after the org's deals. */
const readsSince = (from: number) => emu.requests.slice(from).map((r) => `${r.method} ${r.path.replace(/^.*\/deals\/sales\//, '')}`);

describe('the overlap check after this till\'s reversal session is on LIFE POS (issue 22)', () => {
  it.each(['fiscalized', 'synced'] as const)('a %s refund that took the sale beyond what was sold goes to review with both refunds, once, in the log for IT', async (state) => {
    ourRefund('r-1', state);
    await overlapOnLifePos('r-1');
    const before = emu.requests.length;

    await check()(DEAL_CASH, 'r-1', new AbortController().signal);

    expect(readsSince(before)).toEqual([`GET ${DEAL_CASH}`, `GET ${DEAL_CASH}/sessions`]);
    const refund = store.require('r-1');
    expect(refund.state).toBe('review');
    expect(refund.reason).toContain('«Молоко 3,2 % 1 л»: продано 2, возвращено 3');
    expect(refund.reason).toContain(`касса с ФН № ${OTHER_FN}, чек ФД № 17`);
    expect(refund.reasonText).toMatchObject({ code: 'overlap.flagged', params: { saleNumber: 'А-1001', lines: [{ soldMilli: 2000, refundedMilli: 3000 }] } });
    expect(flagged).toEqual([{ refundId: 'r-1', reason: refund.reason, text: refund.reasonText }]);
    const [stored] = overlaps.list(10);
    expect(stored).toMatchObject({ refundId: 'r-1', sale: { source: 'lifepos', id: DEAL_CASH }, saleNumber: 'А-1001', acknowledged: false, lines: [{ lineId: MILK, soldMilli: 2000, refundedMilli: 3000 }] });
    expect(stored?.refunds.map((r) => [r.refundId, r.thisTill, r.till, r.totalMinor])).toEqual([['other-till-refund', false, OTHER_FN, 17_980], ['r-1', true, null, 8990]]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 'error', message: 'sale refunded beyond what was sold across tills',
      fields: { refundId: 'r-1', deal: DEAL_CASH, lines: [{ lineId: MILK, soldMilli: 2000, refundedMilli: 3000 }] },
    });
    expect(logged[0]?.fields.refunds).toEqual(stored?.refunds.map((r) => ({ refundId: r.refundId, at: r.at, totalMinor: r.totalMinor })));
  });

  it('a refund already in review gets its details refreshed and is announced again', async () => {
    ourRefund('r-1', 'review');
    await overlapOnLifePos('r-1');
    await check()(DEAL_CASH, 'r-1', new AbortController().signal);
    expect(store.require('r-1')).toMatchObject({ state: 'review', reasonText: { code: 'overlap.flagged' } });
    expect(flagged.map((f) => f.refundId)).toEqual(['r-1']);
    expect(overlaps.list(10).map((o) => o.refundId)).toEqual(['r-1']);
  });

  it.each(['confirmed', 'fiscalizing', 'failed'] as const)('a %s refund keeps its state: the overlap is stored, nobody is told it moved', async (state) => {
    ourRefund('r-1', state);
    await overlapOnLifePos('r-1');
    await check()(DEAL_CASH, 'r-1', new AbortController().signal);
    expect(store.require('r-1')).toMatchObject({ state });
    expect(store.require('r-1').reason).toBeUndefined();
    expect(flagged).toEqual([]);
    expect(overlaps.list(10).map((o) => o.refundId)).toEqual(['r-1']);
    expect(logged.map((l) => l.message)).toEqual(['sale refunded beyond what was sold across tills']);
  });

  it('another till\'s refund archived with its printed receipt still gave money back: all sessions are read', async () => {
    ourRefund('r-1', 'synced');
    const other = await onLifePos('other-till-refund', 2, { fd: 17, fn: OTHER_FN });
    await clientAt(emu.url).archiveReversalSession(DEAL_CASH, other);
    await onLifePos('r-1', 1);
    await check()(DEAL_CASH, 'r-1', new AbortController().signal);
    expect(store.require('r-1').state).toBe('review');
    expect(flagged.map((f) => f.refundId)).toEqual(['r-1']);
  });

  it('a sale within bounds changes nothing and tells nobody', async () => {
    ourRefund('r-1', 'synced');
    await onLifePos('other-till-refund', 1, { fd: 17, fn: OTHER_FN });
    await onLifePos('r-1', 1);
    await check()(DEAL_CASH, 'r-1', new AbortController().signal);
    expect(store.require('r-1').state).toBe('synced');
    expect(flagged).toEqual([]);
    expect(overlaps.list(10)).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('a refund this database does not hold (rebuilt from the ФН) asks LIFE POS nothing and stores nothing', async () => {
    await overlapOnLifePos('r-lost');
    const before = emu.requests.length;
    await check()(DEAL_CASH, 'r-lost', new AbortController().signal);
    expect(readsSince(before)).toEqual([]);
    expect(overlaps.list(10)).toEqual([]);
    expect(flagged).toEqual([]);
  });
});

/**
 * 127.0.0.1 in front of the emulator: requests whose path `hold` picks are never answered (LIFE POS gone
 * quiet), the rest are passed on. Resolves `arrived` when a held request comes, `closed` when the client drops it.
 */
async function quietProxy(hold: (path: string) => boolean): Promise<{ url: string; arrived: Promise<void>; closed: Promise<void> }> {
  let arrivedNow!: () => void;
  let closedNow!: () => void;
  const arrived = new Promise<void>((done) => { arrivedNow = done; });
  const closed = new Promise<void>((done) => { closedNow = done; });
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (hold(path)) {
      req.socket.on('close', closedNow);
      arrivedNow();
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection')) as Record<string, string>;
    void fetch(`${emu.url}${path}`, { method: req.method, headers }).then(async (answer) => {
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrived, closed };
}

describe('the overlap check cancelled while LIFE POS is silent (its job overran the watchdog)', () => {
  it.each([
    ['the deal', (path: string) => !path.includes('/sessions')],
    ['its sessions', (path: string) => path.includes('/sessions')],
  ])('reading %s: the call is dropped at once and nothing is stored', async (_what, hold) => {
    ourRefund('r-1', 'synced');
    await overlapOnLifePos('r-1');
    const quiet = await quietProxy(hold);
    const cancel = new AbortController();
    const running = check(quiet.url)(DEAL_CASH, 'r-1', cancel.signal);
    await quiet.arrived;
    cancel.abort(new Error('watchdog'));
    await expect(running).rejects.toThrow();
    await quiet.closed;
    expect(store.require('r-1').state).toBe('synced');
    expect(overlaps.list(10)).toEqual([]);
  });
});
