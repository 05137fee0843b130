/**
 * The shutdown both shells share (Electron's before-quit, the bridge server's SIGINT/SIGTERM): steps run
 * in order — stop taking requests, let the receipt in progress finish, close the database — and a
 * failing step is logged without skipping the rest. The wait is bounded: a printer that never answers
 * must not keep a terminal from shutting down; the saga's start-up reconciliation covers that receipt.
 * Every call after the first gets the same promise, so a second Ctrl+C or quit does not start a second run.
 */
export interface ShutdownStep {
  name: string;
  run: () => Promise<void> | void;
}

export interface ShutdownLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type ShutdownOutcome = 'clean' | 'with-errors' | 'timed-out';

export interface ShutdownOptions {
  steps: readonly ShutdownStep[];
  timeoutMs: number;
  log: ShutdownLog;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

export function createShutdown(opts: ShutdownOptions): (reason: string) => Promise<ShutdownOutcome> {
  let running: Promise<ShutdownOutcome> | null = null;

  const runSteps = async (): Promise<ShutdownOutcome> => {
    let failed = false;
    for (const step of opts.steps) {
      try {
        await step.run();
      } catch (e) {
        failed = true;
        opts.log.error('shutdown step failed', { step: step.name, error: e });
      }
    }
    return failed ? 'with-errors' : 'clean';
  };

  return (reason) => {
    if (running) return running;
    opts.log.info('shutting down', { reason });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ShutdownOutcome>((resolve) => {
      timer = setTimeout(() => {
        opts.log.error('shutdown did not finish in time; exiting anyway', { timeoutMs: opts.timeoutMs });
        resolve('timed-out');
      }, opts.timeoutMs);
      timer.unref();
    });
    running = Promise.race([runSteps(), timeout]).then((outcome) => {
      clearTimeout(timer);
      opts.log.info('shutdown finished', { outcome });
      return outcome;
    });
    return running;
  };
}
