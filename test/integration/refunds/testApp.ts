import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServices, type ServiceParts, type Services, type ServicesOverrides } from '../../../main/services';
import { events, type EventPayload, type Handlers, type RecoveredRefund } from '../../../preload/contract';

/**
 * The app's real services (main/services.ts createServices) over a data folder, with the printer and
 * back ends pointed at emulators the caller owns — so they outlive a restart of the app, and the child
 * process the chaos test kills. Only the timings differ from the app: milliseconds, not minutes.
 */
export type Progress = EventPayload<'refund.progress'>;

export interface TestApp extends ServiceParts {
  services: Services;
  handlers: Handlers;
  /** Every refund.progress event, as emitted. */
  progress: Progress[];
  /** Every refund.recovered event, as emitted. */
  recoveredEvents: RecoveredRefund[];
  /** Waits until every outbox job is done or dead, with a bound. */
  settled(boundMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const FAST: ServicesOverrides = {
  retryScheduleMs: [30, 60, 120],
  connectivityIntervalMs: 100,
  printerProbeMs: 100,
  pendingRecheckMs: 100,
};

export async function startTestApp(dataDir: string, overrides: ServicesOverrides, onProgress?: (p: Progress) => void): Promise<TestApp> {
  const services = await createServices({ dataDir, version: 'test', overrides: { ...FAST, ...overrides } });
  const progress: Progress[] = [];
  const recoveredEvents: RecoveredRefund[] = [];
  const off = services.bus.onAny((name, payload) => {
    if (name === 'refund.progress') {
      const p = events['refund.progress'].parse(payload);
      progress.push(p);
      onProgress?.(p);
    }
    if (name === 'refund.recovered') recoveredEvents.push(events['refund.recovered'].parse(payload));
  });
  const { outbox } = services.parts;

  const settled = async (boundMs = 15_000): Promise<void> => {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const open = outbox.list({ state: ['pending', 'running'] });
      if (open.length === 0) return;
      if (Date.now() > deadline) throw new Error(`outbox not settled in ${boundMs} ms: ${open.map((j) => `${j.kind}:${j.state}:${j.attempts}`).join(', ')}`);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stop();
          clearTimeout(t);
          resolve();
        };
        const stop = outbox.on('change', done);
        // A job waiting out its backoff changes nothing until it is due: look again then.
        const t = setTimeout(done, 50);
      });
    }
  };

  return {
    ...services.parts,
    services,
    handlers: services.handlers,
    progress,
    recoveredEvents,
    settled,
    close: async () => {
      off();
      await services.close();
    },
  };
}

/** Waits for a condition the app reaches by itself (a timer, a reconnect), with a bound. */
export async function until(what: string, check: () => boolean, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The database file and its WAL, as a clean-up that "frees space" would remove them. */
export function deleteDatabase(dataDir: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `cashier.db${suffix}`), { force: true });
}
