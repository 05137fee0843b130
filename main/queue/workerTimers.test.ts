import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred, FakeConnectivity, httpError, useQueueFixture, scriptedKind } from '../../test/queue/queueFixture';
import type { OutboxWorkerOptions } from './worker';

/**
 * The worker's timers (issue 11 point 7): the only one a lane keeps is for its next run_at, or its
 * recovery while it rests after a refused write. None while idle, offline, stopped or never started (a
 * stray timer keeps the app from quitting, or wakes a lane that must not run), and it fires at run_at,
 * not before. A lane woken while it finishes runs the new job at once, without waiting for any timer.
 * setTimeout is faked so "no timer" is exact; promises and the SQLite file are real.
 */
// Registered before the fixture: vitest runs after-hooks in reverse, so the workers stop while timers are still fake.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});
const f = useQueueFixture();

const MIN = 60_000;
const worker = (opts: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'kinds'>) => f.worker({ schedule: [MIN], jitter: 0, ...opts });
const enqueue = (key: string, n: number, extra: { kind?: string; backend?: string; dependsOn?: string; runAt?: number } = {}) =>
  f.outbox.enqueue({ kind: extra.kind ?? 'pos.call', backend: extra.backend ?? 'lifepos', payload: { n }, idempotencyKey: key, ...extra });
const unavailable = async () => {
  throw httpError(503, 'transient');
};
const refuseDone = () =>
  f.db.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE ON outbox_jobs WHEN NEW.state = 'done'
             BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);


describe('OutboxWorker timers', () => {
  it('keeps none once every job is done', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def] });
    w.start();
    await w.drain();
    expect(f.outbox.get('a')?.state).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one for a backed-off job, which wakes the lane at its run_at and not before', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(unavailable);
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def] });
    w.start();
    await w.drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', runAt: f.clock.now + MIN });
    expect(vi.getTimerCount()).toBe(1);
    // Not polling: the lane does not even try to claim before run_at.
    const claims = vi.spyOn(f.outbox, 'claimNext');
    f.clock.now += MIN - 1;
    await vi.advanceTimersByTimeAsync(MIN - 1);
    expect(claims).not.toHaveBeenCalled();
    expect(pos.calls).toHaveLength(1);
    f.clock.now += 1;
    await vi.advanceTimersByTimeAsync(1);
    expect(pos.calls).toHaveLength(2);
    await w.drain();
    expect(f.outbox.get('a')?.state).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves none after stop(), even for a job that failed while the worker was stopping', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const gate = deferred<void>();
    const started = deferred<void>();
    pos.steps.push(async () => {
      started.resolve();
      await gate.promise;
      throw httpError(503, 'transient');
    });
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def] });
    w.start();
    await started.promise;
    const stopped = w.stop();
    gate.resolve();
    await stopped;
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', runAt: f.clock.now + MIN });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves none in a worker never started (drain only), after a backoff or a refused write', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(unavailable);
    enqueue('a', 1);
    enqueue('b', 2);
    const w = worker({ kinds: [pos.def] });
    await w.drain();
    expect(f.outbox.list({ state: 'pending' })).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    f.clock.now += MIN;
    refuseDone();
    await expect(w.drain()).rejects.toMatchObject({ code: expect.stringMatching(/^QUEUE_/) });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops the run_at timer while the back end is offline, and runs the job when it is back', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(unavailable);
    const connectivity = new FakeConnectivity();
    connectivity.states.set('lifepos', 'online');
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def], connectivity });
    w.start();
    await w.drain();
    expect(vi.getTimerCount()).toBe(1);
    connectivity.set('lifepos', 'offline');
    await w.drain();
    expect(vi.getTimerCount()).toBe(0);
    connectivity.set('lifepos', 'online');
    await w.drain();
    expect(f.outbox.get('a')?.state).toBe('done');
  });

  it('keeps only the recovery timer while a lane rests, not one for its next run_at', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    enqueue('later', 2, { runAt: f.clock.now + MIN });
    refuseDone();
    const w = worker({ kinds: [pos.def], storageRetryMs: 5_000 });
    const refused = deferred<void>();
    w.on('error', () => refused.resolve());
    w.start();
    await refused.promise;
    await expect(w.drain()).rejects.toMatchObject({ code: expect.stringMatching(/^QUEUE_/) });
    expect(vi.getTimerCount()).toBe(1);
    f.db.exec('DROP TRIGGER refuse_done');
    await vi.advanceTimersByTimeAsync(5_000);
    await w.drain();
    expect(f.outbox.get('a')?.state).toBe('done');
    expect(f.outbox.get('later')?.state).toBe('pending');
  });

  it('lets a job enqueued as its lane finishes wait while its back end has just gone offline, then runs it', async () => {
    const create = scriptedKind('pos.create', 'lifepos');
    const patch = scriptedKind('pay.patch', 'lifepay');
    const followUp = scriptedKind('pos.call', 'lifepos');
    const connectivity = new FakeConnectivity();
    connectivity.states.set('lifepos', 'online');
    connectivity.states.set('lifepay', 'online');
    const patched = deferred<void>();
    patch.steps.push(async () => {
      enqueue('follow-up', 3);
      connectivity.set('lifepos', 'offline');
      patched.resolve();
      return 'patched';
    });
    enqueue('create', 1, { kind: 'pos.create' });
    enqueue('patch', 2, { kind: 'pay.patch', backend: 'lifepay', dependsOn: 'create' });
    const w = worker({ kinds: [create.def, patch.def, followUp.def], connectivity });
    w.start();
    await patched.promise;
    await w.drain();
    expect(f.outbox.get('follow-up')).toMatchObject({ state: 'pending', attempts: 0 });
    connectivity.set('lifepos', 'online');
    await w.drain();
    expect(followUp.calls).toHaveLength(1);
    expect(f.outbox.get('follow-up')?.state).toBe('done');
  });

  it('runs a job enqueued for its lane just as the lane finishes, without waiting for a timer', async () => {
    const create = scriptedKind('pos.create', 'lifepos');
    const patch = scriptedKind('pay.patch', 'lifepay');
    const followUp = scriptedKind('pos.call', 'lifepos');
    const followUpRan = deferred<void>();
    // The dependent, woken by the create's completion, enqueues for lifepos while lifepos's lane winds down.
    patch.steps.push(async () => {
      enqueue('follow-up', 3);
      return 'patched';
    });
    followUp.steps.push(async () => {
      followUpRan.resolve();
      return 'followed';
    });
    enqueue('create', 1, { kind: 'pos.create' });
    enqueue('patch', 2, { kind: 'pay.patch', backend: 'lifepay', dependsOn: 'create' });
    const w = worker({ kinds: [create.def, patch.def, followUp.def] });
    w.start();
    await followUpRan.promise;
    await w.drain();
    expect(f.outbox.list({ state: 'done' }).map((j) => j.idempotencyKey)).toEqual(['create', 'patch', 'follow-up']);
  });
});
