import { z } from 'zod';

/**
 * How long the till keeps what it no longer needs (main/queue/retention.ts, main/log/logRetention.ts).
 * Kept in settings.json only, not on the settings screen: the defaults suit every store, and the store's
 * IT person can change them in the file. Refunds are never pruned: they are the till's history.
 *
 * The lower bounds keep a hand edit from deleting what a refund may still need: a cached sale backs an
 * offline refund (returns within 14 days are the common case, ЗоЗПП art. 25), a done job's key keeps the
 * same back-end call from being queued twice while its refund could still be retried.
 */
export const RetentionSettings = z.object({
  /** Hours between clean-ups (the first runs at start). */
  everyHours: z.number().int().min(1).max(24 * 7),
  /** Outbox jobs that finished successfully, by when they finished. */
  doneJobsDays: z.number().int().min(30),
  /** Sales cached from a back end, by when this till last looked at them. */
  seenSalesDays: z.number().int().min(30),
  /** Rotated log files, by when they were last written. */
  logDays: z.number().int().min(1),
  /** Cap on the rotated log files together; the oldest go first. The current file is never removed. */
  logMaxMegabytes: z.number().int().min(10),
}).strict();
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const DEFAULT_RETENTION: RetentionSettings = { everyHours: 24, doneJobsDays: 90, seenSalesDays: 180, logDays: 30, logMaxMegabytes: 200 };
