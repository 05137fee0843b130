import { describe, expect, it } from 'vitest';
import { AppError } from '../appError';
import { backoffDelay } from './backoff';
import { decideFailure, type FailureContext } from './failurePolicy';

/**
 * The dead-letter and backoff rules at their edges (issue 11 point 7: the mutants that survived the
 * happy-path tests in backoff.test.ts). A job gets exactly maxAttempts tries, a Retry-After never sends
 * it into the past, and the cashier's reason is Russian with the right plural for any count.
 */
const ctx: FailureContext = { attempts: 1, maxAttempts: 5, now: 1_000, schedule: [5_000, 7_000], jitter: 0, random: () => 0.5 };
const transient = (extra: Partial<ConstructorParameters<typeof AppError>[0]> = {}) =>
  new AppError({ code: 'X', message: 'Сервер недоступен', retry: 'transient', ...extra });

describe('decideFailure: the attempt budget', () => {
  it('retries up to the last attempt and buries at it, never later and never earlier', () => {
    expect(decideFailure(transient(), { ...ctx, attempts: 4 })).toMatchObject({ action: 'retry' });
    expect(decideFailure(transient(), { ...ctx, attempts: 5 })).toMatchObject({ action: 'bury' });
    // A budget lowered under a job already past it (a manual maxAttempts) still ends it.
    expect(decideFailure(transient(), { ...ctx, attempts: 7 })).toMatchObject({ action: 'bury' });
    expect(decideFailure(new Error('boom'), { ...ctx, attempts: 5 })).toMatchObject({ action: 'bury' });
  });

  it('buries a permanent error on any attempt, the first included', () => {
    const permanent = new AppError({ code: 'X', message: 'Сделка не найдена', retry: 'permanent' });
    expect(decideFailure(permanent, { ...ctx, attempts: 1 })).toMatchObject({ action: 'bury', reason: 'Сделка не найдена' });
  });

  it('backs off by the step of the attempt that failed', () => {
    expect(decideFailure(transient(), { ...ctx, attempts: 1 })).toMatchObject({ runAt: 6_000 });
    expect(decideFailure(transient(), { ...ctx, attempts: 2 })).toMatchObject({ runAt: 8_000 });
    expect(decideFailure(transient(), { ...ctx, attempts: 3 })).toMatchObject({ runAt: 8_000 });
  });
});

describe('decideFailure: Retry-After', () => {
  it('is taken as given, zero included, and a negative one means now, never the past', () => {
    expect(decideFailure(transient({ retryAfterMs: 0 }), ctx)).toMatchObject({ action: 'retry', runAt: 1_000 });
    expect(decideFailure(transient({ retryAfterMs: -60_000 }), ctx)).toMatchObject({ action: 'retry', runAt: 1_000 });
    expect(decideFailure(transient({ retryAfterMs: 30_000 }), ctx)).toMatchObject({ action: 'retry', runAt: 31_000 });
  });

  it('is read only from an AppError: a stray field on another error does not steer the schedule', () => {
    const odd = Object.assign(new Error('library surprise'), { retryAfterMs: 1 });
    expect(decideFailure(odd, ctx)).toMatchObject({ action: 'retry', runAt: 6_000 });
  });
});

describe('decideFailure: what is kept for support and told to the cashier', () => {
  it('describes each kind of failure', () => {
    const lastError = (e: unknown) => (decideFailure(e, ctx) as { lastError: string }).lastError;
    expect(lastError(transient({ detail: 'POST /sessions' }))).toBe('X (transient): POST /sessions');
    expect(lastError(transient())).toBe('X (transient): Сервер недоступен');
    expect(lastError(transient({ httpStatus: 503 }))).toBe('X (transient) HTTP 503: Сервер недоступен');
    expect(lastError(new TypeError('fetch failed'))).toBe('TypeError: fetch failed');
    expect(lastError(42)).toBe('thrown: 42');
  });

  it('counts the attempts in Russian with the right plural form', () => {
    const word = (n: number) => {
      const d = decideFailure(transient(), { ...ctx, attempts: n, maxAttempts: n });
      if (d.action !== 'bury') throw new Error('expected a burial');
      return /за \d+ (\S+)\./.exec(d.reason)?.[1];
    };
    const forms: [number, string][] = [
      [1, 'попытку'], [2, 'попытки'], [3, 'попытки'], [4, 'попытки'], [5, 'попыток'], [10, 'попыток'],
      [11, 'попыток'], [12, 'попыток'], [13, 'попыток'], [14, 'попыток'], [15, 'попыток'],
      [21, 'попытку'], [22, 'попытки'], [24, 'попытки'], [25, 'попыток'],
      [101, 'попытку'], [104, 'попытки'], [111, 'попыток'], [112, 'попыток'], [114, 'попыток'], [122, 'попытки'],
    ];
    expect(forms.map(([n]) => [n, word(n)])).toEqual(forms);
  });
});

describe('backoffDelay: bounds', () => {
  it('treats no failure yet like the first, and has no delay with an empty schedule', () => {
    const exact = { schedule: [1_000, 2_000], jitter: 0, random: () => 0.5 };
    expect(backoffDelay(0, exact)).toBe(1_000);
    expect(backoffDelay(-3, exact)).toBe(1_000);
    expect(backoffDelay(2, exact)).toBe(2_000);
    expect(backoffDelay(3, { ...exact, schedule: [] })).toBe(0);
  });

  it('reads a negative jitter as none', () => {
    expect(backoffDelay(1, { schedule: [1_000], jitter: -0.5, random: () => 0 })).toBe(1_000);
  });
});
