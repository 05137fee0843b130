const MINUTE = 60_000;

/**
 * The outbox's own retry rhythm, in minutes: 1, 2, 5, then every 15. Outbox jobs are this till's calls
 * to LIFE POS after a refund (reversal session, receipt data, deal status); until they land, other tills
 * see the sale's old remainder, so waits stay short and the last step (which repeats) is a quarter of an
 * hour, not an hour. A back end coming back online wakes the worker at once anyway (connectivity
 * monitor); the schedule covers what the monitor cannot see. It is deliberately not the 1/3/5/10/60
 * schedule of seed 001, which is LIFE PAY's rhythm for calling *us* with its notifications.
 */
export const OUTBOX_RETRY_MINUTES: readonly number[] = [1, 2, 5, 15];
export const defaultSchedule: readonly number[] = OUTBOX_RETRY_MINUTES.map((m) => m * MINUTE);

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
