import { describe, expect, it } from 'vitest';
import { httpError, useQueueFixture, scriptedKind } from '../../test/queue/queueFixture';
import { tempDir } from '../../test/queue/tempDir';
import { openDatabase } from './database';
import { defineJobKind, type JobKind } from './jobKind';
import { allMigrations } from './migrations';
import { Outbox, type BookkeepingSync } from './outbox';
import type { OutboxWorkerOptions } from './worker';
import { z } from 'zod';

/**
 * The maybe-sent mark (issue 11 point 3): once an attempt of a job has started, every later attempt is
 * told so — after a lost answer, after a crash, and after the cashier's manual retry of the dead job,
 * which resets the attempt budget but must not make the job forget what it may have sent.
 */
const f = useQueueFixture();

const worker = (opts: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'kinds'>) => f.worker({ schedule: [10], ...opts });

const lost = async () => {
  throw httpError(504, 'unknown-outcome');
};

describe('maybe-sent mark', () => {
  it('is off for the first attempt and on for every later one, manual retry of the dead job included', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(lost);
    const job = f.outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'a', maxAttempts: 1 });
    expect(job.maybeSent).toBe(false);
    const w = worker({ kinds: [pos.def] });
    await w.drain();
    expect(f.outbox.get('a')).toMatchObject({ state: 'dead', attempts: 1, maybeSent: true });

    const back = f.outbox.retryDead(job.id);
    expect(back).toMatchObject({ state: 'pending', attempts: 0, maybeSent: true });
    await w.drain();
    expect(pos.calls.map((c) => [c.ctx.attempt, c.ctx.maybeSent])).toEqual([
      [1, false],
      [1, true],
    ]);
    expect(f.outbox.get('a')).toMatchObject({ state: 'done', attempts: 1, maybeSent: true });
  });

  it('stays on across automatic retries and is never set for a job that has not started', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    pos.steps.push(lost, lost);
    f.outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'a' });
    f.outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: 2 }, idempotencyKey: 'b', runAt: f.clock.now + 60_000 });
    const w = worker({ kinds: [pos.def] });
    for (let i = 0; i < 3; i++) {
      await w.drain();
      f.clock.now += 20;
    }
    expect(pos.calls.map((c) => [c.n, c.ctx.attempt, c.ctx.maybeSent])).toEqual([
      [1, 1, false],
      [1, 2, true],
      [1, 3, true],
    ]);
    expect(f.outbox.get('b')).toMatchObject({ state: 'pending', maybeSent: false });
  });

  it('is on when a job a crashed process left running is run again', async () => {
    const pos = scriptedKind('pos.call', 'lifepos');
    f.outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'a' });
    // The other process claimed it (the attempt may have left) and died before recording anything.
    expect(f.outbox.claimNext('lifepos', f.clock.now, 'crashed-process')).toBeDefined();
    await worker({ kinds: [pos.def] }).drain();
    expect(pos.calls.map((c) => [c.ctx.attempt, c.ctx.maybeSent])).toEqual([[2, true]]);
  });

  it('survives the upgrade: a dead job of an older database keeps what its attempts said', () => {
    const tmp = tempDir();
    try {
      const old = openDatabase(tmp.file('old.db'), { migrations: allMigrations.slice(0, 4) });
      const insert = old.prepare(`INSERT INTO outbox_jobs (kind, backend, idempotency_key, payload, state, attempts, run_at, created_at, updated_at)
                                  VALUES ('pos.call', 'lifepos', ?, '{"n":1}', ?, ?, 0, 0, 0)`);
      insert.run('tried', 'dead', 3);
      insert.run('untried', 'pending', 0);
      old.close();
      const db = openDatabase(tmp.file('old.db'));
      const outbox = new Outbox(db);
      expect(outbox.get('tried')?.maybeSent).toBe(true);
      expect(outbox.retryDead(outbox.get('tried')?.id ?? -1)).toMatchObject({ attempts: 0, maybeSent: true });
      expect(outbox.get('untried')?.maybeSent).toBe(false);
      db.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('durable mark before a create leaves', () => {
  /** Records each bookkeeping commit's durability and each run(), in order, on the real outbox. */
  function trace(kinds: (events: string[]) => JobKind[]): { events: string[]; kinds: JobKind[] } {
    const events: string[] = [];
    const real = f.outbox.bookkeeping.bind(f.outbox);
    f.outbox.bookkeeping = <T>(sync: BookkeepingSync, fn: () => T): T => {
      events.push(sync);
      return real(sync, fn);
    };
    return { events, kinds: kinds(events) };
  }
  const kind = (name: string, durableMark: boolean, events: string[]) =>
    defineJobKind({
      kind: name,
      backend: 'lifepos',
      payload: z.object({ n: z.number() }),
      durableMark,
      run: async (_p, ctx) => {
        events.push(`run ${name} ${ctx.attempt}`);
        if (ctx.attempt === 1) throw httpError(504, 'unknown-outcome');
        return null;
      },
    });

  it('commits the mark with a full sync between the claim and each attempt of a creating kind only', async () => {
    const t = trace((events) => [kind('create', true, events), kind('patch', false, events)]);
    f.outbox.enqueue({ kind: 'create', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'c' });
    f.outbox.enqueue({ kind: 'patch', backend: 'lifepos', payload: { n: 2 }, idempotencyKey: 'p' });
    const w = worker({ kinds: t.kinds });
    await w.drain();
    f.clock.now += 20;
    await w.drain();
    expect(t.events).toEqual([
      'normal', // claim of c
      'full', // its mark, synced before anything is sent
      'run create 1',
      'normal', // c's outcome + claim of p
      'run patch 1',
      'normal', // p's outcome
      'normal', // claim of c again
      'full', // synced again: a claim whose attempt never left may have been the last relaxed commit
      'run create 2',
      'normal', // c done + claim of p
      'run patch 2',
      'normal',
    ]);
  });

  it('sends nothing when the database refuses the mark, and sends once it accepts it again', async () => {
    const events: string[] = [];
    const create = kind('create', true, events);
    f.outbox.enqueue({ kind: 'create', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'c' });
    // A refusal that hits only the mark's write: a running job updated and left running.
    f.db.exec(`CREATE TRIGGER refuse_mark BEFORE UPDATE ON outbox_jobs WHEN OLD.state = 'running' AND NEW.state = 'running'
               BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END`);
    const w = worker({ kinds: [create] });
    const errors: string[] = [];
    w.on('error', (e) => errors.push(e.code));
    await expect(w.drain()).rejects.toMatchObject({ code: expect.stringMatching(/^QUEUE_/) });
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(f.outbox.get('c')).toMatchObject({ state: 'running', maybeSent: true });

    f.db.exec('DROP TRIGGER refuse_mark');
    w.retryStorageNow();
    await w.drain();
    expect(events).toEqual(['run create 2']);
  });

  it('adds no commit when the bookkeeping is fully synced anyway', async () => {
    const t = trace((events) => [kind('create', true, events)]);
    f.outbox.enqueue({ kind: 'create', backend: 'lifepos', payload: { n: 1 }, idempotencyKey: 'c' });
    await worker({ kinds: t.kinds, bookkeepingSync: 'full' }).drain();
    expect(t.events).toEqual(['full', 'run create 1', 'full']);
  });
});
