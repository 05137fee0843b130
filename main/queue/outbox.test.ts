import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../appError';
import { useQueueFixture, statsWhere, queueJob } from '../../test/queue/queueFixture';
import { defineJobKind } from './jobKind';
import { Outbox } from './outbox';

const f = useQueueFixture();

const job = (key: string, extra: Record<string, unknown> = {}) => queueJob(key, { kind: 'lifepos.create', ...extra });

describe('Outbox.enqueue', () => {
  it('stores a pending job due now with its payload', () => {
    const stored = f.outbox.enqueue(job('k1', { payload: { deal: 'd-1', amount: 15050 } }));
    expect(stored).toMatchObject({
      kind: 'lifepos.create',
      backend: 'lifepos',
      idempotencyKey: 'k1',
      payload: { deal: 'd-1', amount: 15050 },
      state: 'pending',
      attempts: 0,
      runAt: f.clock.now,
      dependsOn: null,
    });
    expect(f.outbox.get('k1')).toEqual(stored);
    expect(f.outbox.get(stored.id)).toEqual(stored);
  });

  it('returns the existing job when the same key comes again, without a second row', () => {
    const first = f.outbox.enqueue(job('k1', { payload: { n: 1 } }));
    f.clock.now += 1000;
    const again = f.outbox.enqueue(job('k1', { payload: { n: 2 } }));
    expect(again).toEqual(first);
    expect(f.outbox.list()).toHaveLength(1);
  });

  it('refuses a key already used by a different kind', () => {
    f.outbox.enqueue(job('k1'));
    expect(() => f.outbox.enqueue({ ...job('k1'), kind: 'other' })).toThrow(AppError);
  });

  it("commits together with the caller's business row, or not at all", () => {
    f.db.exec('CREATE TABLE business (id TEXT PRIMARY KEY)');
    const insert = f.db.prepare('INSERT INTO business (id) VALUES (?)');
    f.db.transaction(() => {
      insert.run('r1');
      f.outbox.enqueue(job('k1'));
    }).immediate();
    expect(() =>
      f.db.transaction(() => {
        insert.run('r2');
        f.outbox.enqueue(job('k2'));
        throw new Error('the refund could not be confirmed');
      }).immediate(),
    ).toThrow('the refund could not be confirmed');
    expect(f.db.prepare('SELECT id FROM business').pluck().all()).toEqual(['r1']);
    expect(f.outbox.list().map((j) => j.idempotencyKey)).toEqual(['k1']);
  });

  it('joins a caller savepoint: an inner rollback drops only the inner job', () => {
    const outer = f.db.transaction(() => {
      f.outbox.enqueue(job('outer'));
      try {
        f.db.transaction(() => {
          f.outbox.enqueue(job('inner'));
          throw new Error('inner step failed');
        })();
      } catch (e) {
        expect((e as Error).message).toBe('inner step failed');
      }
    });
    outer.immediate();
    expect(f.outbox.list().map((j) => j.idempotencyKey)).toEqual(['outer']);
  });

  it('needs the dependency to exist already and stores it by key', () => {
    expect(() => f.outbox.enqueue(job('patch', { dependsOn: 'create' }))).toThrow(/не сохранено/);
    f.outbox.enqueue(job('create'));
    expect(f.outbox.enqueue(job('patch', { dependsOn: 'create' })).dependsOn).toBe('create');
    expect(() => f.outbox.enqueue(job('self', { dependsOn: 'self' }))).toThrow(AppError);
  });

  it('checks payloads against registered kinds at enqueue time', () => {
    const kind = defineJobKind({
      kind: 'lifepos.create',
      backend: 'lifepos',
      payload: z.object({ amount: z.number().int() }),
      run: async () => null,
    });
    const strict = new Outbox(f.db, { kinds: [kind] });
    expect(() => strict.enqueue(job('a', { payload: { amount: 10.5 } }))).toThrow(AppError);
    expect(() => strict.enqueue(job('b', { backend: 'lifepay', payload: { amount: 1 } }))).toThrow(AppError);
    expect(() => strict.enqueue({ ...job('c'), kind: 'unknown' })).toThrow(AppError);
    expect(strict.enqueue(job('d', { payload: { amount: 100 } })).state).toBe('pending');
  });

  it('refuses malformed input', () => {
    expect(() => f.outbox.enqueue(job(''))).toThrow(AppError);
    expect(() => f.outbox.enqueue(job('k', { payload: undefined }))).toThrow(AppError);
    expect(() => f.outbox.enqueue(job('k', { maxAttempts: 0 }))).toThrow(AppError);
  });
});

