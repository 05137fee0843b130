import { BACKEND_TITLES, BackendError } from './backendError';
import type { BackendName } from '../../preload/contract/domain';

export interface RateLimiterOptions {
  backend: BackendName;
  maxRequests: number;
  windowMs: number;
  /** Longer waits fail fast with a transient error: a cashier should not stare at a spinner for a minute. */
  maxWaitMs: number;
  now?: () => number;
}

/**
 * Sliding-window client-side limit. LIFE PAY answers 429 above three requests a minute (seed 001),
 * so the client spaces its own calls instead of collecting 429s; a 429 that still arrives pauses
 * the window for the server's Retry-After.
 */
export class RateLimiter {
  private readonly opts: RateLimiterOptions;
  private readonly now: () => number;
  private readonly sent: number[] = [];
  private pausedUntil = 0;

  constructor(opts: RateLimiterOptions) {
    if (opts.maxRequests < 1 || opts.windowMs <= 0) throw new RangeError('rate limit must allow at least one request per window');
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  /** Milliseconds until a request may be sent (0 = now). */
  delayMs(): number {
    const now = this.now();
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - this.opts.windowMs) this.sent.shift();
    const byWindow = this.sent.length < this.opts.maxRequests ? 0 : (this.sent[0] ?? now) + this.opts.windowMs - now;
    return Math.max(byWindow, this.pausedUntil - now, 0);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (let wait = this.delayMs(); wait > 0; wait = this.delayMs()) {
      if (wait > this.opts.maxWaitMs) {
        throw new BackendError({
          backend: this.opts.backend,
          failure: 'throttled',
          code: `${this.opts.backend}.rate_limited`,
          retry: 'transient',
          retryAfterMs: wait,
          message: `${BACKEND_TITLES[this.opts.backend]} разрешает не более ${this.opts.maxRequests} запросов в минуту. `
            + `Повторите через ${Math.ceil(wait / 1000)} с.`,
          detail: `client-side limit ${this.opts.maxRequests}/${this.opts.windowMs}ms, wait ${wait}ms`,
        });
      }
      await delay(wait, signal);
    }
    this.sent.push(this.now());
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
