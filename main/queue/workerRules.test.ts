import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deferred, FakeConnectivity, httpError, useQueueFixture, scriptedKind, statsWhere } from '../../test/queue/queueFixture';
import { defineJobKind } from './jobKind';
import type { OutboxWorkerOptions } from './worker';

/**
 * The worker's rules that a mutation run found untested (issue 11 point 7): its default attempt budget
 * and jitter, no new job after stop() or while its back end is offline, a degraded back end does not
 * cut a backoff short, a dependent on another back end runs without a drain, and a dependency's result
 * reaches the dependent exactly (null included; a damaged one buries it unsent).
 */
const f = useQueueFixture();

const MIN = 60_000;
const worker = (opts: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'kinds'>) => f.worker(opts);
const enqueue = (key: string, n: number, extra: { kind?: string; backend?: string; dependsOn?: string } = {}) =>
  f.outbox.enqueue({ kind: extra.kind ?? 'pos.call', backend: extra.backend ?? 'lifepos', payload: { n }, idempotencyKey: key, ...(extra.dependsOn ? { dependsOn: extra.dependsOn } : {}) });
const unavailable = async () => {
  throw httpError(503, 'transient');
};

describe('OutboxWorker defaults', () => {
  it('gives a job without its own budget ten attempts, then buries it with the count', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    for (let i = 0; i < 11; i++) pos.steps.push(unavailable);
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def], schedule: [10] });
    for (let i = 0; i < 12; i++) {
      await w.drain();
      f.clock.now += 10;
    }
    expect(pos.calls).toHaveLength(10);
    expect(f.outbox.get('a')).toMatchObject({ state: 'dead', attempts: 10, deadReason: expect.stringContaining('за 10 попыток') });
  });

  it('spreads the first one-minute delay by ±10 % when no jitter is given', async () => {
    const runAts: number[] = [];
    for (const random of [0, 0.999999]) {
      const pos = scriptedKind('pos.call', 'lifepos');
      pos.steps.push(unavailable);
      const job = enqueue(`a${random}`, 1);
      await worker({ kinds: [pos.def], random: () => random }).drain();
      runAts.push((f.outbox.get(job.id)?.runAt ?? 0) - f.clock.now);
    }
    expect(runAts).toEqual([54_000, 66_000]);
  });
});

describe('OutboxWorker: no new job when it should not send', () => {
  it('takes no job after stop(): the one running finishes, the next stays untouched', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const gate = deferred<void>();
    const started = deferred<void>();
    pos.steps.push(async () => {
      started.resolve();
      await gate.promise;
      return 'first';
    });
    enqueue('a', 1);
    enqueue('b', 2);
    const w = worker({ kinds: [pos.def] });
    w.start();
    await started.promise;
    const stopping = w.stop();
    gate.resolve();
    await stopping;
    expect(pos.calls.map((c) => c.n)).toEqual([1]);
    expect(f.outbox.get('a')?.state).toBe('done');
    expect(f.outbox.get('b')).toMatchObject({ state: 'pending', attempts: 0, maybeSent: false });
    await expect(w.drain()).rejects.toMatchObject({ code: 'QUEUE_WORKER_STOPPED' });
    expect(() => w.start()).toThrow(expect.objectContaining({ code: 'QUEUE_WORKER_STOPPED' }));
  });

  it('claims nothing more once its back end goes offline mid-job, and carries on when it is back', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const net = new FakeConnectivity();
    net.set('lifepos', 'online');
    const gate = deferred<void>();
    const started = deferred<void>();
    pos.steps.push(async () => {
      started.resolve();
      await gate.promise;
      return 'first';
    });
    enqueue('a', 1);
    enqueue('b', 2);
    const w = worker({ kinds: [pos.def], connectivity: net });
    const draining = w.drain();
    await started.promise;
    net.set('lifepos', 'offline');
    gate.resolve();
    await draining;
    expect(f.outbox.get('b')).toMatchObject({ state: 'pending', attempts: 0 });
    net.set('lifepos', 'online');
    await w.drain();
    expect(pos.calls.map((c) => c.n)).toEqual([1, 2]);
  });

  it('lets a degraded back end keep its backoff; only "online" runs backed-off jobs early', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(unavailable);
    const net = new FakeConnectivity();
    net.set('lifepos', 'online');
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def], connectivity: net, jitter: 0 });
    await w.drain();
    const backedOff = f.outbox.get('a')?.runAt;
    expect(backedOff).toBe(f.clock.now + MIN);
    w.start();
    net.set('lifepos', 'degraded');
    await w.drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', runAt: backedOff });
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    net.set('lifepos', 'online');
    await done;
    expect(pos.calls).toHaveLength(2);
  });

  it('coming online cuts short only a backoff, never a job scheduled for later that has not failed', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(unavailable);
    const net = new FakeConnectivity();
    net.set('lifepos', 'online');
    enqueue('failed', 1);
    f.outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: 2 }, idempotencyKey: 'later', runAt: f.clock.now + 10 * MIN });
    const w = worker({ kinds: [pos.def], connectivity: net });
    await w.drain();
    w.start();
    net.set('lifepos', 'offline');
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    net.set('lifepos', 'online');
    await done;
    await w.drain();
    expect(pos.calls.map((c) => c.n)).toEqual([1, 1]);
    expect(f.outbox.get('later')).toMatchObject({ state: 'pending', attempts: 0, runAt: f.clock.now + 10 * MIN });
  });
});

