import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deferred, FakeConnectivity, httpError, useQueueFixture, scriptedKind, statsWhere } from '../../test/queue/queueFixture';
import type { OutboxWorkerOptions } from './worker';

const f = useQueueFixture();

const MIN = 60_000;

const worker = (opts: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'kinds'>) => f.worker(opts);

function enqueue(key: string, n: number, extra: { kind?: string; backend?: string; dependsOn?: string; maxAttempts?: number } = {}) {
  return f.outbox.enqueue({
    kind: extra.kind ?? 'pos.call',
    backend: extra.backend ?? 'lifepos',
    payload: { n },
    idempotencyKey: key,
    ...(extra.dependsOn ? { dependsOn: extra.dependsOn } : {}),
    ...(extra.maxAttempts ? { maxAttempts: extra.maxAttempts } : {}),
  });
}

describe('OutboxWorker: outcomes', () => {
  it('runs due jobs of a back end in enqueue order and stores their results', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('a', 1);
    enqueue('b', 2);
    enqueue('c', 3);
    await worker({ kinds: [pos.def] }).drain();
    expect(pos.calls.map((c) => [c.n, c.ctx.idempotencyKey, c.ctx.attempt])).toEqual([
      [1, 'a', 1],
      [2, 'b', 1],
      [3, 'c', 1],
    ]);
    expect(f.outbox.get('b')).toMatchObject({ state: 'done', result: { ok: 2 }, attempts: 1, lockedBy: null });
  });

  it('backs off on the outbox schedule (1, 2, 5, then every 15 min) and the last step repeats', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const job = enqueue('a', 1, { maxAttempts: 20 });
    const w = worker({ kinds: [pos.def], jitter: 0 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      pos.steps.push(async () => {
        throw httpError(503, 'transient');
      });
      const before = f.clock.now;
      await w.drain();
      const stored = f.outbox.get(job.id);
      delays.push((stored?.runAt ?? 0) - before);
      await w.drain();
      expect(pos.calls).toHaveLength(i + 1);
      f.clock.now = stored?.runAt ?? 0;
    }
    expect(delays).toEqual([1 * MIN, 2 * MIN, 5 * MIN, 15 * MIN, 15 * MIN, 15 * MIN]);
    await w.drain();
    expect(f.outbox.get(job.id)).toMatchObject({ state: 'done', attempts: 7 });
    expect(f.outbox.get(job.id)?.lastError).toContain('HTTP 503');
  });

  it('spreads each delay by the jitter fraction, both ways', async () => {
    for (const [random, expected] of [
      [0, 0.8 * MIN],
      [0.999999, 1.2 * MIN],
    ] as const) {
      const pos = scriptedKind('pos.call', 'lifepos');
      pos.steps.push(async () => {
        throw httpError(500, 'transient');
      });
      const key = `k-${random}`;
      enqueue(key, 1);
      await worker({ kinds: [pos.def], jitter: 0.2, random: () => random }).drain();
      expect((f.outbox.get(key)?.runAt ?? 0) - f.clock.now).toBeCloseTo(expected, -1);
    }
  });

  it('honours Retry-After instead of the schedule', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(async () => {
      throw httpError(429, 'transient', 42_000);
    });
    enqueue('a', 1);
    await worker({ kinds: [pos.def] }).drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', runAt: f.clock.now + 42_000, attempts: 1 });
  });

  it("sends a permanent error straight to dead with the server's message", async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(async () => {
      throw httpError(422, 'permanent');
    });
    enqueue('a', 1);
    await worker({ kinds: [pos.def] }).drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'dead', attempts: 1, deadReason: 'Сервер ответил ошибкой 422' });
    expect(f.outbox.stats().dead).toMatchObject([{ key: 'a', reason: 'Сервер ответил ошибкой 422', attempts: 1 }]);
  });

  it('retries an unknown outcome and a plain Error, keeping the message', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(
      async () => {
        throw httpError(504, 'unknown-outcome');
      },
      async () => {
        throw new TypeError('fetch failed');
      },
    );
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def], schedule: [10] });
    await w.drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', attempts: 1 });
    f.clock.now += 20;
    await w.drain();
    expect(f.outbox.get('a')?.lastError).toBe('TypeError: fetch failed');
    f.clock.now += 20;
    await w.drain();
    expect(pos.calls.map((c) => c.ctx.attempt)).toEqual([1, 2, 3]);
    expect(f.outbox.get('a')?.state).toBe('done');
  });

  it('buries a job that used all its attempts, and retryDead brings it back', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const fail = async () => {
      throw httpError(500, 'transient');
    };
    pos.steps.push(fail, fail, fail);
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def], maxAttempts: 3, schedule: [10] });
    for (let i = 0; i < 3; i++) {
      await w.drain();
      f.clock.now += 20;
    }
    const dead = f.outbox.get('a');
    expect(dead).toMatchObject({ state: 'dead', attempts: 3 });
    expect(dead?.deadReason).toBe('Не удалось выполнить за 3 попытки. Последняя ошибка: Сервер ответил ошибкой 500');
    await w.drain();
    expect(pos.calls).toHaveLength(3);
    f.outbox.retryDead(dead?.id ?? -1);
    await w.drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('buries a stored payload that fails its schema, and an unknown kind, without running them', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('bad', 1);
    f.db.prepare(`UPDATE outbox_jobs SET payload = '{"n":"one"}' WHERE idempotency_key = 'bad'`).run();
    enqueue('torn', 2);
    f.db.prepare(`UPDATE outbox_jobs SET payload = '{"n":' WHERE idempotency_key = 'torn'`).run();
    enqueue('alien', 3, { kind: 'from.the.future' });
    await worker({ kinds: [pos.def] }).drain();
    expect(pos.calls).toEqual([]);
    expect(f.outbox.stats().dead.map((d) => [d.key, d.reason.split(' ').slice(0, 2).join(' ')])).toEqual([
      ['bad', 'Сохранённые данные'],
      ['torn', 'Сохранённые данные'],
      ['alien', 'Программа не'],
    ]);
    expect(f.outbox.list({ state: 'dead' }).map((j) => j.lastError?.split(':')[0])).toEqual([
      'stored payload rejected',
      'stored payload rejected',
      'no job kind "from.the.future" registered with this worker',
    ]);
  });

  it('gives up an attempt that overruns the job timeout as an unknown outcome', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    let aborted = false;
    pos.steps.push(
      (_p, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve('too late');
          });
        }),
    );
    enqueue('a', 1);
    await worker({ kinds: [pos.def], jobTimeoutMs: 20 }).drain();
    expect(aborted).toBe(true);
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', attempts: 1 });
    expect(f.outbox.get('a')?.lastError).toContain('QUEUE_JOB_TIMEOUT (unknown-outcome)');
  });

  it('gives up attempts that ignore their signal and never settle, one after another, then runs the next job', async () => {
    // The second hang needs the lane's watchdog again after it has fired once.
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(
      () => new Promise(() => undefined),
      () => new Promise(() => undefined),
    );
    enqueue('a', 1);
    enqueue('b', 2);
    enqueue('c', 3);
    await worker({ kinds: [pos.def], jobTimeoutMs: 20 }).drain();
    for (const key of ['a', 'b']) {
      expect(f.outbox.get(key)).toMatchObject({ state: 'pending', attempts: 1 });
      expect(f.outbox.get(key)?.lastError).toContain('QUEUE_JOB_TIMEOUT');
    }
    expect(f.outbox.get('c')).toMatchObject({ state: 'done', result: { ok: 3 } });
  });

  it('times each attempt on its own: jobs that together outlast the timeout each finish', async () => {
    // One watchdog per lane is re-armed per attempt; were it armed once per lane, the third job here
    // would be cut off at 250 ms of the lane's run.
    const pos = scriptedKind('pos.call', 'lifepos');
    for (let i = 0; i < 4; i++) {
      pos.steps.push(async (p) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { ok: p.n };
      });
    }
    for (let i = 1; i <= 4; i++) enqueue(`j${i}`, i);
    await worker({ kinds: [pos.def], jobTimeoutMs: 250 }).drain();
    expect(f.outbox.list().map((j) => [j.idempotencyKey, j.state, j.attempts])).toEqual([
      ['j1', 'done', 1],
      ['j2', 'done', 1],
      ['j3', 'done', 1],
      ['j4', 'done', 1],
    ]);
  });

  it('commits about two WAL pages per job that succeeds (the row and one index leaf)', async () => {
    // The drain bench's floor is one commit per job; its cost grows with each page written
    // (migration 003). Version 1's indexes wrote about four.
    const pos = scriptedKind('pos.call', 'lifepos');
    f.outbox.db.transaction(() => {
      for (let i = 0; i < 300; i++) enqueue(`j${i}`, i);
    })();
    f.db.pragma('wal_autocheckpoint = 0');
    f.db.pragma('wal_checkpoint(TRUNCATE)');
    await worker({ kinds: [pos.def] }).drain();
    const { log } = z.tuple([z.object({ log: z.number() })]).parse(f.db.pragma('wal_checkpoint(PASSIVE)'))[0];
    expect(f.outbox.stats().counts.done).toBe(300);
    expect(log / 300).toBeLessThan(2.5);
  });
});

