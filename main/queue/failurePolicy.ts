import { isAppError } from '../appError';
import type { MainText } from '../../preload/contract';
import { russianPlural } from '../../preload/contract/russianPlural';
import { saidError } from '../saidError';
import { backoffDelay, type BackoffOptions } from './backoff';

export type FailureDecision =
  | { action: 'retry'; runAt: number; lastError: string }
  /** said: the reason as a code with values for the UI (absent for the worker's own fixed reasons). */
  | { action: 'bury'; reason: string; lastError: string; said?: MainText };

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
    return { action: 'bury', reason: error.message, lastError, said: { code: 'outbox.refused', params: { error: saidError(error) } } };
  }
  if (ctx.attempts >= ctx.maxAttempts) {
    const last = isAppError(error) ? error.message : 'внутренняя ошибка программы';
    return {
      action: 'bury',
      reason: `Не удалось выполнить за ${ctx.attempts} ${russianPlural(ctx.attempts, ['попытку', 'попытки', 'попыток'])}. Последняя ошибка: ${last}`,
      lastError,
      said: { code: 'outbox.gaveUp', params: { attempts: ctx.attempts, ...(isAppError(error) ? { error: saidError(error) } : {}) } },
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
