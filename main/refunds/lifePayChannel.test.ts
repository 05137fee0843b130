import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoLifePaySeed, lifePayTime, startLifePayEmulator, type LifePayEmulator, type StoredTransaction } from '../../emulators/lifepay/server';
import { tempDir } from '../../test/queue/tempDir';
import { isAppError } from '../appError';
import { LifePayClient } from '../backends/lifepay/lifePayClient';
import { loggerOver } from '../log/logger';
import { openDatabase, type Database } from '../queue/database';
import { Outbox } from '../queue/outbox';
import type { Connectivity, MainText, Refund, RefundState, Sale, SaleRef } from '../../preload/contract';
import { closeTill, openTill, type Till } from './history/historyTestRig';
import { LIFEPAY_UNKNOWN, LIFEPAY_WAITS } from './lifePayChannel';
import { RefundSaga } from './refundSaga';
import { RefundStore } from './refundStore';
import { SaleFinder } from './saleFinder';
import { lifePaySource } from './saleSources';
import { SeenSales } from './seenSales';

/**
 * The LIFE PAY cloud channel of the saga (issue 22, ./README.md "LIFE PAY cloud register"), fast: the real
 * saga and store over a SQLite temp file, the real LIFE PAY client over HTTP on 127.0.0.1 to the LIFE PAY
 * emulator, and the emulated Shtrih-M as the till's printer. The judges are LIFE PAY's transactions list
 * (one cloud refund per refund, or none) and the ФН's documents (a refund printed here, or none): a
 * create-receipt is never sent twice, and a refund is never both in the cloud and in the ФН.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Demo payment 30454: 3 × hand cream, 1 × soap, 10 % off, paid in cash. */
const PAYMENT = 'a1f0c3de-0004-4c1b-8f00-00000000lp04';
const SALE: SaleRef = { source: 'lifepay', id: PAYMENT };
const ONE_CREAM = [{ lineId: `${PAYMENT}:0`, quantityMilli: 1000 }];

interface Rig {
  pay: LifePayEmulator;
  till: Till;
  db: Database;
  saga: RefundSaga;
  store: RefundStore;
  progress: Array<{ id: string; state: RefundState; message: string; coded?: MainText }>;
  /** What the connectivity monitor last saw of LIFE PAY, and the configured client; a test switches them. */
  link: { online: Connectivity; client: LifePayClient | null };
  /** The refund log as support reads it: level, message and fields of every line. */
  logs: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
  /** Every request this app sent to LIFE PAY, query included; `before` runs as one is about to leave. */
  wire: { sent: URL[]; before?: (url: URL) => Promise<void> | void };
}

type World = { pay: LifePayEmulator; till: Till; file: string };

/** The demo payments, and `more` of a test's own. */
async function world(more: StoredTransaction[] = []): Promise<World> {
  const pay = await startLifePayEmulator({ seed: { transactions: [...demoLifePaySeed().transactions, ...more] } });
  const till = await openTill(loggerOver(() => undefined, () => undefined));
  const tmp = tempDir('lifepay-channel-');
  cleanups.push(async () => {
    await closeTill(till);
    await pay.close();
    tmp.remove();
  });
  return { pay, till, file: tmp.file('cashier.db') };
}

/** One run of the app on the database file (a second call is the app started again). */
function app(w: World): Rig {
  const db = openDatabase(w.file);
  const store = new RefundStore(db);
  const wire: Rig['wire'] = { sent: [] };
  const client = new LifePayClient({
    baseUrl: w.pay.url, login: w.pay.login, apiKey: w.pay.apiKey, timeoutMs: 2_000,
    fetch: async (input, init) => {
      const url = new URL(input);
      wire.sent.push(url);
      await wire.before?.(url);
      return fetch(input, init);
    },
  });
  const link: Rig['link'] = { online: 'online', client };
  const logs: Rig['logs'] = [];
  const log = loggerOver((level, fields, message) => logs.push({ level, message, fields }), () => undefined);
  const progress: Rig['progress'] = [];
  const saga = new RefundSaga({
    db, store, outbox: new Outbox(db), printer: w.till.printer, log,
    finder: new SaleFinder(() => [lifePaySource(() => client)], new SeenSales(db), store, log),
    regos: () => null,
    regosReachable: () => Promise.resolve('offline'),
    lifeposOnline: () => 'offline',
    cashierName: () => 'Петрова И.',
    regosVatMode: () => 'ratePercentTimes100',
    progress: (id, state, message, coded) => progress.push({ id, state, message, ...(coded ? { coded } : {}) }),
    lifepay: () => link.client,
    lifepayOnline: () => link.online,
  });
  cleanups.push(async () => {
    await saga.idle();
    if (db.open) db.close();
  });
  return { ...w, db, saga, store, progress, link, logs, wire };
}

