import { z } from 'zod';

/** Faults the emulator injects on demand; also the IPC message body for the out-of-process mode. */
export const Faults = z.object({
  /** The next N frames the device sends carry a wrong LRC. */
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
  /** How the device answers the command during which paper ran out. */
  paperOutInterruptedAnswer: z.enum(['ok', 'paperError']).optional(),
  coverOpen: z.boolean().optional(),
  /** The printer is busy (printing) for this long: commands other than status answer 0x50. */
  busyForMs: z.number().int().nonnegative().optional(),
  /**
   * Power cut: 'now'; after the K-th position of the next receipt; or right after the close command was
   * fiscalized, before its answer leaves. The device stays dark until powered on again.
   */
  powerLoss: z.union([z.literal('now'), z.literal('afterCloseFiscalized'), z.object({ afterPositions: z.number().int().positive() })]).nullable().optional(),
  /**
   * Damage the checksum cannot see: in the next answer to `code` long enough to hold both bytes, XOR the
   * two payload bytes at `bytes` with the same mask, so the frame's LRC still matches. Each entry is used
   * once, in order. How an answer "damaged in a way the 8-bit checksum misses" reaches the host.
   */
  undetectedDamage: z.array(z.object({ code: z.number().int(), bytes: z.tuple([z.number().int().min(0), z.number().int().min(0)]), xor: z.number().int().min(1).max(255) })).optional(),
  /** Moves the device clock, e.g. 25 h ahead to make an open shift expire. */
  clockOffsetMs: z.number().int().optional(),
});
export type Faults = z.infer<typeof Faults>;

export { seededRandom } from '../seededRandom';
