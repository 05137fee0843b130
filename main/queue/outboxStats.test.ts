import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useQueueFixture, scriptedKind, statsWhere, queueJob } from '../../test/queue/queueFixture';
import { caughtAppError } from '../../test/support/caughtAppError';
import { defineJobKind } from './jobKind';
import { Outbox, type OutboxStats } from './outbox';
import { OutboxWorker } from './worker';

/**
 * What the sync panel is told (dead letters the cashier must see, jobs they block) and how the job kinds
 * are registered — the edges a mutation run found untested (issue 11 point 7).
 */
const f = useQueueFixture();

const kill = (key: string) => f.outbox.bury(f.outbox.get(key)?.id ?? -1, `Сервер отказал: ${key}`, 'HTTP 422', f.clock.now);

describe('outbox stats', () => {
  it('lists at most statsListLimit dead and blocked jobs, oldest first, while the counts stay whole', () => {
    const small = new Outbox(f.db, { clock: () => f.clock.now, statsListLimit: 2 });
    for (const key of ['d1', 'd2', 'd3']) small.enqueue(queueJob(key));
    for (const [key, on] of [['b1', 'd1'], ['b2', 'd2'], ['b3', 'd3']] as const) small.enqueue(queueJob(key, { dependsOn: on }));
    for (const key of ['d1', 'd2', 'd3']) kill(key);
    const s = small.stats();
    expect(s.counts).toEqual({ pending: 3, running: 0, done: 0, dead: 3 });
    expect(s.dead.map((d) => d.key)).toEqual(['d1', 'd2']);
    expect(s.blocked.map((b) => [b.key, b.dependsOn])).toEqual([
      ['b1', 'd1'],
      ['b2', 'd2'],
    ]);
    expect(s.blocked[0]?.reason).toContain('«d1»');
  });

  it('blocks only behind a dead job, not behind one still on its way', () => {
    f.outbox.enqueue(queueJob('create'));
    f.outbox.enqueue(queueJob('patch', { dependsOn: 'create' }));
    expect(f.outbox.stats().blocked).toEqual([]);
    f.outbox.claimNext('lifepos', f.clock.now, 'w');
    expect(f.outbox.stats().blocked).toEqual([]);
  });

  it('gives a dead job without a stored reason (an older version wrote it) a reason to show', () => {
    f.outbox.enqueue(queueJob('old'));
    f.db.exec(`UPDATE outbox_jobs SET state = 'dead', dead_reason = NULL`);
    expect(f.outbox.stats().dead).toEqual([expect.objectContaining({ key: 'old', reason: expect.stringContaining('Обратитесь в поддержку') })]);
  });

  it('never reports a negative age when the till clock was set back', () => {
    f.outbox.enqueue(queueJob('a'));
    f.clock.now -= 60_000;
    expect(f.outbox.stats()).toMatchObject({ at: f.clock.now, oldestPendingAgeMs: 0 });
    f.clock.now += 90_000;
    expect(f.outbox.stats().oldestPendingAgeMs).toBe(30_000);
  });

  it('has no oldest age once nothing is pending or running', () => {
    f.outbox.enqueue(queueJob('a'));
    f.outbox.complete(f.outbox.claimNext('lifepos', f.clock.now, 'w')?.row.id ?? -1, 'null', f.clock.now);
    expect(f.outbox.stats()).toMatchObject({ counts: { pending: 0, running: 0, done: 1, dead: 0 }, oldestPendingAgeMs: null });
  });
});

describe('change snapshots', () => {
  it('tell the panel of every settling step: claimed, backing off, dead, reclaimed, expedited', async () => {
    f.outbox.enqueue(queueJob('a'));
    f.outbox.enqueue(queueJob('b'));
    const seen = (test: (s: OutboxStats) => boolean) => statsWhere(f.outbox, test, 2_000);
    let next = seen((s) => s.counts.running === 1);
    const a = f.outbox.claimNext('lifepos', f.clock.now, 'w')?.row.id ?? -1;
    await next;
    next = seen((s) => s.counts.running === 0 && s.counts.pending === 2);
    f.outbox.retryLater(a, f.clock.now + 60_000, 'HTTP 503', f.clock.now);
    await next;
    next = seen((s) => s.dead.length === 1);
    f.outbox.bury(a, 'Сервер отказал', 'HTTP 422', f.clock.now);
    await next;
    // Each claim's own snapshot is awaited first, so the reclaim's is the one that must say running 0.
    next = seen((s) => s.counts.running === 1);
    f.outbox.claimNext('lifepos', f.clock.now, 'crashed');
    await next;
    next = seen((s) => s.counts.running === 0 && s.counts.pending === 1);
    expect(f.outbox.reclaimAbandoned('w', 10, f.clock.now)).toBe(1);
    await next;
    next = seen((s) => s.counts.running === 1);
    f.outbox.claimNext('lifepos', f.clock.now, 'w');
    await next;
    next = seen((s) => s.counts.running === 0);
    expect(f.outbox.reclaimOwn('w', 'lifepos', 10, f.clock.now)).toBe(1);
    await next;
  });

  it('stop once the listener unsubscribes', async () => {
    const got: number[] = [];
    const off = f.outbox.on('change', (s) => got.push(s.counts.pending));
    await statsWhere(f.outbox, () => true);
    off();
    const last = statsWhere(f.outbox, (s) => s.counts.pending === 1);
    f.outbox.enqueue(queueJob('a'));
    await last;
    expect(got).toEqual([0]);
  });
});

describe('worker bookkeeping inside an open transaction', () => {
  it('runs as part of it (SQLite refuses to change synchronous inside a transaction) and leaves FULL', () => {
    const inner = f.db.transaction(() => f.outbox.bookkeeping('normal', () => f.db.pragma('synchronous', { simple: true })));
    expect(inner.immediate()).toBe(2);
    expect(f.db.pragma('synchronous', { simple: true })).toBe(2);
  });
});

describe('job kinds', () => {
  it('refuses a kind registered twice, in the outbox and in the worker', () => {
    const a = scriptedKind('pos.call', 'lifepos').def;
    const b = scriptedKind('pos.call', 'lifepos').def;
    expect(caughtAppError(() => new Outbox(f.db, { kinds: [a, b] })).code).toBe('QUEUE_KIND_DUPLICATE');
    expect(caughtAppError(() => new OutboxWorker({ outbox: f.outbox, kinds: [a, b] })).code).toBe('QUEUE_KIND_DUPLICATE');
  });

  it('is not durably marked unless it says so, and names where a payload is wrong', () => {
    const kind = defineJobKind({ kind: 'k', backend: 'b', payload: z.object({ deal: z.object({ id: z.string() }) }), run: async () => null });
    expect(kind.durableMark).toBe(false);
    expect(kind.checkPayload({ deal: { id: 7 } })).toEqual({ ok: false, issues: expect.stringMatching(/^deal\.id: /) });
    expect(kind.checkPayload('text')).toEqual({ ok: false, issues: expect.stringMatching(/^\(root\): /) });
    expect(kind.checkPayload({ deal: { id: 'x' }, extra: 1 })).toEqual({ ok: true, payload: { deal: { id: 'x' } } });
  });
});