describe('Outbox queries', () => {
  it('lists by state, back end and kind in enqueue order', () => {
    f.outbox.enqueue(job('a'));
    f.outbox.enqueue(job('b', { backend: 'lifepay' }));
    f.outbox.enqueue({ ...job('c'), kind: 'lifepos.patch' });
    expect(f.outbox.list({ backend: 'lifepos' }).map((j) => j.idempotencyKey)).toEqual(['a', 'c']);
    expect(f.outbox.list({ kind: 'lifepos.patch' }).map((j) => j.idempotencyKey)).toEqual(['c']);
    expect(f.outbox.list({ state: ['done', 'dead'] })).toEqual([]);
    expect(f.outbox.list({ limit: 1 }).map((j) => j.idempotencyKey)).toEqual(['a']);
  });

  it('reports counts, the oldest pending age and dead jobs in stats', () => {
    f.outbox.enqueue(job('a'));
    f.clock.now += 5_000;
    f.outbox.enqueue(job('b'));
    const id = f.outbox.get('b')?.id ?? -1;
    f.outbox.bury(id, 'Сервер отказал: сделка закрыта', 'HTTP 422', f.clock.now);
    f.outbox.enqueue(job('c', { dependsOn: 'b' }));
    f.outbox.enqueue(job('d', { dependsOn: 'c' }));
    f.clock.now += 1_000;
    const s = f.outbox.stats();
    expect(s.counts).toEqual({ pending: 3, running: 0, done: 0, dead: 1 });
    expect(s.oldestPendingAgeMs).toBe(6_000);
    expect(s.dead).toEqual([
      { id, kind: 'lifepos.create', backend: 'lifepos', key: 'b', reason: 'Сервер отказал: сделка закрыта', lastError: 'HTTP 422', attempts: 0 },
    ]);
    expect(s.blocked.map((b) => [b.key, b.dependsOn])).toEqual([
      ['c', 'b'],
      ['d', 'c'],
    ]);
  });

  it('counts running and done jobs too, and ages the oldest unfinished job whether pending or running', () => {
    for (const key of ['a', 'b', 'c', 'd']) {
      f.outbox.enqueue(job(key));
      f.clock.now += 1_000;
    }
    const a = f.outbox.claimNext('lifepos', f.clock.now, 'w1');
    f.outbox.complete(a?.row.id ?? -1, '{}', f.clock.now);
    const b = f.outbox.claimNext('lifepos', f.clock.now, 'w1');
    f.outbox.bury(f.outbox.get('d')?.id ?? -1, 'причина', 'detail', f.clock.now);
    const s = f.outbox.stats();
    expect(s.counts).toEqual({ pending: 1, running: 1, done: 1, dead: 1 });
    expect(b?.row.idempotency_key).toBe('b');
    expect(s.oldestPendingAgeMs).toBe(3_000);
  });

  it('retryDead puts a dead job back with fresh attempts and refuses anything else', () => {
    const j = f.outbox.enqueue(job('a'));
    expect(() => f.outbox.retryDead(j.id)).toThrow(AppError);
    f.outbox.bury(j.id, 'причина', 'detail', f.clock.now);
    const back = f.outbox.retryDead(j.id);
    expect(back).toMatchObject({ state: 'pending', attempts: 0, deadReason: null, lastError: 'detail' });
  });

  it("emits a stats snapshot on change, including to a new subscriber", async () => {
    const first = statsWhere(f.outbox, () => true);
    expect((await first).counts.pending).toBe(0);
    const next = statsWhere(f.outbox, (s) => s.counts.pending === 2);
    f.outbox.enqueue(job('a'));
    f.outbox.enqueue(job('b'));
    expect((await next).counts).toMatchObject({ pending: 2 });
  });
});

describe('Outbox durability settings', () => {
  it('leaves the connection at synchronous=FULL, relaxing it only inside NORMAL bookkeeping', () => {
    expect(f.db.pragma('synchronous', { simple: true })).toBe(2);
    const seen = f.outbox.bookkeeping('normal', () => f.db.pragma('synchronous', { simple: true }));
    expect(seen).toBe(1);
    expect(f.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(f.outbox.bookkeeping('full', () => f.db.pragma('synchronous', { simple: true }))).toBe(2);
    expect(() =>
      f.outbox.bookkeeping('normal', () => {
        throw new Error('bookkeeping failed');
      }),
    ).toThrow();
    expect(f.db.pragma('synchronous', { simple: true })).toBe(2);
  });
});
