import { z } from 'zod';

/**
 * Money is an integer count of minor units (kopecks for RUB, tiyin for UZS); quantities are integer
 * thousandths (1000 = one piece, 250 = 0.25 kg). Floats never hold money. Its own module so that
 * domain.ts and mainText.ts, which domain.ts imports, both take them without an import cycle.
 */
export const Minor = z.number().int().safe();
export const Milli = z.number().int().nonnegative().safe();
export const Currency = z.enum(['RUB', 'UZS']);
export type Currency = z.infer<typeof Currency>;
