import { performance } from 'node:perf_hooks';

/**
 * Runs actions at precise monotonic times. Wire time at 115200 baud is 87 µs a byte, far below
 * setTimeout's millisecond grain, so the last stretch before a deadline is covered by setImmediate
 * turns; actions run in (due, insertion) order so bytes never overtake each other.
 */
export class PreciseScheduler {
  private queue: Array<{ due: number; seq: number; run: () => void }> = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  now(): number {
    return performance.now();
  }

  at(due: number, run: () => void): void {
    if (this.stopped) return;
    const item = { due, seq: this.seq++, run };
    let i = this.queue.length;
    while (i > 0) {
      const prev = this.queue[i - 1];
      if (prev && prev.due <= due) break;
      i--;
    }
    this.queue.splice(i, 0, item);
    this.arm();
  }

  clear(): void {
    this.queue = [];
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate) return;
    const first = this.queue[0];
    if (!first) return;
    const wait = first.due - this.now();
    if (wait > 2) {
      this.timer = setTimeout(() => this.arm(), wait - 1.5);
      return;
    }
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.tick();
    });
  }

  private tick(): void {
    const now = this.now();
    while (this.queue[0] && this.queue[0].due <= now + 0.02) {
      const item = this.queue.shift();
      item?.run();
      if (this.stopped) return;
    }
    this.arm();
  }
}
