import { describe, expect, it } from 'vitest';
import { AppError } from '../appError';
import { backoffDelay, defaultSchedule } from './backoff';
import { decideFailure } from './failurePolicy';

const MIN = 60_000;

describe('backoffDelay', () => {
  it('follows the outbox schedule 1, 2, 5 minutes, then every 15 for ever (not LIFE PAY\'s webhook rhythm)', () => {
    const exact = { schedule: defaultSchedule, jitter: 0, random: () => 0.9 };
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(n, exact))).toEqual([1, 2, 5, 15, 15, 15, 15].map((m) => m * MIN));
  });

  it('stays within ±jitter of the step, reaching both ends', () => {
    const opts = (r: number) => ({ schedule: [10_000], jitter: 0.25, random: () => r });
    expect(backoffDelay(1, opts(0))).toBe(7_500);
    expect(backoffDelay(1, opts(0.5))).toBe(10_000);
    expect(backoffDelay(1, opts(0.999999))).toBe(12_500);
    for (let r = 0; r < 1; r += 0.01) {
      const d = backoffDelay(3, opts(r));
      expect(d).toBeGreaterThanOrEqual(7_500);
      expect(d).toBeLessThanOrEqual(12_500);
    }
  });

  it('clamps a jitter above 1 so a delay never goes negative', () => {
    expect(backoffDelay(1, { schedule: [1000], jitter: 5, random: () => 0 })).toBe(0);
  });
});

describe('decideFailure', () => {
  const ctx = { attempts: 1, maxAttempts: 10, now: 1_000, schedule: [5_000], jitter: 0, random: () => 0.5 };
  const appError = (retry: AppError['retry'], extra: Partial<ConstructorParameters<typeof AppError>[0]> = {}) =>
    new AppError({ code: 'X', message: 'Сделка не найдена', retry, ...extra });

  it('buries a permanent error with its own message', () => {
    expect(decideFailure(appError('permanent', { httpStatus: 404, detail: 'GET /deals/1' }), ctx)).toEqual({
      action: 'bury',
      reason: 'Сделка не найдена',
      lastError: 'X (permanent) HTTP 404: GET /deals/1',
      said: { code: 'outbox.refused', params: { error: { code: 'X', message: 'Сделка не найдена' } } },
    });
  });

  it('retries transient and unknown outcomes on the schedule, Retry-After first', () => {
    expect(decideFailure(appError('transient'), ctx)).toMatchObject({ action: 'retry', runAt: 6_000 });
    expect(decideFailure(appError('unknown-outcome'), ctx)).toMatchObject({ action: 'retry', runAt: 6_000 });
    expect(decideFailure(appError('transient', { httpStatus: 429, retryAfterMs: 120_000 }), ctx)).toMatchObject({ runAt: 121_000 });
    expect(decideFailure(new Error('boom'), ctx)).toEqual({ action: 'retry', runAt: 6_000, lastError: 'Error: boom' });
  });

  it('buries after the last attempt, in Russian with the right plural', () => {
    const last = (attempts: number) => decideFailure(appError('transient'), { ...ctx, attempts, maxAttempts: attempts });
    expect(last(1)).toMatchObject({ reason: 'Не удалось выполнить за 1 попытку. Последняя ошибка: Сделка не найдена' });
    expect(last(3)).toMatchObject({ reason: expect.stringContaining('за 3 попытки') });
    expect(last(10)).toMatchObject({ reason: expect.stringContaining('за 10 попыток') });
    expect(decideFailure('thrown string', { ...ctx, maxAttempts: 1 })).toMatchObject({
      reason: expect.stringContaining('внутренняя ошибка программы'),
    });
  });
});