describe('OutboxWorker: a refused write in one lane', () => {
  it('puts back only that lane’s job: a job another lane is running is not handed out twice', async () => {
    const pos = defineJobKind({ kind: 'pos.create', backend: 'lifepos', payload: z.object({ n: z.number() }), durableMark: true, run: async () => 'created' });
    const pay = scriptedKind('pay.call', 'lifepay');
    const gate = deferred<void>();
    const payStarted = deferred<void>();
    pay.steps.push(async () => {
      payStarted.resolve();
      await gate.promise;
      return 'paid';
    });
    const refused = deferred<void>();
    // The disk refuses only lifepos's mark write (a running job updated and left running).
    f.db.exec(`CREATE TRIGGER refuse_mark BEFORE UPDATE ON outbox_jobs WHEN OLD.state = 'running' AND NEW.state = 'running' AND OLD.backend = 'lifepos'
               BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);
    enqueue('y', 1, { kind: 'pay.call', backend: 'lifepay' });
    enqueue('p', 2, { kind: 'pos.create' });
    const w = worker({ kinds: [pos, pay.def], storageRetryMs: 60 * MIN });
    w.on('error', () => refused.resolve());
    w.start();
    await Promise.all([payStarted.promise, refused.promise]);
    f.db.exec('DROP TRIGGER refuse_mark');
    w.retryStorageNow();
    expect(f.outbox.get('y')).toMatchObject({ state: 'running' });
    const done = statsWhere(f.outbox, (s) => s.counts.done === 2);
    gate.resolve();
    await done;
    await w.drain();
    expect(pay.calls).toHaveLength(1);
    expect(f.outbox.get('p')).toMatchObject({ state: 'done', attempts: 2 });
  });
});

describe('OutboxWorker: a refused outcome write', () => {
  const refuseDone = () =>
    f.db.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE ON outbox_jobs WHEN NEW.state = 'done'
               BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);

  it('rests the lane with a storage error, keeps the job, and runs it again (maybe sent) once the disk accepts', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    refuseDone();
    const w = worker({ kinds: [pos.def] });
    await expect(w.drain()).rejects.toMatchObject({ code: expect.stringMatching(/^QUEUE_/) });
    expect(f.outbox.get('a')).toMatchObject({ state: 'running' });
    f.db.exec('DROP TRIGGER refuse_done');
    w.retryStorageNow();
    await w.drain();
    expect(pos.calls.map((c) => c.ctx.maybeSent)).toEqual([false, true]);
    expect(f.outbox.get('a')?.state).toBe('done');
  });

  it('a started worker tries again by itself after storageRetryMs', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    refuseDone();
    const w = worker({ kinds: [pos.def], storageRetryMs: 20 });
    const refused = deferred<void>();
    w.on('error', () => {
      f.db.exec('DROP TRIGGER IF EXISTS refuse_done');
      refused.resolve();
    });
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    w.start();
    await refused.promise;
    await done;
    expect(pos.calls).toHaveLength(2);
  });
});

describe('OutboxWorker: its timer', () => {
  it('waits for a job due in 40 days without overflowing setTimeout (which would fire at once, again and again)', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      f.outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'far', runAt: f.clock.now + 40 * 24 * 60 * MIN });
      const w = worker({ kinds: [pos.def] });
      w.start();
      await w.drain();
      // Node reports an overflowing delay as a warning on the next tick.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('TimeoutOverflowWarning');
      expect(pos.calls).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('OutboxWorker: dependencies without a drain', () => {
  it('wakes the dependent back end when the job it waits for is done', async () => {
    const create = scriptedKind('pos.create', 'lifepos');
    const patch = scriptedKind('pay.patch', 'lifepay');
    const gate = deferred<void>();
    create.steps.push(async () => {
      await gate.promise;
      return { guid: 's-1' };
    });
    enqueue('create', 1, { kind: 'pos.create' });
    enqueue('patch', 2, { kind: 'pay.patch', backend: 'lifepay', dependsOn: 'create' });
    const w = worker({ kinds: [create.def, patch.def] });
    w.start();
    const done = statsWhere(f.outbox, (s) => s.counts.done === 2);
    gate.resolve();
    await done;
    expect(patch.calls.map((c) => c.ctx.dependency)).toEqual([{ result: { guid: 's-1' } }]);
  });

  it('hands a dependent exactly what its dependency returned: nothing is null, no dependency is none', async () => {
    const create = scriptedKind('pos.create', 'lifepos');
    const patch = scriptedKind('pos.patch', 'lifepos');
    create.steps.push(async () => undefined);
    enqueue('create', 1, { kind: 'pos.create' });
    enqueue('patch', 2, { kind: 'pos.patch', dependsOn: 'create' });
    await worker({ kinds: [create.def, patch.def] }).drain();
    expect(f.outbox.get('create')).toMatchObject({ state: 'done', result: null });
    expect(create.calls[0]?.ctx.dependency).toBeUndefined();
    expect(patch.calls.map((c) => c.ctx.dependency)).toEqual([{ result: null }]);
  });

  it('buries a dependent whose dependency result is damaged, without sending it', async () => {
    const create = scriptedKind('pos.create', 'lifepos');
    const patch = scriptedKind('pos.patch', 'lifepos');
    enqueue('create', 1, { kind: 'pos.create' });
    enqueue('patch', 2, { kind: 'pos.patch', dependsOn: 'create' });
    const w = worker({ kinds: [create.def, patch.def] });
    f.outbox.complete(f.outbox.claimNext('lifepos', f.clock.now, w.workerId)?.row.id ?? -1, '{"guid":', f.clock.now);
    await w.drain();
    expect(patch.calls).toEqual([]);
    expect(f.outbox.get('patch')).toMatchObject({ state: 'dead', deadReason: expect.stringContaining('повреждён') });
    expect(f.outbox.get('patch')?.lastError).toMatch(/^dependency result does not parse/);
  });
});