const confirm = (r: Rig, id: string, lines = ONE_CREAM): Promise<Refund> => r.saga.confirm({ refundId: id, sale: SALE, lines, cardRrns: {} });
const createCalls = (pay: LifePayEmulator) => pay.requests.filter((q) => q.path === '/cloud-print/create-receipt').length;
const cloudRefunds = (pay: LifePayEmulator) => pay.state.transactions.filter((t) => t.type === 'refund');
/** Receipts the till's ФН fiscalized (the till printed no sale: each is a refund receipt). */
const printedHere = (till: Till) => till.fiscal.device.model.snapshot.documents.filter((d) => d.type === 3);
/** Whether all three creams are refundable (a refund proven not made gave its cream back). */
const allCreamsFree = (r: Rig): Promise<boolean> => r.saga.preview(SALE, [{ lineId: `${PAYMENT}:0`, quantityMilli: 3000 }]).then(() => true, () => false);
/** The hand-overs to the printer the cashier was shown, and the sentence they say. */
const handOvers = (r: Rig) => r.progress.filter((p) => p.message.startsWith('LIFE PAY не фискализировал чек'));
const handedOver = (why: string) => `LIFE PAY не фискализировал чек (${why}): чек возврата печатает принтер этой кассы.`;
const cloudOff = (r: Rig) => r.saga.preview(SALE, ONE_CREAM).then((p) => p.notices.some((n) => n.text.startsWith('Облачная касса LIFE PAY недоступна')));

/** The app closed and started again: recovery settles the refund from LIFE PAY's list, nothing sent twice or printed here. */
async function settledAfterRestart(w: World, r: Rig, id: string): Promise<Rig> {
  await r.saga.idle();
  r.db.close();
  const again = app(w);
  await again.saga.recoverPending();
  const [tx] = cloudRefunds(w.pay);
  expect(again.store.require(id)).toMatchObject({ state: 'synced', recovered: 'restart', fiscal: { receiptNo: tx?.uuid } });
  expect(createCalls(w.pay)).toBe(1);
  expect(printedHere(w.till)).toEqual([]);
  return again;
}

