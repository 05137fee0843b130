import { app } from 'electron';

/**
 * What counts as a crash of the app: the window's renderer gone (crashed, killed, out of memory), a
 * helper process other than the GPU one gone (Chromium restarts its GPU process by itself), or an
 * exception nothing caught in the main process. Each ends in Lifecycle.crash(); exits that happen while
 * the app is quitting are the quit's own.
 */
export function watchForCrashes(crash: (reason: string) => void, isQuitting: () => boolean, proc: NodeJS.EventEmitter = process): void {
  app.on('render-process-gone', (_event, _contents, details) => {
    if (details.reason === 'clean-exit' || isQuitting()) return;
    crash(`renderer gone: ${details.reason} (exit code ${details.exitCode})`);
  });
  app.on('child-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || details.type === 'GPU' || isQuitting()) return;
    crash(`${details.type} process gone: ${details.reason} (exit code ${details.exitCode})`);
  });
  // With a listener, Node no longer exits on its own: the shutdown still runs before the exit.
  proc.on('uncaughtException', (error: unknown) => {
    crash(`uncaught exception: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  });
}
