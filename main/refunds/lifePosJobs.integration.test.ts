import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLifePosEmulator, type LifePosEmulator } from '../../emulators/lifepos/server';
import { tempDir } from '../../test/queue/tempDir';
import { DEAL_CASH, milkRefund } from '../../test/support/lifePosRefunds';
import { LifePosClient } from '../backends/lifepos/lifePosClient';
import type { Session } from '../backends/lifepos/schemas';
import { AppError } from '../appError';
import { openDatabase, type Database } from '../queue/database';
import { Outbox } from '../queue/outbox';
import { OutboxWorker } from '../queue/worker';
import type { OverlapCheck } from './overlap/lifePosOverlapCheck';
import { jobKey, LIFEPOS_JOB, lifePosJobKinds, refundIdOfJobKey } from './lifePosJobs';

/**
 * Issue 11 point 3 on a real SQLite file and real HTTP: a LIFE POS create whose first answer was lost,
 * buried, and retried by hand (after a restart of the app) must look for its session by external_id
 * before creating: exactly one session. The emulator is permissive about repeated external_ids (seed 000
 * never says LIFE POS refuses them), so a create sent blindly would make a second session.
 */
let emu: LifePosEmulator;
let tmp: ReturnType<typeof tempDir>;
let client: LifePosClient;
const open: { db: Database; worker: OutboxWorker }[] = [];

beforeEach(async () => {
  emu = await startLifePosEmulator();
  tmp = tempDir('lifepos-jobs-');
  client = new LifePosClient({
    baseUrl: emu.url, orgGuid: emu.orgGuid, token: emu.token, clientId: 'refund-cashier-test', clientType: 'App', language: 'ru-RU', timeoutMs: 10_000,
  });
});

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.worker.stop();
    o.db.close();
  }
  await emu.close();
  tmp.remove();
});

/** One run of the app's outbox on the database file. */
function app(hooks: { onSynced?: (refundId: string) => void; afterCreate?: OverlapCheck; clock?: () => number; dealStatusNow?: () => 'Refunded' | 'PartiallyRefunded' } = {}): { db: Database; outbox: Outbox; worker: OutboxWorker; close: () => Promise<void> } {
  const db = openDatabase(tmp.file('cashier.db'));
  const kinds = lifePosJobKinds(() => client, hooks.onSynced ?? (() => undefined), hooks.afterCreate, hooks.dealStatusNow);
  const outbox = new Outbox(db, { kinds, clock: hooks.clock });
  const worker = new OutboxWorker({ outbox, kinds, schedule: [10], clock: hooks.clock });
  const entry = { db, worker };
  open.push(entry);
  return {
    db,
    outbox,
    worker,
    close: async () => {
      open.splice(open.indexOf(entry), 1);
      await worker.stop();
      db.close();
    },
  };
}

/** The job a fiscalized refund starts first (refundSaga): create the reversal session on the cash basket. */
function enqueueCreate(outbox: Outbox, refundId: string, maxAttempts?: number) {
  return outbox.enqueue({
    kind: LIFEPOS_JOB.create, backend: 'lifepos', idempotencyKey: jobKey(refundId, 'create'),
    payload: { dealGuid: DEAL_CASH, body: milkRefund(refundId) }, ...(maxAttempts ? { maxAttempts } : {}),
  });
}

async function sessionsWith(externalId: string): Promise<Session[]> {
  const found: Session[] = [];
  for await (const s of client.sessions(DEAL_CASH, { selection: 'all' })) if (s.external_id === externalId) found.push(s);
  return found;
}

const createPosts = () => emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sessions/reversal')).length;