describe('LIFE PAY cloud channel', () => {
  it('LIFE PAY answers: synced with the cloud receipt, one create-receipt, nothing printed here; a copy is LIFE PAY\'s to give', async () => {
    const r = app(await world());
    expect((await r.saga.preview(SALE, ONE_CREAM)).notices).toContainEqual({ text: 'Чек возврата фискализирует облачная касса LIFE PAY: возврат увидят все кассы.' });
    const refund = await confirm(r, 'p-1');
    const [tx] = cloudRefunds(r.pay);
    expect(refund).toMatchObject({ state: 'synced', fiscal: { number: 0, receiptNo: tx?.uuid, fiscalSign: '' } });
    expect(Date.parse(refund.fiscal?.dateTime ?? '')).not.toBeNaN();
    expect(tx).toMatchObject({ ext_id: `${PAYMENT}/p-1`, purchase: { products: [{ name: 'Крем для рук', quantity: 1000 }] } });
    expect(createCalls(r.pay)).toBe(1);
    expect(printedHere(r.till)).toEqual([]);
    expect(r.progress.map((p) => [p.state, p.message])).toEqual([
      ['fiscalizing', 'Облачная касса LIFE PAY фискализирует чек возврата…'],
      ['synced', 'Чек возврата фискализирован облачной кассой LIFE PAY: возврат виден на всех кассах.'],
    ]);
    const copy = await r.saga.reprint('p-1').catch((e: unknown) => e);
    expect(isAppError(copy) && { code: copy.code, message: copy.message, retry: copy.retry }).toEqual({
      code: 'refund.cloud_copy', message: 'Чек этого возврата фискализировала облачная касса LIFE PAY: копию чека найдите в личном кабинете LIFE PAY.', retry: 'permanent',
    });
    // LIFE PAY's list now carries the refund, so the sale shows 2 creams left (every till reads the same).
    expect(await allCreamsFree(r)).toBe(false);
    expect((await r.saga.preview(SALE, [{ lineId: `${PAYMENT}:0`, quantityMilli: 2000 }])).lines).toHaveLength(1);
  });

  it('answer lost after LIFE PAY made the receipt: settled from LIFE PAY\'s list (asked from the day before), never sent twice', async () => {
    const r = app(await world());
    r.pay.faults.loseResponseNext(1, { pathIncludes: '/cloud-print/create-receipt' });
    const refund = await confirm(r, 'p-lost');
    const [tx] = cloudRefunds(r.pay);
    expect(refund).toMatchObject({ state: 'synced', fiscal: { number: 0, receiptNo: tx?.uuid, dateTime: tx?.created.replace(' ', 'T') } });
    expect(createCalls(r.pay)).toBe(1);
    // The read-back (the last list asked) starts at a midnight 24 to 48 hours before the refund: no time zone hides it.
    const from = r.wire.sent.filter((u) => u.pathname === '/v1/transactions').at(-1)?.searchParams.get('from') ?? '';
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
    const ahead = Date.parse(refund.createdAt) - Date.parse(`${from.replace(' ', 'T')}Z`);
    expect(ahead).toBeGreaterThanOrEqual(86_400_000);
    expect(ahead).toBeLessThan(2 * 86_400_000);
    expect(cloudRefunds(r.pay)).toHaveLength(1);
    expect(printedHere(r.till)).toEqual([]);
  });

  for (const [what, fault] of [
    ['request cut before LIFE PAY handled it', (p: LifePayEmulator) => p.faults.dropNext(1, { pathIncludes: '/cloud-print/create-receipt' })],
    ['HTTP 500 (a 5xx after a write may have done its work)', (p: LifePayEmulator) => p.faults.failNext(1, { status: 500, match: { pathIncludes: '/cloud-print/create-receipt' } })],
    ['HTTP 408 (a time-out: the request may have been handled)', (p: LifePayEmulator) => p.faults.failNext(1, { status: 408, match: { pathIncludes: '/cloud-print/create-receipt' } })],
    ['HTTP 300 (only a 4xx is a refusal)', (p: LifePayEmulator) => p.faults.failNext(1, { status: 300, match: { pathIncludes: '/cloud-print/create-receipt' } })],
  ] as const) {
    it(`${what}: LIFE PAY lists nothing, so review ("do not punch it again"), not a resend and not a local print`, async () => {
      const r = app(await world());
      fault(r.pay);
      expect(await confirm(r, `p-${what.slice(0, 8)}`)).toMatchObject({ state: 'review', reason: LIFEPAY_UNKNOWN });
      expect(createCalls(r.pay)).toBe(1);
      expect(cloudRefunds(r.pay)).toEqual([]);
      expect(printedHere(r.till)).toEqual([]);
      // The refund holds its cream: it may yet be in the cloud.
      expect(await allCreamsFree(r)).toBe(false);
    });
  }

  it('answer lost and the list cannot be read: it waits (said once), is never sent again, and the recheck after a restart settles it', async () => {
    const w = await world();
    const r = app(w);
    await r.saga.preview(SALE, ONE_CREAM);
    // The sale's own look-up at confirm takes the first 503 (it falls back to the till's record), the read-backs the rest.
    r.pay.faults.loseResponseNext(1, { pathIncludes: '/cloud-print/create-receipt' });
    r.pay.faults.failNext(3, { status: 503, match: { pathIncludes: '/v1/transactions' } });
    expect(await confirm(r, 'p-wait')).toMatchObject({ state: 'fiscalizing', reason: LIFEPAY_WAITS });
    const cancel = await Promise.resolve().then(() => r.saga.cancel('p-wait')).catch((e: unknown) => e);
    expect(isAppError(cancel) && cancel.code).toBe('refund.not_cancellable');
    // "Повторить" at the counter asks the list again (it fails again): still waiting, said once, no resend.
    expect(await confirm(r, 'p-wait')).toMatchObject({ state: 'fiscalizing', reason: LIFEPAY_WAITS });
    expect(r.progress.filter((p) => p.message === LIFEPAY_WAITS)).toHaveLength(1);
    expect(printedHere(r.till)).toEqual([]);
    const again = await settledAfterRestart(w, r, 'p-wait');
    expect(again.saga.recovered().map((x) => x.id)).toEqual(['p-wait']);
  });

  it('request cut, then the list unreadable at the counter: it waits; the recheck finds no refund of ours, so review', async () => {
    const r = app(await world());
    await r.saga.preview(SALE, ONE_CREAM);
    r.pay.faults.dropNext(1, { pathIncludes: '/cloud-print/create-receipt' });
    r.pay.faults.dropNext(2, { pathIncludes: '/v1/transactions' });
    expect((await confirm(r, 'p-recheck')).state).toBe('fiscalizing');
    await r.saga.recoverPending();
    expect(r.store.require('p-recheck')).toMatchObject({ state: 'review', reason: LIFEPAY_UNKNOWN, recovered: 'background' });
    expect(createCalls(r.pay)).toBe(1);
    expect(printedHere(r.till)).toEqual([]);
  });

  describe('LIFE PAY proves it fiscalized nothing: the same refund prints on this till\'s printer, once', () => {
    it('6080 "cloud print is not allowed": printed here, and LIFE PAY is not asked again for an hour', async () => {
      const r = app(await world());
      await fetch(`${r.pay.controlUrl}/__control/cloud-print`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }) });
      expect(await cloudOff(r)).toBe(false);
      const refund = await confirm(r, 'p-6080');
      // LIFE PAY said no: it is asked nothing more about this refund (the printer prints from the sale already read).
      expect(r.wire.sent.map((u) => u.pathname).slice(-1)).toEqual(['/cloud-print/create-receipt']);
      expect(refund.state).toBe('synced');
      const printed = printedHere(r.till);
      expect(printed).toHaveLength(1);
      expect(refund.fiscal?.number).toBe(printed[0]?.number);
      // Told in LIFE PAY's words (seed 001's 6080), as text and as the code the UI says in its language.
      const said = 'В LIFE PAY отключена удалённая (облачная) фискализация. Администратору: обратитесь в службу поддержки LIFE PAY, чтобы подключить эту услугу.';
      expect(handOvers(r)).toStrictEqual([{
        id: 'p-6080', state: 'confirmed', message: handedOver(said),
        coded: { code: 'lifepay.handedOver', params: { why: { kind: 'refused', error: { code: 'lifepay.6080', message: said } } } },
      }]);
      expect(cloudRefunds(r.pay)).toEqual([]);
      // Printed here, so its copy is this printer's to give.
      await r.saga.reprint('p-6080');
      // The tariff's answer stands for an hour: the next refund goes straight to the printer.
      expect(await cloudOff(r)).toBe(true);
      expect((await confirm(r, 'p-6080-b')).state).toBe('synced');
      expect(createCalls(r.pay)).toBe(1);
      expect(printedHere(r.till)).toHaveLength(2);
    });

    for (const [what, fault] of [
      ['HTTP 400 (a refusal)', (p: LifePayEmulator) => p.faults.failNext(1, { status: 400, match: { pathIncludes: '/cloud-print/create-receipt' } })],
      ['HTTP 499 (a refusal)', (p: LifePayEmulator) => p.faults.failNext(1, { status: 499, match: { pathIncludes: '/cloud-print/create-receipt' } })],
      ['connection refused (nothing left the till)', (p: LifePayEmulator) => p.faults.setOffline(true)],
    ] as const) {
      it(`${what}: printed here once, nothing in the cloud, the cloud still wanted for the next refund`, async () => {
        const r = app(await world());
        expect(await cloudOff(r)).toBe(false);
        await fault(r.pay);
        const refund = await confirm(r, 'p-refused');
        expect(refund.state).toBe('synced');
        expect(printedHere(r.till)).toHaveLength(1);
        expect(cloudRefunds(r.pay)).toEqual([]);
        await r.pay.faults.setOffline(false);
        expect(await cloudOff(r)).toBe(false);
      });
    }

    it('429 "too often": printed here; during LIFE PAY\'s pause the next refund is printed here without a request', async () => {
      const r = app(await world());
      r.pay.faults.rateLimitNext(1, 60, { pathIncludes: '/cloud-print/create-receipt' });
      expect((await confirm(r, 'p-429')).state).toBe('synced');
      expect(createCalls(r.pay)).toBe(1);
      expect((await confirm(r, 'p-429-b')).state).toBe('synced');
      expect(createCalls(r.pay)).toBe(1);
      expect(printedHere(r.till)).toHaveLength(2);
      expect(cloudRefunds(r.pay)).toEqual([]);
    });

    it('the printer off at the hand-over: the refund waits proven not printed (confirmed), may be cancelled, and LIFE PAY is not asked again', async () => {
      const r = app(await world());
      r.pay.faults.failNext(1, { status: 400, match: { pathIncludes: '/cloud-print/create-receipt' } });
      r.till.fiscal.device.link.powerOff();
      expect(await confirm(r, 'p-off')).toMatchObject({ state: 'confirmed' });
      await r.saga.recoverPending();
      expect(createCalls(r.pay)).toBe(1);
      expect(r.saga.cancel('p-off').state).toBe('failed');
      r.till.fiscal.device.link.powerOn();
      expect(printedHere(r.till)).toEqual([]);
      expect(await allCreamsFree(r)).toBe(true);
    });
  });

  it('LIFE PAY not configured on this till: the preview says the printer prints it, and it does, with nothing sent to LIFE PAY', async () => {
    const r = app(await world());
    r.link.client = null;
    expect(await cloudOff(r)).toBe(true);
    expect((await confirm(r, 'p-none')).state).toBe('synced');
    // Straight to the printer: never recorded as the cloud's, never "handed over".
    expect(r.progress.filter((p) => p.message.includes('LIFE PAY'))).toEqual([]);
    expect(createCalls(r.pay)).toBe(0);
    expect(printedHere(r.till)).toHaveLength(1);
  });

  it('the refund\'s log tells support its story: the send, the lost answer, the unread list, the read-back that settled it', async () => {
    const w = await world();
    const r = app(w);
    await r.saga.preview(SALE, ONE_CREAM);
    r.pay.faults.loseResponseNext(1, { pathIncludes: '/cloud-print/create-receipt' });
    r.pay.faults.failNext(2, { status: 503, match: { pathIncludes: '/v1/transactions' } });
    await confirm(r, 'p-story');
    await r.saga.recoverPending();
    const [tx] = cloudRefunds(w.pay);
    const story = r.logs.filter((l) => l.fields.refundId === 'p-story' && l.message.includes('LIFE PAY'));
    expect(story).toEqual([
      { level: 'info', message: 'sending the refund to LIFE PAY cloud fiscalization', fields: { refundId: 'p-story', extId: `${PAYMENT}/p-story`, totalMinor: r.store.require('p-story').totalMinor, by: 'counter' } },
      { level: 'warn', message: 'LIFE PAY create-receipt failed', fields: { refundId: 'p-story', code: expect.stringMatching(/^lifepay\./), retry: 'unknown-outcome' } },
      { level: 'warn', message: 'LIFE PAY transactions not read; the refund waits', fields: { refundId: 'p-story', error: expect.stringMatching(/^lifepay\./), by: 'counter' } },
      { level: 'info', message: 'LIFE PAY cloud refund fiscalized', fields: { refundId: 'p-story', uuid: tx?.uuid, by: 'recovery' } },
    ]);
  });

  it('the log says why a refund went to review (our ext_id not in LIFE PAY\'s list) and why one went to the printer', async () => {
    const r = app(await world());
    r.pay.faults.dropNext(1, { pathIncludes: '/cloud-print/create-receipt' });
    await confirm(r, 'p-why');
    r.pay.faults.failNext(1, { status: 400, match: { pathIncludes: '/cloud-print/create-receipt' } });
    await confirm(r, 'p-why-2', [{ lineId: `${PAYMENT}:1`, quantityMilli: 1000 }]);
    const review = r.logs.find((l) => l.fields.refundId === 'p-why' && l.message === 'refund needs review');
    expect(review?.fields.detail).toBe(`no refund transaction with ext_id ${PAYMENT}/p-why in LIFE PAY's list after a lost answer`);
    const handed = r.logs.filter((l) => l.fields.refundId === 'p-why-2' && l.message === 'LIFE PAY cloud refused; printing locally');
    expect(handed).toEqual([{ level: 'warn', message: 'LIFE PAY cloud refused; printing locally', fields: { refundId: 'p-why-2', why: expect.stringMatching(/.+/), by: 'counter' } }]);
  });

  for (const source of ['lifepos', 'local'] as const) {
    it(`LIFE PAY configured and online: a ${source} sale's refund is printed on this till's printer and LIFE PAY gets no request`, async () => {
      const r = app(await world());
      const ref: SaleRef = { source, id: `${source}-sale-1` };
      const line = { lineId: `${ref.id}:0`, name: 'Мыло', priceMinor: 5_000, quantityMilli: 1_000, amountMinor: 5_000, vat: 'vat20' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const, refundedMilli: 0, refundedMinor: 0, refundableMilli: 1_000 };
      const sale: Sale = {
        ref, number: 'А-7', createdAt: '2026-12-01T10:00:00Z', currency: 'RUB', totalMinor: 5_000, lines: [line],
        payments: [{ paymentPartId: `${ref.id}-cash`, saleSessionId: `${ref.id}-session`, kind: 'cash', typeOf: 'Cash', amountMinor: 5_000, refundedMinor: 0 }], remainderFromLocalOnly: false,
      };
      new SeenSales(r.db).remember({ sale, knownToServer: new Set() });
      expect(await cloudOff(r)).toBe(false);
      const refund = await r.saga.confirm({ refundId: `p-${source}`, sale: ref, lines: [{ lineId: line.lineId, quantityMilli: 1_000 }], cardRrns: {} });
      expect(refund.fiscal?.number).toBe(printedHere(r.till)[0]?.number);
      expect(printedHere(r.till)).toHaveLength(1);
      expect(r.pay.requests.filter((q) => q.path.startsWith('/cloud-print'))).toEqual([]);
      expect(cloudRefunds(r.pay)).toEqual([]);
    });
  }

  it('LIFE PAY seen offline by the monitor: the refund is printed here and LIFE PAY is not asked', async () => {
    const r = app(await world());
    r.link.online = 'offline';
    expect(await cloudOff(r)).toBe(true);
    expect((await confirm(r, 'p-offline')).state).toBe('synced');
    expect(createCalls(r.pay)).toBe(0);
    expect(printedHere(r.till)).toHaveLength(1);
  });
});

