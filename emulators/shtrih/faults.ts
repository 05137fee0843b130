import { z } from 'zod';
import { PtyFaults } from '../ptyFaults';

/** Faults the emulator injects on demand; also the IPC message body for the out-of-process mode. */
export const Faults = PtyFaults.extend({
  /** How the device answers the command during which paper ran out. */
  paperOutInterruptedAnswer: z.enum(['ok', 'paperError']).optional(),
  coverOpen: z.boolean().optional(),
  /** The printer is busy (printing) for this long: commands other than status answer 0x50. */
  busyForMs: z.number().int().nonnegative().optional(),
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
