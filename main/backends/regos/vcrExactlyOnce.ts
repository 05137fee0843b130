import { isAppError, type AppError, type RetryClass } from '../../appError';

/**
 * Exactly once by `code` for every VCR receipt this app registers (Receipt.Refund, seed 002;
 * Receipt.Credit, seed 003), as plain decisions so each rule is tested on its own. Neither the refund
 * channel nor the instalment service relies on VCR's duplicate-code check: both seeds say it "может быть
 * отключена … при отключеной проверке разрешается добавлять чеки с повторяющимися кодами". A receipt whose
 * answer was lost is asked about with Receipt.GetInfo by its code (BACKENDS.md "Recovery") and sent again
 * only after a definite "no such receipt".
 */

/** Who asks: the send at the counter, the cashier's own "try again", or a background timer. */
export type VcrAsker = 'counter' | 'retry' | 'recovery';

export type RegosSendStep = 'registered' | 'lookup' | 'failRepeat' | 'fail';

/**
 * The receipt call failed. VCR refusing our code because it already holds it (the client asked
 * Receipt.GetInfo and found it) means it is ours and registered; a lost answer is asked about by code;
 * a transient failure registered nothing.
 */
export function regosAfterSendError(e: { code: string; retry: RetryClass }): RegosSendStep {
  if (e.code === 'regos.duplicate_code') return 'registered';
  if (e.retry === 'unknown-outcome') return 'lookup';
  if (e.retry === 'transient') return 'failRepeat';
  return 'fail';
}

export type RegosLookupStep = 'done' | 'resend' | 'wait' | 'fail';

/**
 * What Receipt.GetInfo said about our code. Never resend while the outcome is unknown: only a definite
 * "no such receipt" allows it, and only with the cashier at the counter (their confirm or "Повторить");
 * in the background a definite "not registered" ends the attempt as not done — nobody is there to take
 * or hand over the money, and a receipt printed hours later at an empty counter helps no one.
 */
export function regosAfterLookup(found: 'registered' | 'notRegistered' | 'noAnswer', by: VcrAsker, resendsLeft: number): RegosLookupStep {
  if (found === 'registered') return 'done';
  if (found === 'noAnswer') return 'wait';
  if (by === 'recovery') return 'fail';
  return resendsLeft > 0 ? 'resend' : 'wait';
}

export type VcrAnswer<T> = { found: 'registered'; info: T } | { found: 'notRegistered' | 'noAnswer' };

/**
 * Receipt.GetInfo by our code, reduced to the three answers `regosAfterLookup` judges: no client, or a
 * question that failed, is 'noAnswer' (the receipt waits), never 'notRegistered'.
 */
export async function askVcrByCode<T>(getInfo: ((code: string) => Promise<T | null>) | null, code: string, unanswered: (e: AppError) => void): Promise<VcrAnswer<T>> {
  if (!getInfo) return { found: 'noAnswer' };
  try {
    const info = await getInfo(code);
    return info === null ? { found: 'notRegistered' } : { found: 'registered', info };
  } catch (e) {
    if (!isAppError(e)) throw e;
    unanswered(e);
    return { found: 'noAnswer' };
  }
}