/** A cash payment of a test's own, made half an hour ago (products at the 22 % rate, full payment, goods). */
function payment(uuid: string, amount: number, products: Array<{ name: string; price: number; quantity: number }>): StoredTransaction {
  return {
    uuid, number: uuid.slice(-4), type: 'payment', status: 'success', created: lifePayTime(new Date(Date.now() - 30 * 60_000)), amount, method: 'cash',
    employee: 'Петров Алексей', rrn: null, ext_id: null,
    purchase: { products: products.map((p) => ({ ...p, tax: 'vat22' as const, type: 4, item_type: 1 })) },
  };
}

/** The whole of a test payment back. */
const refundAll = (r: Rig, id: string, t: StoredTransaction): Promise<Refund> => r.saga.confirm({
  refundId: id, sale: { source: 'lifepay', id: t.uuid }, cardRrns: {},
  lines: (t.purchase?.products ?? []).map((p, i) => ({ lineId: `${t.uuid}:${i}`, quantityMilli: p.quantity })),
});

describe('LIFE PAY cloud channel: why a refund went to the printer, and the edges of what LIFE PAY is trusted with (issue 11 point 7)', () => {
  it('LIFE PAY switched off in the settings while the refund was confirmed: printed here, the cashier told so (text and code), no receipt sent to LIFE PAY', async () => {
    const r = app(await world());
    // The cloud was chosen; the setting changes during the sale's look-up that follows.
    r.wire.before = () => {
      r.link.client = null;
    };
    const refund = await confirm(r, 'p-unset');
    expect(refund.state).toBe('synced');
    expect(printedHere(r.till).map((d) => d.number)).toEqual([refund.fiscal?.number]);
    expect(createCalls(r.pay)).toBe(0);
    expect(handOvers(r)).toStrictEqual([{
      id: 'p-unset', state: 'confirmed', message: handedOver('LIFE PAY не подключён'), coded: { code: 'lifepay.handedOver', params: { why: { kind: 'notConnected' } } },
    }]);
  });

  it('a weighed line no cloud price fits (2.5 kg for 9.99 ₽): printed here, the cashier told why (text and code), no receipt sent to LIFE PAY', async () => {
    const apples = payment('a1f0c3de-0009-4c1b-8f00-00000000lp09', 999, [{ name: 'Яблоки, кг', price: 400, quantity: 2500 }]);
    const r = app(await world([apples]));
    const refund = await refundAll(r, 'p-kg', apples);
    expect(refund).toMatchObject({ state: 'synced', totalMinor: 999 });
    expect(printedHere(r.till).map((d) => d.number)).toEqual([refund.fiscal?.number]);
    expect(createCalls(r.pay)).toBe(0);
    expect(handOvers(r)).toStrictEqual([{
      id: 'p-kg', state: 'confirmed', message: handedOver('для весового товара нет цены, которая даёт сумму строки точно до копейки'), coded: { code: 'lifepay.handedOver', params: { why: { kind: 'noExactPrice' } } },
    }]);
  });

  it('a line at Uzbekistan\'s 12 % VAT, a rate LIFE PAY\'s cloud receipt lacks: the cashier is told that is why (text and code), no receipt sent to LIFE PAY nor printed here', async () => {
    const pens = payment('a1f0c3de-0011-4c1b-8f00-00000000lp11', 1_200, [{ name: 'Ручка', price: 1_200, quantity: 1000 }]);
    const r = app(await world([{ ...pens, purchase: { products: (pens.purchase?.products ?? []).map((p) => ({ ...p, tax: 'vat12' as const })) } }]));
    const refund = await refundAll(r, 'p-uz', pens);
    expect(createCalls(r.pay)).toBe(0);
    // The Russian printer has no such rate either: nothing is fiscalized anywhere, and the printer says why.
    expect(refund).toMatchObject({ state: 'failed', reasonText: { code: 'printer.notPrinted', params: { error: { code: 'FISCAL_VAT_RATE' } } } });
    expect(printedHere(r.till)).toEqual([]);
    expect(handOvers(r)).toStrictEqual([{
      id: 'p-uz', state: 'confirmed', message: handedOver('в облачном чеке LIFE PAY нет ставки НДС Узбекистана'), coded: { code: 'lifepay.handedOver', params: { why: { kind: 'noVatRate' } } },
    }]);
  });

  it('LIFE PAY refuses a refund of 101 positions: the printer prints it in the two receipts planned when it was recorded', async () => {
    const cards = payment('a1f0c3de-0010-4c1b-8f00-00000000lp10', 101 * 5_000, Array.from({ length: 101 }, (_, i) => ({ name: `Открытка № ${i + 1}`, price: 5_000, quantity: 1000 })));
    const r = app(await world([cards]));
    r.pay.faults.failNext(1, { status: 400, match: { pathIncludes: '/cloud-print/create-receipt' } });
    const refund = await refundAll(r, 'p-101', cards);
    expect(refund.state).toBe('synced');
    expect(createCalls(r.pay)).toBe(1);
    expect(refund.receipts?.map((x) => x.number)).toEqual(printedHere(r.till).map((d) => d.number));
    expect(printedHere(r.till)).toHaveLength(2);
  });

  it('6080 stands for exactly an hour: at 59:59.999 LIFE PAY refunds still go to the printer, at 60:00 the cloud is asked again', async () => {
    const r = app(await world());
    await fetch(`${r.pay.controlUrl}/__control/cloud-print`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }) });
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: t0 });
    cleanups.push(() => void vi.useRealTimers());
    expect((await confirm(r, 'p-hour')).state).toBe('synced');
    vi.setSystemTime(t0 + 3_600_000 - 1);
    expect(await cloudOff(r)).toBe(true);
    vi.setSystemTime(t0 + 3_600_000);
    expect(await cloudOff(r)).toBe(false);
  });

  it('LIFE PAY numbers the refund with more than the 64 characters a receipt number keeps: cut to 64, the refund settled and readable', async () => {
    const r = app(await world());
    const long = `LP-${'7'.repeat(77)}`;
    r.pay.faults.loseResponseNext(1, { pathIncludes: '/cloud-print/create-receipt' });
    r.wire.before = (url) => {
      const [tx] = cloudRefunds(r.pay);
      if (url.pathname === '/v1/transactions' && tx) tx.number = long;
    };
    expect(await confirm(r, 'p-long')).toMatchObject({ state: 'synced', fiscal: { number: 0, receiptNo: long.slice(0, 64) } });
    expect(createCalls(r.pay)).toBe(1);
    expect(printedHere(r.till)).toEqual([]);
  });

  it('another app on this database judged the refund while its create-receipt was on the way: LIFE PAY\'s late refusal neither prints it nor tells the cashier the printer will', async () => {
    const w = await world();
    const a = app(w);
    const b = app(w);
    w.pay.faults.failNext(1, { status: 400, match: { pathIncludes: '/cloud-print/create-receipt' } });
    a.wire.before = async (url) => {
      if (url.pathname === '/cloud-print/create-receipt') await b.saga.recoverPending();
    };
    expect(await confirm(a, 'p-two')).toMatchObject({ state: 'review', reason: LIFEPAY_UNKNOWN });
    expect(handOvers(a)).toEqual([]);
    expect(a.logs.filter((l) => l.message === 'LIFE PAY cloud refused; printing locally')).toEqual([]);
    expect(printedHere(w.till)).toEqual([]);
    expect(createCalls(w.pay)).toBe(1);
  });

  it('LIFE PAY unconfigured while a refund waits for its list: it keeps waiting (never printed here), and the log says LIFE PAY is not configured', async () => {
    const r = app(await world());
    await r.saga.preview(SALE, ONE_CREAM);
    r.pay.faults.loseResponseNext(1, { pathIncludes: '/cloud-print/create-receipt' });
    r.pay.faults.failNext(2, { status: 503, match: { pathIncludes: '/v1/transactions' } });
    expect(await confirm(r, 'p-unset-wait')).toMatchObject({ state: 'fiscalizing', reason: LIFEPAY_WAITS });
    r.link.client = null;
    await r.saga.recoverPending();
    expect(r.store.require('p-unset-wait')).toMatchObject({ state: 'fiscalizing', reason: LIFEPAY_WAITS });
    expect(r.logs.filter((l) => l.fields.refundId === 'p-unset-wait' && l.message === 'LIFE PAY transactions not read; the refund waits').at(-1))
      .toEqual({ level: 'warn', message: 'LIFE PAY transactions not read; the refund waits', fields: { refundId: 'p-unset-wait', error: 'Error: LIFE PAY is not configured', by: 'recovery' } });
    expect(r.progress.filter((p) => p.message === LIFEPAY_WAITS)).toHaveLength(1);
    expect(createCalls(r.pay)).toBe(1);
    expect(printedHere(r.till)).toEqual([]);
  });
});