describe('LIFE POS create job: lost first answer, then the cashier retries the dead job', () => {
  it('finds the session the lost attempt made, after a restart, and creates no second one', async () => {
    emu.faults.loseResponseNext(1, { method: 'POST', pathIncludes: '/sessions/reversal' });
    const first = app();
    const job = enqueueCreate(first.outbox, 'r-lost-1', 1);
    await first.worker.drain();
    expect(first.outbox.get(job.id)).toMatchObject({ state: 'dead', maybeSent: true });
    expect(await sessionsWith('r-lost-1')).toHaveLength(1);
    await first.close();

    const second = app();
    expect(second.outbox.retryDead(job.id)).toMatchObject({ attempts: 0, maybeSent: true });
    await second.worker.drain();
    const sessions = await sessionsWith('r-lost-1');
    expect(sessions).toHaveLength(1);
    expect(second.outbox.get(job.id)).toMatchObject({ state: 'done', result: { sessionGuid: sessions[0]?.guid } });
    expect(createPosts()).toBe(1);
  });

  it('creates the session on the retry when the lost attempt never reached the server', async () => {
    // Dropped before handling: nothing was made, so the look-up finds nothing and the retry creates it.
    emu.faults.dropNext(1, { method: 'POST', pathIncludes: '/sessions/reversal' });
    const run = app();
    const job = enqueueCreate(run.outbox, 'r-drop-1', 1);
    await run.worker.drain();
    expect(run.outbox.get(job.id)?.state).toBe('dead');
    expect(await sessionsWith('r-drop-1')).toHaveLength(0);
    run.outbox.retryDead(job.id);
    await run.worker.drain();
    expect(run.outbox.get(job.id)?.state).toBe('done');
    expect(await sessionsWith('r-drop-1')).toHaveLength(1);
  });

  it('sends nothing while the database refuses the create\'s maybe-sent mark (a power cut must not take it back), and creates once it is accepted', async () => {
    const run = app();
    const job = enqueueCreate(run.outbox, 'r-mark-1');
    // The disk refuses only the mark's own write (a running job updated and left running).
    run.db.exec(`CREATE TRIGGER refuse_mark BEFORE UPDATE ON outbox_jobs WHEN OLD.state = 'running' AND NEW.state = 'running'
                 BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);
    run.worker.on('error', () => undefined);
    await expect(run.worker.drain()).rejects.toMatchObject({ code: expect.stringMatching(/^QUEUE_/) });
    expect(emu.requests).toHaveLength(0);
    run.db.exec('DROP TRIGGER refuse_mark');
    run.worker.retryStorageNow();
    await run.worker.drain();
    expect(run.outbox.get(job.id)?.state).toBe('done');
    expect(await sessionsWith('r-mark-1')).toHaveLength(1);
    expect(createPosts()).toBe(1);
  });

  it('sends a job that never started without a look-up first', async () => {
    const run = app();
    enqueueCreate(run.outbox, 'r-plain-1');
    await run.worker.drain();
    expect(emu.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
    expect(await sessionsWith('r-plain-1')).toHaveLength(1);
  });
});

describe('LIFE POS jobs of one refund, in order (seed 000: create the reversal session, add the receipt, change the deal status)', () => {
  const RECEIPT = { fiscal_document_number: 17, fiscal_sign: '3522086642', issued_at: '2026-12-01T10:15:00', total_sum: { value: 8990, currency: 'RUB' } };

  /** The chain printerChannel enqueues once a LIFE POS refund is printed. */
  function enqueueChain(outbox: Outbox, refundId: string): void {
    const create = enqueueCreate(outbox, refundId);
    const receipt = outbox.enqueue({ kind: LIFEPOS_JOB.receipt, backend: 'lifepos', idempotencyKey: jobKey(refundId, 'receipt'), dependsOn: create.idempotencyKey, payload: { dealGuid: DEAL_CASH, receipt: RECEIPT } });
    outbox.enqueue({ kind: LIFEPOS_JOB.status, backend: 'lifepos', idempotencyKey: jobKey(refundId, 'status'), dependsOn: receipt.idempotencyKey, payload: { dealGuid: DEAL_CASH, refundId, paymentStatus: 'PartiallyRefunded' } });
  }

  it('the receipt lands on the session the create made, the deal turns PartiallyRefunded, and only then is the refund synced', async () => {
    // What LIFE POS showed at the moment the refund was marked synced.
    const synced: Array<[string, string | undefined]> = [];
    const checked: Array<[string, string]> = [];
    const run = app({
      onSynced: (id) => synced.push([id, emu.state.deals.get(DEAL_CASH)?.payment_status]),
      afterCreate: (deal, externalId) => {
        checked.push([deal, externalId]);
        return Promise.resolve();
      },
    });
    enqueueChain(run.outbox, 'r-chain-1');
    await run.worker.drain();
    const [session] = await sessionsWith('r-chain-1');
    expect(session?.receipt).toMatchObject(RECEIPT);
    expect(emu.state.deals.get(DEAL_CASH)?.payment_status).toBe('PartiallyRefunded');
    expect(synced).toEqual([['r-chain-1', 'PartiallyRefunded']]);
    expect(checked).toEqual([[DEAL_CASH, 'r-chain-1']]);
    const job = (step: keyof typeof LIFEPOS_JOB) => run.outbox.get(jobKey('r-chain-1', step));
    expect(job('create')).toMatchObject({ state: 'done', result: { sessionGuid: session?.guid } });
    expect(job('receipt')).toMatchObject({ state: 'done', result: { sessionGuid: session?.guid } });
    expect(job('status')).toMatchObject({ state: 'done', result: { paymentStatus: 'PartiallyRefunded' } });
  });

  it('a partial refund\'s status that arrives after the last refund\'s never takes the deal back from Refunded', async () => {
    // What the till counts for the deal when a status job runs (printerChannel counts the same at print).
    let counted: 'Refunded' | 'PartiallyRefunded' = 'PartiallyRefunded';
    const run = app({ dealStatusNow: () => counted });
    const status = (refundId: string, paymentStatus: 'Refunded' | 'PartiallyRefunded') =>
      run.outbox.enqueue({ kind: LIFEPOS_JOB.status, backend: 'lifepos', idempotencyKey: jobKey(refundId, 'status'), payload: { dealGuid: DEAL_CASH, refundId, paymentStatus } });
    status('r-first', 'PartiallyRefunded');
    await run.worker.drain();
    expect(emu.state.deals.get(DEAL_CASH)?.payment_status).toBe('PartiallyRefunded');
    // The last refund takes the rest and goes through; an earlier partial one, printed before it, reaches
    // LIFE POS only now (its jobs were dead and retried by hand).
    counted = 'Refunded';
    status('r-last', 'Refunded');
    await run.worker.drain();
    status('r-early', 'PartiallyRefunded');
    await run.worker.drain();
    expect(emu.state.deals.get(DEAL_CASH)?.payment_status).toBe('Refunded');
    expect(run.outbox.get(jobKey('r-early', 'status'))).toMatchObject({ state: 'done', result: { paymentStatus: 'Refunded' } });
  });

  it('the read-back after create fails once: the create is retried and finds its session by external_id, never a second one', async () => {
    let reads = 0;
    let now = Date.now();
    const run = app({
      clock: () => now,
      afterCreate: () => {
        reads += 1;
        return reads === 1 ? Promise.reject(new AppError({ code: 'lifepos.unavailable', message: 'LIFE POS не ответил', retry: 'transient' })) : Promise.resolve();
      },
    });
    enqueueChain(run.outbox, 'r-reread-1');
    await run.worker.drain();
    expect(run.outbox.get(jobKey('r-reread-1', 'create'))).toMatchObject({ state: 'pending', maybeSent: true });
    now += 60_000;
    await run.worker.drain();
    expect(run.outbox.get(jobKey('r-reread-1', 'status'))?.state).toBe('done');
    expect(await sessionsWith('r-reread-1')).toHaveLength(1);
    expect(createPosts()).toBe(1);
    expect(reads).toBe(2);
    expect(emu.state.deals.get(DEAL_CASH)?.payment_status).toBe('PartiallyRefunded');
  });

  it('the sync panel finds the refund of each job by its key, and nothing in a key of another kind', () => {
    for (const step of ['create', 'receipt', 'status'] as const) expect(refundIdOfJobKey(jobKey('r-7f3a', step))).toBe('r-7f3a');
    expect(refundIdOfJobKey('lifepos.reversal.create')).toBeUndefined();
    expect(refundIdOfJobKey('shift:2026-12-01:close')).toBeUndefined();
    expect(refundIdOfJobKey('lifepay:refund:r-7f3a:notify')).toBeUndefined();
  });
});

/**
 * A LIFE POS that takes each request and never answers (a server stuck behind a proxy). When a job overruns
 * the worker's watchdog, its HTTP call must be cancelled then, not left open until the client's own 10 s
 * timeout: the next attempt (which looks for the session first) must not race a request still in flight,
 * and a till cannot gather open sockets (issue 11 point 7, StrykerJS survivors lifePosJobs.ts 59, 60, 71, 81).
 */
describe('a LIFE POS call still unanswered when its job overruns is cancelled at once', () => {
  const CANCELLED_WITHIN_MS = 3_000;

  async function stuckLifePos() {
    const seen: { method: string; path: string; cancelled: Promise<number>; at: number }[] = [];
    const server = createServer((req: IncomingMessage) => {
      const at = Date.now();
      seen.push({ method: req.method ?? '', path: req.url ?? '', at, cancelled: new Promise((resolve) => req.socket.once('close', () => resolve(Date.now() - at))) });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stuck = new LifePosClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, orgGuid: emu.orgGuid, token: emu.token, clientId: 'refund-cashier-test', clientType: 'App', language: 'ru-RU', timeoutMs: 10_000,
    });
    return {
      seen,
      stuck,
      close: () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  /** How long after it arrived each request's connection was closed by the till; fails past the bound. */
  async function cancelledAfter(request: { cancelled: Promise<number> } | undefined): Promise<number> {
    if (!request) throw new Error('the request never reached the server');
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open ${CANCELLED_WITHIN_MS} ms after it was sent`)), CANCELLED_WITHIN_MS);
    });
    try {
      return await Promise.race([request.cancelled, bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('create, the look-up before a second create, the receipt and the deal status: each cancelled when its job times out', async () => {
    const lifePos = await stuckLifePos();
    const db = openDatabase(tmp.file('stuck.db'));
    const kinds = lifePosJobKinds(() => lifePos.stuck, () => undefined);
    const outbox = new Outbox(db, { kinds });
    const worker = new OutboxWorker({ outbox, kinds, schedule: [10], jobTimeoutMs: 200 });
    open.push({ db, worker });
    try {
      const create = enqueueCreate(outbox, 'r-stuck-1', 2);
      const done = enqueueCreate(outbox, 'r-stuck-0');
      outbox.complete(done.id, JSON.stringify({ sessionGuid: 'session-0' }), Date.now());
      outbox.enqueue({ kind: LIFEPOS_JOB.receipt, backend: 'lifepos', idempotencyKey: jobKey('r-stuck-0', 'receipt'), dependsOn: done.idempotencyKey, maxAttempts: 1, payload: { dealGuid: DEAL_CASH, receipt: { fiscal_document_number: 1, fiscal_sign: '1', issued_at: '2026-12-01T10:15:00', total_sum: { value: 100, currency: 'RUB' } } } });
      outbox.enqueue({ kind: LIFEPOS_JOB.status, backend: 'lifepos', idempotencyKey: jobKey('r-stuck-0', 'status'), maxAttempts: 1, payload: { dealGuid: DEAL_CASH, refundId: 'r-stuck-0', paymentStatus: 'PartiallyRefunded' } });
      await worker.drain();

      expect(outbox.get(create.id)).toMatchObject({ state: 'dead', maybeSent: true });
      const sent = lifePos.seen.map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`);
      // One lane, but the retried create waits out its back-off while the receipt and status jobs run.
      expect(sent).toHaveLength(4);
      expect(sent).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^POST .*\/sessions\/reversal$/),
          expect.stringMatching(/^GET .*\/sessions$/),
          expect.stringMatching(/^PATCH .*\/sessions\/reversal\/session-0$/),
          expect.stringMatching(/^PATCH .*\/deals\/sales\/[^/]+$/),
        ]),
      );
      for (const request of lifePos.seen) expect(await cancelledAfter(request)).toBeLessThan(CANCELLED_WITHIN_MS);
    } finally {
      await lifePos.close();
    }
  });
});

