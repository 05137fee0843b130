import { app } from 'electron';
import type { CrashMarker } from '../crashMarker';
import type { Logger } from '../log/logger';
import type { ShutdownOutcome } from '../shutdown';

/**
 * How the app ends. Every quit — the window, a confirmed close in kiosk mode, SIGTERM from a system
 * shutdown or `systemctl --user stop`, a crash — waits for the shared shutdown (the receipt in progress
 * finishes, the database closes). A quit that was asked for removes the crash marker and exits 0. A
 * crash records its reason and exits 1, which is the restart signal on Linux (the systemd unit's
 * Restart=on-failure); on Windows, which has nothing of the kind, the app relaunches itself first.
 */
export interface LifecycleOptions {
  shutdown: (reason: string) => Promise<ShutdownOutcome>;
  marker: CrashMarker;
  /** Windows with start-on-login on: app.relaunch() before exiting after a crash (known once settings are read). */
  relaunchAfterCrash: () => boolean;
  log: Logger;
  /** Where SIGTERM arrives: this process (a test passes its own emitter). */
  proc?: NodeJS.EventEmitter;
}

export interface Lifecycle {
  /** A quit is under way: windows close without asking. */
  isQuitting(): boolean;
  /** Shut down as after any quit, then exit as a crash (and relaunch where that is the platform's way). */
  crash(reason: string): void;
}

export function manageLifecycle(opts: LifecycleOptions): Lifecycle {
  let quitting = false;
  let finished = false;
  let crashReason: string | null = null;

  const finish = (outcome: ShutdownOutcome) => {
    finished = true;
    if (crashReason === null) {
      opts.marker.cleanExit();
      app.quit();
      return;
    }
    const relaunch = opts.relaunchAfterCrash();
    opts.log.error('exiting after a crash', { reason: crashReason, shutdown: outcome, relaunch });
    if (relaunch) app.relaunch();
    app.exit(1);
  };

  // Hold every quit (not only the first) until the shutdown has run; the shutdown runs once.
  app.on('before-quit', (event) => {
    quitting = true;
    if (finished) return;
    event.preventDefault();
    void opts.shutdown(crashReason ?? 'quit').then(finish);
  });
  app.on('window-all-closed', () => app.quit());
  // A system shutdown on Linux and `systemctl --user stop` send SIGTERM: the same path as a quit.
  (opts.proc ?? process).on('SIGTERM', () => app.quit());

  return {
    isQuitting: () => quitting,
    crash(reason) {
      if (crashReason !== null) return;
      crashReason = reason;
      opts.marker.crashed(reason);
      opts.log.error('crash: shutting down to start again', { reason });
      app.quit();
    },
  };
}
