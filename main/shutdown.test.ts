import { describe, expect, it } from 'vitest';
import { createShutdown } from './shutdown';

const recorder = () => {
  const lines: string[] = [];
  return { lines, log: { info: (m: string) => lines.push(`info ${m}`), error: (m: string) => lines.push(`error ${m}`) } };
};

describe('createShutdown', () => {
  it('runs the steps in order, each after the previous one has finished', async () => {
    const order: string[] = [];
    let releaseReceipt!: () => void;
    const receipt = new Promise<void>((r) => { releaseReceipt = r; });
    const { log } = recorder();
    const shutdown = createShutdown({
      log, timeoutMs: 5_000,
      steps: [
        { name: 'stop requests', run: () => { order.push('stop'); } },
        { name: 'services', run: async () => { order.push('services:start'); await receipt; order.push('services:done'); } },
        { name: 'exit', run: () => { order.push('exit'); } },
      ],
    });
    const done = shutdown('test');
    await Promise.resolve();
    expect(order).toEqual(['stop', 'services:start']);
    releaseReceipt();
    expect(await done).toBe('clean');
    expect(order).toEqual(['stop', 'services:start', 'services:done', 'exit']);
  });

  it('a second call returns the same run instead of starting another', async () => {
    let runs = 0;
    const { log } = recorder();
    const shutdown = createShutdown({ log, timeoutMs: 5_000, steps: [{ name: 'count', run: () => { runs++; } }] });
    const a = shutdown('first');
    const b = shutdown('second');
    expect(a).toBe(b);
    await a;
    expect(runs).toBe(1);
  });

  it('a failing step is logged and the later steps still run', async () => {
    const { log, lines } = recorder();
    let closed = false;
    const shutdown = createShutdown({
      log, timeoutMs: 5_000,
      steps: [{ name: 'server', run: async () => { throw new Error('EADDRINUSE'); } }, { name: 'db', run: () => { closed = true; } }],
    });
    expect(await shutdown('test')).toBe('with-errors');
    expect(closed).toBe(true);
    expect(lines).toContain('error shutdown step failed');
  });

  it('gives up after the timeout when a step never finishes', async () => {
    const { log, lines } = recorder();
    const shutdown = createShutdown({ log, timeoutMs: 50, steps: [{ name: 'stuck printer', run: () => new Promise<void>(() => {}) }] });
    expect(await shutdown('test')).toBe('timed-out');
    expect(lines).toContain('error shutdown did not finish in time; exiting anyway');
  });
});
