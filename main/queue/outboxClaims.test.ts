import { describe, expect, it } from 'vitest';
import { useQueueFixture, queueJob } from '../../test/queue/queueFixture';
import { caughtAppError } from '../../test/support/caughtAppError';
import { z } from 'zod';
import { openDatabase } from './database';
import { defineJobKind } from './jobKind';
import { Outbox } from './outbox';

/**
 * The claim is the lease that keeps one job in one worker's hands (issue 11 point 7: the guards the
 * mutation run checked): a job is handed out once, only when due, only to its back end's lane, and only
 * after the job it depends on is done; the same key never makes a second job.
 */
const f = useQueueFixture();

const job = (key: string, extra: Record<string, unknown> = {}) => queueJob(key, { kind: 'lifepos.create', ...extra });

describe('Outbox.enqueue: one key, one job', () => {
  it('returns the first job for a repeated key even after other jobs were stored in between', () => {
    const a = f.outbox.enqueue(job('a'));
    f.outbox.enqueue(job('b'));
    f.outbox.enqueue(job('c'));
    expect(f.outbox.enqueue(job('a', { payload: { n: 99 } }))).toEqual(a);
    expect(f.outbox.list().map((j) => j.idempotencyKey)).toEqual(['a', 'b', 'c']);
  });
});

describe('Outbox.enqueue and retryDead: refusals say what they refuse', () => {
  it('refuses a job that names itself as its dependency, even when its key is already stored', () => {
    f.outbox.enqueue(job('self'));
    expect(caughtAppError(() => f.outbox.enqueue(job('self', { dependsOn: 'self' })))).toMatchObject({
      code: 'QUEUE_INVALID_JOB',
      detail: 'enqueue self: depends on itself',
    });
  });

  it('refuses a payload JSON cannot hold and a dependency not in the outbox as invalid jobs, not as storage faults', () => {
    expect(caughtAppError(() => f.outbox.enqueue(job('fn', { payload: () => 1 })))).toMatchObject({
      code: 'QUEUE_INVALID_JOB',
      detail: 'enqueue fn: payload is not JSON',
    });
    expect(caughtAppError(() => f.outbox.enqueue(job('patch', { dependsOn: 'create' })))).toMatchObject({
      code: 'QUEUE_INVALID_JOB',
      detail: 'enqueue patch: dependency "create" is not in the outbox',
    });
    expect(caughtAppError(() => f.outbox.enqueue(job('')))).toMatchObject({ code: 'QUEUE_INVALID_JOB', detail: expect.stringMatching(/^enqueue: /) });
    f.outbox.enqueue(job('k'));
    expect(caughtAppError(() => f.outbox.enqueue(job('k', { kind: 'other' })))).toMatchObject({
      code: 'QUEUE_INVALID_JOB',
      detail: 'enqueue: key "k" already names a "lifepos.create" job, not "other"',
    });
  });

  it('refuses an unknown kind, a kind sent to another back end and a payload its kind rejects, naming which, as permanent', () => {
    const create = defineJobKind({ kind: 'lifepos.create', backend: 'lifepos', payload: z.object({ amount: z.number().int() }), run: async () => null });
    const strict = new Outbox(f.db, { kinds: [create] });
    expect(caughtAppError(() => strict.enqueue(job('u', { kind: 'lifepos.unknown' })))).toMatchObject({
      code: 'QUEUE_INVALID_JOB',
      retry: 'permanent',
      detail: 'enqueue: unknown job kind "lifepos.unknown"',
    });
    expect(caughtAppError(() => strict.enqueue(job('b', { backend: 'lifepay', payload: { amount: 1 } })))).toMatchObject({
      retry: 'permanent',
      detail: 'enqueue: kind "lifepos.create" belongs to back end "lifepos", not "lifepay"',
    });
    const badPayload = caughtAppError(() => strict.enqueue(job('p', { payload: { amount: 10.5 } })));
    expect(badPayload.detail).toMatch(/^enqueue lifepos\.create: payload does not match its schema: .*amount/);
    expect(badPayload.message).toContain('не сохранено');
    expect(strict.list()).toEqual([]);
  });

  it('retries by hand only a dead job: a pending, running or done one is refused and left as it is', () => {
    f.outbox.enqueue(job('a'));
    const id = f.outbox.claimNext('lifepos', f.clock.now, 'w')?.row.id ?? -1;
    const error = caughtAppError(() => f.outbox.retryDead(id));
    expect(error).toMatchObject({ code: 'QUEUE_NOT_DEAD', retry: 'permanent', detail: `retryDead(${id}): no dead job with this id` });
    expect(error.message).toContain('не остановлено с ошибкой');
    expect(f.outbox.get(id)).toMatchObject({ state: 'running', attempts: 1 });
    expect(caughtAppError(() => f.outbox.retryDead(9999)).code).toBe('QUEUE_NOT_DEAD');
  });
});

