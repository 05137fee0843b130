import { isAppError } from '../appError';
import { backoffDelay, type BackoffOptions } from './backoff';

export type FailureDecision =
  | { action: 'retry'; runAt: number; lastError: string }
  | { action: 'bury'; reason: string; lastError: string };

export interface FailureContext extends BackoffOptions {
  attempts: number;
  maxAttempts: number;
  now: number;
}

/**
 * What to do after run() threw. The back-end clients classify their own failures once, as
 * AppError.retry; this only acts on it:
 * - permanent: dead at once, with the server's own message for the cashier;
 * - transient / unknown-outcome: back off (Retry-After, when the client read one, replaces the schedule);
 *   an unknown outcome is safe to retry because run() looks the object up before creating it again;
 * - anything that is not an AppError is a bug or a library surprise: retried like a transient failure,
 *   its message kept for support.
 */
export function decideFailure(error: unknown, ctx: FailureContext): FailureDecision {
  const lastError = describe(error);
  if (isAppError(error) && error.retry === 'permanent') {
    return { action: 'bury', reason: error.message, lastError };
  }
  if (ctx.attempts >= ctx.maxAttempts) {
    const said = isAppError(error) ? error.message : 'внутренняя ошибка программы';
    return {
      action: 'bury',
      reason: `Не удалось выполнить за ${ctx.attempts} попыт${plural(ctx.attempts)}. Последняя ошибка: ${said}`,
      lastError,
    };
  }
  const retryAfter = isAppError(error) && error.retryAfterMs !== undefined ? Math.max(0, error.retryAfterMs) : undefined;
  return { action: 'retry', runAt: ctx.now + (retryAfter ?? backoffDelay(ctx.attempts, ctx)), lastError };
}

function describe(error: unknown): string {
  if (isAppError(error)) {
    const status = error.httpStatus === undefined ? '' : ` HTTP ${error.httpStatus}`;
    return `${error.code} (${error.retry})${status}: ${error.detail ?? error.message}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `thrown: ${String(error)}`;
}

function plural(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return 'ку';
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 'ки';
  return 'ок';
}
