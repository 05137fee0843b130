import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Keeps one child process running, as systemd's Restart=on-failure does for the Electron app on Linux:
 * a run that ends in a crash (non-zero exit, a signal we did not send) is started again after a delay
 * that doubles with each crash in a row (1 s … 30 s) and starts over once a run has stayed up for a
 * minute. A first run that never became ready is not retried: someone just typed the command and the
 * cause (a port in use, a bad argument) will not go away by itself. The child notices the restart
 * itself (main/crashMarker.ts) and tells the cashier.
 */
export interface SupervisorLog {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface SupervisorOptions {
  /** Starts one run; its stdout must be piped (the supervisor reads it for `ready` and passes it on). */
  spawn: () => ChildProcess;
  /** A line on the child's stdout that says it is up. */
  ready: RegExp;
  log: SupervisorLog;
  /** Each line the child prints, once read (default: this process's stdout). */
  output?: (line: string) => void;
  /** Delay before the restart after `crashesInARow` crashes (1, 2, …). */
  backoffMs?: (crashesInARow: number) => number;
  /** A run this long counts as stable: the next crash waits the shortest delay again. */
  stableAfterMs?: number;
}

export interface Supervisor {
  /** Settles with the exit code for the supervisor itself once it stops for good. */
  readonly done: Promise<number>;
  /** Passes the signal on and stops restarting: the child's own shutdown decides the exit code. */
  stop(signal: NodeJS.Signals): void;
}

export const defaultBackoffMs = (crashesInARow: number): number => Math.min(30_000, 1000 * 2 ** (crashesInARow - 1));

export function supervise(opts: SupervisorOptions): Supervisor {
  const backoffMs = opts.backoffMs ?? defaultBackoffMs;
  const stableAfterMs = opts.stableAfterMs ?? 60_000;
  const output = opts.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  let stopping: NodeJS.Signals | null = null;
  let child: ChildProcess | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let crashesInARow = 0;
  let everReady = false;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const start = () => {
    restartTimer = null;
    const startedAt = Date.now();
    let ready = false;
    const run = opts.spawn();
    child = run;
    if (!run.stdout) throw new Error('supervisor: the child process needs a piped stdout');
    createInterface({ input: run.stdout }).on('line', (line) => {
      if (!ready && opts.ready.test(line)) {
        ready = true;
        everReady = true;
      }
      output(line);
    });
    run.once('error', (e) => {
      // Only a process that never started ends here without an 'exit' event.
      if (run.pid !== undefined) return;
      opts.log.error('supervised process could not be started', { error: e.message });
      finish(1);
    });
    run.once('exit', (code, signal) => {
      child = null;
      const ended = code === null ? `signal ${signal ?? 'unknown'}` : `exit code ${code}`;
      if (stopping) {
        finish(code ?? 1);
        return;
      }
      if (code === 0) {
        opts.log.info('supervised process exited cleanly; not restarting', { pid: run.pid });
        finish(0);
        return;
      }
      if (!everReady) {
        opts.log.error('supervised process failed before it was ready; not restarting', { pid: run.pid, ended });
        finish(code ?? 1);
        return;
      }
      crashesInARow = Date.now() - startedAt >= stableAfterMs ? 1 : crashesInARow + 1;
      const delayMs = backoffMs(crashesInARow);
      restartTimer = setTimeout(start, delayMs);
      opts.log.error('supervised process crashed; restarting', { pid: run.pid, ended, ranMs: Date.now() - startedAt, crashesInARow, delayMs });
    });
  };

  start();
  return {
    done,
    stop(signal) {
      if (stopping) return;
      stopping = signal;
      if (restartTimer) {
        clearTimeout(restartTimer);
        restartTimer = null;
        opts.log.info('stopped while waiting to restart', { signal });
        finish(0);
        return;
      }
      child?.kill(signal);
    },
  };
}
