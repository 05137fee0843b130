import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useQueueFixture, queueJob } from '../../test/queue/queueFixture';
import { Outbox, type OutboxStats } from './outbox';

/**
 * When the sync panel hears of a change: a 'change' snapshot is coalesced to at most one per
 * statsIntervalMs (100 ms unless told), always carries the last change, is sent only for writes that
 * changed something, and costs nothing while nobody listens. Timers and Date are faked so "not sent
 * yet" and "sent now" are exact; the database is a real file.
 */
const f = useQueueFixture();
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** An outbox on the fixture's file with the default snapshot interval, and the snapshots it sends. */
function panel(): { outbox: Outbox; seen: OutboxStats[]; off: () => void } {
  const outbox = new Outbox(f.db, { clock: () => f.clock.now });
  const seen: OutboxStats[] = [];
  const off = outbox.on('change', (s) => seen.push(s));
  return { outbox, seen, off };
}

describe('change snapshots', () => {
  it('sends a new subscriber one at once, then at most one per 100 ms, carrying the last change', () => {
    const { outbox, seen } = panel();
    vi.advanceTimersByTime(0);
    expect(seen.map((s) => s.counts.pending)).toEqual([0]);
    outbox.enqueue(queueJob('a'));
    outbox.enqueue(queueJob('b'));
    outbox.enqueue(queueJob('c'));
    vi.advanceTimersByTime(99);
    expect(seen).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(seen.map((s) => s.counts.pending)).toEqual([0, 3]);
    vi.advanceTimersByTime(1_000);
    expect(seen).toHaveLength(2);
  });

  it('keeps the interval it is given', () => {
    const outbox = new Outbox(f.db, { statsIntervalMs: 300 });
    const seen: OutboxStats[] = [];
    outbox.on('change', (s) => seen.push(s));
    vi.advanceTimersByTime(0);
    outbox.enqueue(queueJob('a'));
    vi.advanceTimersByTime(299);
    expect(seen).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(seen.map((s) => s.counts.pending)).toEqual([0, 1]);
  });

  it('schedules nothing while nobody listens', () => {
    const outbox = new Outbox(f.db);
    outbox.enqueue(queueJob('a'));
    outbox.claimNext('lifepos', f.clock.now, 'w');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends nothing to change listeners when someone subscribes to ready', () => {
    const { outbox, seen } = panel();
    vi.advanceTimersByTime(0);
    outbox.on('ready', () => undefined);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(seen).toHaveLength(1);
  });

  it('gives a panel opened after the last one closed its first snapshot at once', () => {
    const first = panel();
    vi.advanceTimersByTime(0);
    vi.advanceTimersByTime(50);
    first.outbox.enqueue(queueJob('a'));
    first.off();
    // The snapshot due for the change goes to nobody and so does not count against the interval.
    vi.advanceTimersByTime(50);
    const seen: OutboxStats[] = [];
    first.outbox.on('change', (s) => seen.push(s));
    vi.advanceTimersByTime(0);
    expect(seen.map((s) => s.counts.pending)).toEqual([1]);
  });

  it('does not read a database closed while a snapshot was due (the app is quitting)', () => {
    const { outbox, seen } = panel();
    vi.advanceTimersByTime(0);
    outbox.enqueue(queueJob('a'));
    f.db.close();
    expect(() => vi.advanceTimersByTime(100)).not.toThrow();
    expect(seen).toHaveLength(1);
  });
});

describe('change snapshots after reclaiming and expediting', () => {
  const settle = () => vi.advanceTimersByTime(100);

  it('are sent only when reclaimAbandoned put a job back', () => {
    const { outbox, seen } = panel();
    outbox.enqueue(queueJob('a'));
    settle();
    expect(outbox.reclaimAbandoned('me', 10, f.clock.now)).toBe(0);
    settle();
    expect(seen).toHaveLength(1);
    outbox.claimNext('lifepos', f.clock.now, 'crashed');
    settle();
    expect(seen.at(-1)?.counts).toMatchObject({ pending: 0, running: 1 });
    expect(outbox.reclaimAbandoned('me', 10, f.clock.now)).toBe(1);
    expect(seen).toHaveLength(2);
    settle();
    expect(seen.at(-1)?.counts).toMatchObject({ pending: 1, running: 0 });
  });

  it('are sent only when reclaimOwn put a job back', () => {
    const { outbox, seen } = panel();
    outbox.enqueue(queueJob('a'));
    outbox.claimNext('lifepos', f.clock.now, 'me');
    settle();
    expect(outbox.reclaimOwn('me', 'lifepay', 10, f.clock.now)).toBe(0);
    settle();
    expect(seen).toHaveLength(1);
    expect(outbox.reclaimOwn('me', 'lifepos', 10, f.clock.now)).toBe(1);
    settle();
    expect(seen.map((s) => s.counts.running)).toEqual([1, 0]);
  });

  it('are sent only when expedite moved a backing-off job forward', () => {
    const { outbox, seen } = panel();
    outbox.enqueue(queueJob('a'));
    const id = outbox.claimNext('lifepos', f.clock.now, 'me')?.row.id ?? -1;
    outbox.retryLater(id, f.clock.now + 60_000, 'HTTP 503', f.clock.now);
    settle();
    expect(outbox.expedite('lifepay', f.clock.now)).toBe(0);
    settle();
    expect(seen).toHaveLength(1);
    expect(outbox.expedite('lifepos', f.clock.now)).toBe(1);
    settle();
    expect(seen).toHaveLength(2);
    expect(outbox.get(id)?.runAt).toBe(f.clock.now);
  });
});