describe('OutboxWorker: dependencies', () => {
  it('runs a dependent job only after its dependency, handing it the stored result, across back ends', async () => {
    const create = scriptedKind('pos.create', 'lifepos');
    const patch = scriptedKind('pay.patch', 'lifepay');
    create.steps.push(
      async () => {
        throw httpError(503, 'transient');
      },
      async () => ({ guid: 'session-7' }),
    );
    enqueue('create', 1, { kind: 'pos.create' });
    enqueue('patch', 2, { kind: 'pay.patch', backend: 'lifepay', dependsOn: 'create' });
    const w = worker({ kinds: [create.def, patch.def], schedule: [1000] });
    await w.drain();
    expect(patch.calls).toEqual([]);
    expect(f.outbox.get('patch')?.attempts).toBe(0);
    f.clock.now += 1000;
    await w.drain();
    expect(patch.calls.map((c) => c.ctx.dependency)).toEqual([{ result: { guid: 'session-7' } }]);
    expect(f.outbox.get('patch')?.state).toBe('done');
  });

  it('blocks dependents of a dead job (visible in stats) until it is retried by hand', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(async () => {
      throw httpError(400, 'permanent');
    });
    const create = enqueue('create', 1);
    enqueue('patch', 2, { dependsOn: 'create' });
    enqueue('status', 3, { dependsOn: 'patch' });
    enqueue('other', 4);
    const w = worker({ kinds: [pos.def] });
    await w.drain();
    expect(pos.calls.map((c) => c.n)).toEqual([1, 4]);
    const s = f.outbox.stats();
    expect(s.counts).toEqual({ pending: 2, running: 0, done: 1, dead: 1 });
    expect(s.blocked.map((b) => b.key)).toEqual(['patch', 'status']);
    f.outbox.retryDead(create.id);
    await w.drain();
    expect(pos.calls.map((c) => c.n)).toEqual([1, 4, 1, 2, 3]);
    expect(f.outbox.stats().blocked).toEqual([]);
  });
});

