import { describe, expect, it } from 'vitest';
import { AppError } from '../appError';
import { deferred, FakeConnectivity, useQueueFixture, scriptedKind, statsWhere } from '../../test/queue/queueFixture';
import { caughtAppError, rejectionOf } from '../../test/support/caughtAppError';
import type { Connectivity, ConnectivityState, OutboxWorkerOptions } from './worker';

/**
 * The worker's life around its jobs (issue 11 point 7, the guards a mutation run found untested): what
 * it subscribes to and lets go of, what it refuses after stop(), how a lane rests after a refused write
 * and comes back by itself (even when the back end flaps meanwhile), what a job is told when damaged
 * stored data or a timeout ends it, and that drain() never takes a job another worker holds.
 */
const f = useQueueFixture();

const worker = (opts: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'kinds'>) => f.worker(opts);
const enqueue = (key: string, n: number, extra: { kind?: string; backend?: string; dependsOn?: string } = {}) =>
  f.outbox.enqueue({ kind: extra.kind ?? 'pos.call', backend: extra.backend ?? 'lifepos', payload: { n }, idempotencyKey: key, ...(extra.dependsOn ? { dependsOn: extra.dependsOn } : {}) });


/** Like the app's ConnectivityMonitor: `on` returns the unsubscribe function and there is no `off`. */
function functionConnectivity() {
  const listeners = new Set<(backend: string, state: ConnectivityState) => void>();
  const connectivity: Connectivity = {
    state: () => 'online',
    on: (_event, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { connectivity, listeners };
}

const refuseDone = () =>
  f.db.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE ON outbox_jobs WHEN NEW.state = 'done'
             BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);
const refuseReclaim = () =>
  f.db.exec(`CREATE TRIGGER refuse_reclaim BEFORE UPDATE ON outbox_jobs WHEN OLD.state = 'running' AND NEW.state = 'pending'
             BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);

describe('OutboxWorker subscriptions', () => {
  it('subscribes to connectivity once however often start() is called, and lets go at stop()', async () => {
    const connectivity = new FakeConnectivity();
    const w = worker({ kinds: [scriptedKind('pos.call', 'lifepos').def], connectivity });
    w.start();
    w.start();
    expect(connectivity.listenerCount('change')).toBe(1);
    await w.stop();
    expect(connectivity.listenerCount('change')).toBe(0);
  });

  it('unsubscribes through the function connectivity.on returned, and needs no off() when there is nothing to call', async () => {
    const { connectivity, listeners } = functionConnectivity();
    const w = worker({ kinds: [scriptedKind('pos.call', 'lifepos').def], connectivity });
    w.start();
    expect(listeners.size).toBe(1);
    await w.stop();
    expect(listeners.size).toBe(0);

    const silent = worker({ kinds: [scriptedKind('pos.call', 'lifepos').def], connectivity: { state: () => 'online', on: () => undefined } });
    silent.start();
    await expect(silent.stop()).resolves.toBeUndefined();
  });

  it('refuses start() and drain() after stop() with a permanent error that tells the cashier to restart', async () => {
    const w = worker({ kinds: [scriptedKind('pos.call', 'lifepos').def] });
    await w.stop();
    const started = caughtAppError(() => w.start());
    expect(started).toMatchObject({ code: 'QUEUE_WORKER_STOPPED', retry: 'permanent', detail: 'OutboxWorker used after stop()' });
    expect(started.message).toContain('Перезапустите программу');
    expect(await rejectionOf(w.drain(), AppError)).toMatchObject({ code: 'QUEUE_WORKER_STOPPED', retry: 'permanent' });
  });

  it('stops telling an error listener once it unsubscribed', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    refuseDone();
    const w = worker({ kinds: [pos.def] });
    const heard: string[] = [];
    const offFirst = w.on('error', () => heard.push('first'));
    w.on('error', () => heard.push('second'));
    offFirst();
    await expect(w.drain()).rejects.toMatchObject({ code: expect.stringMatching(/^QUEUE_/) });
    expect(heard).toEqual(['second']);
  });
});

describe('OutboxWorker: a lane resting after a refused write', () => {
  it('runs no other job of its back end, and drain() keeps reporting the fault until the lane recovers', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    enqueue('b', 2);
    refuseDone();
    const w = worker({ kinds: [pos.def] });
    const first = await rejectionOf(w.drain(), AppError);
    const second = await rejectionOf(w.drain(), AppError);
    expect(second.code).toBe(first.code);
    expect(pos.calls.map((c) => c.ctx.idempotencyKey)).toEqual(['a']);
    expect(f.outbox.get('a')?.state).toBe('running');
    expect(f.outbox.get('b')?.state).toBe('pending');
    f.db.exec('DROP TRIGGER refuse_done');
    w.retryStorageNow();
    await w.drain();
    expect(f.outbox.list({ state: 'done' }).map((j) => j.idempotencyKey)).toEqual(['a', 'b']);
  });

  it('when putting its job back is refused too, reports that, keeps resting and tries again by itself', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    refuseDone();
    refuseReclaim();
    const w = worker({ kinds: [pos.def], storageRetryMs: 20 });
    const errors: AppError[] = [];
    w.on('error', (e) => {
      errors.push(e);
      // The recovery's own write was refused: the disk accepts everything from now on.
      if (errors.length === 2) f.db.exec('DROP TRIGGER refuse_done; DROP TRIGGER refuse_reclaim;');
    });
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    w.start();
    await done;
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e.code.startsWith('QUEUE_'))).toBe(true);
    expect(pos.calls.map((c) => c.ctx.maybeSent)).toEqual([false, true]);
  });

  it('recovers by itself even when its back end went offline and online again while it rested', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const connectivity = new FakeConnectivity();
    connectivity.states.set('lifepos', 'online');
    enqueue('a', 1);
    refuseDone();
    const w = worker({ kinds: [pos.def], connectivity, storageRetryMs: 20 });
    const refused = deferred<void>();
    w.on('error', () => refused.resolve());
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    w.start();
    await refused.promise;
    connectivity.set('lifepos', 'offline');
    f.db.exec('DROP TRIGGER refuse_done');
    connectivity.set('lifepos', 'online');
    await done;
    expect(pos.calls).toHaveLength(2);
  });
});

describe('OutboxWorker: what a job is told', () => {
  it('buries a stored payload that is not JSON, with the parser’s words for support', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    f.db.prepare(`UPDATE outbox_jobs SET payload = '{"n":' WHERE idempotency_key = 'a'`).run();
    const parserSays = (() => {
      try {
        JSON.parse('{"n":');
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    await worker({ kinds: [pos.def] }).drain();
    expect(pos.calls).toEqual([]);
    expect(f.outbox.get('a')).toMatchObject({ state: 'dead', lastError: `stored payload rejected: ${parserSays}` });
  });

  it('hands a dependent null when its dependency is done with no stored result (an older version wrote it)', async () => {
    const create = scriptedKind('pos.create', 'lifepos');
    const patch = scriptedKind('pos.patch', 'lifepos');
    enqueue('create', 1, { kind: 'pos.create' });
    enqueue('patch', 2, { kind: 'pos.patch', dependsOn: 'create' });
    f.db.prepare(`UPDATE outbox_jobs SET state = 'done', result = NULL WHERE idempotency_key = 'create'`).run();
    await worker({ kinds: [create.def, patch.def] }).drain();
    expect(patch.calls.map((c) => c.ctx.dependency)).toEqual([{ result: null }]);
    expect(f.outbox.get('patch')?.state).toBe('done');
  });

  it('aborts an overrunning attempt telling it the server did not answer in time, and records how long it waited', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const reasons: unknown[] = [];
    pos.steps.push(
      (_p, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            reasons.push(ctx.signal.reason);
            resolve('too late');
          });
        }),
    );
    const { id } = enqueue('a', 1);
    await worker({ kinds: [pos.def], jobTimeoutMs: 20 }).drain();
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ code: 'QUEUE_JOB_TIMEOUT', retry: 'unknown-outcome', message: expect.stringContaining('Сервер не ответил вовремя') });
    expect(f.outbox.get('a')?.lastError).toContain(`job ${id} (pos.call) still running after 20 ms`);
  });
});

describe('OutboxWorker: leases', () => {
  it('drain() on a started worker leaves alone a job another worker is running', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const w = worker({ kinds: [pos.def] });
    w.start();
    enqueue('a', 1);
    // Claimed by the other worker before this one's wake-up (a microtask later) can reach it.
    f.outbox.claimNext('lifepos', f.clock.now, 'other-worker');
    await w.drain();
    expect(pos.calls).toEqual([]);
    expect(f.outbox.get('a')).toMatchObject({ state: 'running', lockedBy: 'other-worker' });
  });

  it('claims nothing while its back end is offline at start, and runs the job once it is online', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const connectivity = new FakeConnectivity();
    connectivity.states.set('lifepos', 'offline');
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def], connectivity });
    w.start();
    await w.drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', attempts: 0 });
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    connectivity.set('lifepos', 'online');
    await done;
    expect(pos.calls).toHaveLength(1);
  });
});
