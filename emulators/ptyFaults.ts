import { z } from 'zod';

/**
 * The faults both protocol emulators take by the same names, so a test (the refund chaos) injects them
 * the same way whatever the protocol. Each protocol extends these with faults of its own
 * (emulators/shtrih/faults.ts, emulators/atol/link.ts) and decides which of its commands is "a position"
 * and "the receipt's close".
 */
export const PtyFaults = z.object({
  /** The next N frames the device sends carry a wrong checksum (Shtrih-M LRC, ATOL CRC). */
  badChecksumNext: z.number().int().nonnegative().optional(),
  /** Drop the last N bytes of the next answer frame (the host sees a truncated frame). */
  dropNextAnswerBytes: z.number().int().nonnegative().optional(),
  /** Each byte, either direction, is lost with this probability. */
  lossProbability: z.number().min(0).max(1).optional(),
  /** Each byte, either direction, is replaced by a different random byte with this probability. */
  corruptProbability: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  /** The device hears nothing and says nothing (unplugged cable, dead board). */
  silent: z.boolean().optional(),
  paper: z.enum(['ok', 'out']).optional(),
  /** Paper runs out while printing the K-th position of a receipt (the position is registered). */
  paperOutAfterPositions: z.number().int().positive().nullable().optional(),
  /**
   * Power cut: 'now'; after the K-th position of the next receipt; or right after the close command was
   * fiscalized, before its answer leaves. The device stays dark until powered on again.
   */
  powerLoss: z.union([z.literal('now'), z.literal('afterCloseFiscalized'), z.object({ afterPositions: z.number().int().positive() })]).nullable().optional(),
});
export type PtyFaults = z.infer<typeof PtyFaults>;