describe('OutboxWorker: connectivity', () => {
  it('burns no attempts while a back end is offline, and runs backed-off jobs the moment it is back', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const pay = scriptedKind('pay.call', 'lifepay');
    pos.steps.push(async () => {
      throw httpError(503, 'transient');
    });
    const net = new FakeConnectivity();
    net.set('lifepos', 'online');
    enqueue('a', 1);
    const w = worker({ kinds: [pos.def, pay.def], connectivity: net });
    await w.drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'pending', attempts: 1, runAt: f.clock.now + MIN });
    net.set('lifepos', 'offline');
    enqueue('b', 2);
    enqueue('c', 3, { kind: 'pay.call', backend: 'lifepay' });
    f.clock.now += 2 * MIN;
    await w.drain();
    expect(pos.calls).toHaveLength(1);
    expect(pay.calls).toHaveLength(1);
    expect(f.outbox.get('b')?.attempts).toBe(0);
    f.clock.now -= MIN + MIN / 2;
    w.start();
    const done = statsWhere(f.outbox, (s) => s.counts.done === 3);
    net.set('lifepos', 'online');
    await done;
    expect(pos.calls.map((c) => [c.n, c.ctx.attempt])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
    ]);
  });

  it('keeps a scheduled (not failed) job waiting for its runAt even when a back end comes online', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const net = new FakeConnectivity();
    net.set('lifepos', 'offline');
    f.outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'later', runAt: f.clock.now + 10 * MIN });
    const w = worker({ kinds: [pos.def], connectivity: net });
    net.set('lifepos', 'online');
    await w.drain();
    expect(pos.calls).toEqual([]);
  });
});

