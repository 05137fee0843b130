import { BACKEND_TITLES, BackendError } from '../backendError';

/** Without a Retry-After header a 429 pauses for seed 001's window: "не более 3-х в минуту". */
const DEFAULT_PAUSE_MS = 60_000;

/**
 * After LIFE PAY answers 429, the client sends nothing until the server's Retry-After has passed: each
 * call in that time fails at once, without a request, saying when to try again. No call is limited
 * before the server asks for it: seed 001 documents the 3-a-minute limit for catalog upload only
 * ("Ошибка 429 / ошибка при загрузке каталога"), and this app uploads no catalog.
 */
export class ServerPause {
  private until = 0;

  constructor(private readonly now: () => number = Date.now) {}

  pauseFor(retryAfterMs: number | undefined): void {
    this.until = Math.max(this.until, this.now() + (retryAfterMs ?? DEFAULT_PAUSE_MS));
  }

  /** Throws while the server's pause lasts; nothing is sent. */
  check(operation: string): void {
    const wait = this.until - this.now();
    if (wait <= 0) return;
    throw new BackendError({
      backend: 'lifepay',
      failure: 'throttled',
      code: 'lifepay.rate_limited',
      retry: 'transient',
      retryAfterMs: wait,
      message: `${BACKEND_TITLES.lifepay} попросил подождать: повторите через ${Math.ceil(wait / 1000)} с.`,
      detail: `${operation}: not sent, server asked to wait ${wait} ms more`,
    });
  }
}
