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
