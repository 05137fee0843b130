import { BACKEND_TITLES, BackendError } from '../backendError';

/** Without a Retry-After header a 429 pauses for seed 001's window: "не более 3-х в минуту". */
const DEFAULT_PAUSE_MS = 60_000;

/**
 * After LIFE PAY answers 429 to an operation, the client sends that operation nothing until the server's
 * Retry-After has passed: each such call in that time fails at once, without a request, saying when to
 * try again. The pause is per operation (a limited transaction list does not stop a refund's cloud
 * receipt): seed 001 documents its limit, "не более 3-х в минуту", for one operation (catalog upload,
 * "Ошибка 429 / ошибка при загрузке каталога"), not for the API as a whole. No call is limited before the
 * server asks for it, and this app uploads no catalog.
 */
export class ServerPause {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  pauseFor(operation: string, retryAfterMs: number | undefined): void {
    this.until.set(operation, Math.max(this.until.get(operation) ?? 0, this.now() + (retryAfterMs ?? DEFAULT_PAUSE_MS)));
  }

  /** Throws while the server's pause of this operation lasts; nothing is sent. */
  check(operation: string): void {
    const wait = (this.until.get(operation) ?? 0) - this.now();
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
