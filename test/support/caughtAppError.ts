import { AppError } from '../../main/appError';

/** Runs `fn` and returns the AppError it threw; any other outcome fails the test. */
export function caughtAppError(fn: () => void): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** Awaits `p` and returns what it was rejected with, checked to be a `type`; a resolved promise fails the test. */
export async function rejectionOf<E extends Error>(p: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const outcome = await p.then(() => undefined, (e: unknown) => e);
  if (outcome instanceof type) return outcome;
  throw new Error(`expected a rejection with ${type.name}, got ${String(outcome)}`);
}