describe('LIFE PAY cloud channel: only LIFE PAY\'s own answer is judged as its refusal (issue 11 point 7)', () => {
  it('LIFE PAY fiscalized the refund but this till\'s database refused to record it: not taken for LIFE PAY\'s refusal (no hand-over, nothing printed here), and the restart settles it from LIFE PAY\'s list', async () => {
    const w = await world();
    const r = app(w);
    // The disk turns read-only while LIFE PAY fiscalizes: SQLITE_READONLY, a permanent storage error.
    r.wire.before = (url) => {
      if (url.pathname === '/cloud-print/create-receipt') r.db.pragma('query_only = ON');
    };
    const failed = await confirm(r, 'p-ro').catch((e: unknown) => e);
    expect(isAppError(failed) && failed.code).toBe('QUEUE_DB_CANT_OPEN');
    expect(r.logs.filter((l) => l.fields.refundId === 'p-ro' && l.message.includes('LIFE PAY')).map((l) => l.message)).toEqual(['sending the refund to LIFE PAY cloud fiscalization']);
    expect(r.wire.sent.map((u) => u.pathname).slice(-1)).toEqual(['/cloud-print/create-receipt']);
    expect(handOvers(r)).toEqual([]);
    await settledAfterRestart(w, r, 'p-ro');
  });
});
