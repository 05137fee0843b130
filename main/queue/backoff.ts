const MINUTE = 60_000;

/**
 * 1, 3, 5, 10 minutes, then hourly: the rhythm LIFE PAY documents for re-sending its own notifications
 * (seeds/001, "Промежутки повтора запроса", at most 10 attempts), reused for our calls to LIFE PAY and
 * LIFE POS. The last step repeats.
 */
export const defaultSchedule: readonly number[] = [1 * MINUTE, 3 * MINUTE, 5 * MINUTE, 10 * MINUTE, 60 * MINUTE];

export interface BackoffOptions {
  schedule: readonly number[];
  /** Fraction of the step to spread by, both ways: 0.1 turns 10 minutes into 9..11 minutes. */
  jitter: number;
  /** [0, 1), like Math.random. */
  random: () => number;
}

/** Delay before the next try after `failedAttempts` failures (1 after the first). */
export function backoffDelay(failedAttempts: number, opts: BackoffOptions): number {
  if (opts.schedule.length === 0) return 0;
  const step = opts.schedule[Math.min(Math.max(failedAttempts, 1), opts.schedule.length) - 1] ?? 0;
  const spread = Math.min(Math.max(opts.jitter, 0), 1);
  // Jitter keeps terminals that lost the same network from all calling back in the same second.
  return Math.max(0, Math.round(step * (1 + spread * (2 * opts.random() - 1))));
}
