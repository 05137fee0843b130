/**
 * Single-consumer queue of link events with a bounded wait: what both serial transports (shtrih/, atol/)
 * read their port's events through, so a read never blocks past its deadline and never polls.
 */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private waiter: ((e: T | null) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  push(e: T): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      clearTimeout(this.timer);
      w(e);
    } else {
      this.items.push(e);
    }
  }

  /** The oldest event, or null when none comes within `timeoutMs`. */
  next(timeoutMs: number): Promise<T | null> {
    const first = this.items.shift();
    if (first) return Promise.resolve(first);
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(null);
      }, timeoutMs);
    });
  }

  /** Takes every queued event (a fresh request must not read replies to an earlier one). */
  drain(): T[] {
    return this.items.splice(0);
  }
}
