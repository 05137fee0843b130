import { z } from 'zod';
import { Faults } from './faults';

/** Messages between a test and an emulator running in its own process (so the test can kill -9 it). */
export const ToEmulator = z.discriminatedUnion('type', [
  z.object({ type: z.literal('setFault'), id: z.number(), faults: Faults }),
  z.object({ type: z.literal('stats'), id: z.number() }),
  z.object({ type: z.literal('resetStats'), id: z.number() }),
]);
export type ToEmulator = z.infer<typeof ToEmulator>;

const Stats = z.object({ bytesIn: z.number(), bytesOut: z.number(), commands: z.number(), processingMs: z.number(), undetectedCorruptions: z.number() });

export const FromEmulator = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), path: z.string() }),
  z.object({ type: z.literal('done'), id: z.number() }),
  z.object({ type: z.literal('stats'), id: z.number(), stats: Stats }),
]);
export type FromEmulator = z.infer<typeof FromEmulator>;
