import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProbe } from './statusProbe';

describe('status probe', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks on every tick, but never a second time while one answer is outstanding', async () => {
    const answers: (() => void)[] = [];
    const probe = vi.fn(() => new Promise<void>((resolve) => answers.push(resolve)));
    const stop = startProbe(probe, 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(1);
    // A receipt holds the printer: four more ticks pass with the first probe still queued.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(probe).toHaveBeenCalledTimes(1);
    answers[0]?.();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(2);
    answers[1]?.();
    stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probe).toHaveBeenCalledTimes(2);
  });
});