describe('OutboxWorker: concurrency, events and crashes', () => {
  it('runs one job at a time per back end and back ends in parallel', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const pay = scriptedKind('pay.call', 'lifepay');
    const gate = deferred<void>();
    const posStarted = deferred<void>();
    const payStarted = deferred<void>();
    pos.steps.push(async () => {
      posStarted.resolve();
      await gate.promise;
      return 'first';
    });
    pay.steps.push(async () => {
      payStarted.resolve();
      return 'pay';
    });
    enqueue('p1', 1);
    enqueue('p2', 2);
    enqueue('y1', 3, { kind: 'pay.call', backend: 'lifepay' });
    const w = worker({ kinds: [pos.def, pay.def] });
    const draining = w.drain();
    await Promise.all([posStarted.promise, payStarted.promise]);
    expect(pos.calls.map((c) => c.n)).toEqual([1]);
    expect(f.outbox.list({ state: 'running', backend: 'lifepos' }).map((j) => j.idempotencyKey)).toEqual(['p1']);
    gate.resolve();
    await draining;
    expect(pos.calls.map((c) => c.n)).toEqual([1, 2]);
  });

  it('wakes on enqueue after start, with no polling, and stop() waits for the running job', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    const w = worker({ kinds: [pos.def], clock: Date.now });
    w.start();
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    enqueue('a', 1);
    await done;
    const gate = deferred<void>();
    const started = deferred<void>();
    pos.steps.push(async () => {
      started.resolve();
      await gate.promise;
      return 'finished late';
    });
    enqueue('b', 2);
    await started.promise;
    let stopped = false;
    const stopping = w.stop().then(() => {
      stopped = true;
    });
    await Promise.resolve();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(f.outbox.get('b')).toMatchObject({ state: 'done', result: 'finished late' });
  });

  it('retries after a backoff by its own timer for the next run_at', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(async () => {
      throw httpError(503, 'transient');
    });
    const w = worker({ kinds: [pos.def], clock: Date.now, schedule: [30] });
    const done = statsWhere(f.outbox, (s) => s.counts.done === 1);
    enqueue('a', 1);
    w.start();
    await done;
    expect(pos.calls.map((c) => c.ctx.attempt)).toEqual([1, 2]);
  });

  it('reclaims at start-up the jobs a crashed process left running, by lease, burying one at its last attempt', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    enqueue('orphan', 1);
    enqueue('poison', 2, { maxAttempts: 3 });
    enqueue('young', 3);
    const claim = f.db.prepare(`UPDATE outbox_jobs SET state = 'running', attempts = ?, locked_by = 'crashed-process', locked_at = ? WHERE idempotency_key = ?`);
    claim.run(1, f.clock.now - 10 * MIN, 'orphan');
    claim.run(3, f.clock.now - 10 * MIN, 'poison');
    // Claimed a moment ago, created long before: the lease, not the age, decides.
    claim.run(1, f.clock.now, 'young');
    const w = worker({ kinds: [pos.def] });
    w.start();
    await w.drain();
    expect(pos.calls.map((c) => [c.ctx.idempotencyKey, c.ctx.attempt])).toEqual([
      ['orphan', 2],
      ['young', 2],
    ]);
    const poison = f.outbox.get('poison');
    expect(poison?.state).toBe('dead');
    expect(poison?.deadReason).toContain('аварийно');
    expect(poison?.lastError).toContain('crashed-process');
  });
});