describe('Outbox reads', () => {
  it('finds nothing for a key or id never stored', () => {
    f.outbox.enqueue(job('a'));
    expect(f.outbox.get('b')).toBeUndefined();
    expect(f.outbox.get(9999)).toBeUndefined();
  });

  it('lists by one state or by several', () => {
    f.outbox.enqueue(job('a'));
    f.outbox.enqueue(job('b'));
    f.outbox.bury(f.outbox.get('b')?.id ?? -1, 'Сервер отказал', 'HTTP 422', f.clock.now);
    expect(f.outbox.list({ state: 'dead' }).map((j) => j.idempotencyKey)).toEqual(['b']);
    expect(f.outbox.list({ state: ['pending', 'dead'] }).map((j) => j.idempotencyKey)).toEqual(['a', 'b']);
  });

  it('refuses a database file without the outbox tables with a storage error naming the file', () => {
    const bare = openDatabase(`${f.dbFile}.bare`, { migrations: [] });
    try {
      expect(caughtAppError(() => new Outbox(bare))).toMatchObject({
        code: expect.stringMatching(/^QUEUE_/),
        detail: expect.stringContaining(`no such table: outbox_jobs (${f.dbFile}.bare)`),
      });
    } finally {
      bare.close();
    }
  });
});

describe('Outbox.claimNext: the lease', () => {
  it('hands each job out once across two connections to the same file, then nothing', () => {
    const other = new Outbox(openDatabase(f.dbFile), { clock: () => f.clock.now });
    try {
      for (let i = 0; i < 20; i++) f.outbox.enqueue(job(`k${i}`));
      const claimed: string[] = [];
      for (let i = 0; i < 25; i++) {
        const mine = (i % 2 === 0 ? f.outbox : other).claimNext('lifepos', f.clock.now, i % 2 === 0 ? 'w-a' : 'w-b');
        if (mine) claimed.push(mine.row.idempotency_key);
      }
      expect(claimed).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`));
      expect(f.outbox.list({ state: 'running' })).toHaveLength(20);
      expect(new Set(f.outbox.list().map((j) => j.lockedBy))).toEqual(new Set(['w-a', 'w-b']));
    } finally {
      other.db.close();
    }
  });

  it('counts the attempt, sets the maybe-sent mark and the lease in the same write', () => {
    f.outbox.enqueue(job('a'));
    const claimed = f.outbox.claimNext('lifepos', f.clock.now, 'w-a');
    expect(claimed?.row).toMatchObject({ idempotency_key: 'a', attempts: 1, sent_attempts: 1 });
    expect(f.outbox.get('a')).toMatchObject({ state: 'running', attempts: 1, maybeSent: true, lockedBy: 'w-a', lockedAt: f.clock.now });
  });

  it('takes only a due job of its own back end whose dependency is done, oldest first', () => {
    f.outbox.enqueue(job('later', { runAt: f.clock.now + 1 }));
    f.outbox.enqueue(job('pay', { backend: 'lifepay' }));
    f.outbox.enqueue(job('create'));
    f.outbox.enqueue(job('patch', { dependsOn: 'create' }));
    f.outbox.enqueue(job('first-of-two'));
    const claim = () => f.outbox.claimNext('lifepos', f.clock.now, 'w-a')?.row.idempotency_key;

    expect(f.outbox.hasDue('lifepos', f.clock.now)).toBe(true);
    expect(claim()).toBe('create');
    expect(claim()).toBe('first-of-two');
    // 'patch' waits for 'create', which is running, not done; 'later' is not due.
    expect(claim()).toBeUndefined();
    expect(f.outbox.hasDue('lifepos', f.clock.now)).toBe(false);
    expect(f.outbox.nextRunAt('lifepos')).toBe(f.clock.now + 1);

    f.outbox.complete(f.outbox.get('create')?.id ?? -1, '{"session":"s-1"}', f.clock.now);
    expect(f.outbox.dependentBackends('create')).toEqual(['lifepos']);
    expect(f.outbox.claimNext('lifepos', f.clock.now, 'w-a')).toMatchObject({
      row: { idempotency_key: 'patch', depends_on: 'create' },
      dependencyResult: '{"session":"s-1"}',
    });
    f.clock.now += 1;
    expect(claim()).toBe('later');
    expect(f.outbox.claimNext('lifepay', f.clock.now, 'w-a')).toMatchObject({ row: { idempotency_key: 'pay' }, dependencyResult: null });
  });

  it('never hands out a job whose dependency is dead, and says when nothing can run', () => {
    f.outbox.enqueue(job('create'));
    f.outbox.enqueue(job('patch', { dependsOn: 'create' }));
    f.outbox.bury(f.outbox.get('create')?.id ?? -1, 'причина', 'detail', f.clock.now);
    expect(f.outbox.claimNext('lifepos', f.clock.now, 'w-a')).toBeUndefined();
    expect(f.outbox.nextRunAt('lifepos')).toBeNull();
    expect(f.outbox.pendingBackends()).toEqual(['lifepos']);
  });
});
