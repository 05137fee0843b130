import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ConnectivityMonitor } from '../../../main/backends/connectivity';
import { LifePosClient } from '../../../main/backends/lifepos/lifePosClient';
import { RegosClient } from '../../../main/backends/regos/regosClient';
import { FiscalDriver, type ConnectOptions } from '../../../main/fiscal/driver';
import { PrinterConnection } from '../../../main/fiscal/printerConnection';
import { createLogger, type Logger } from '../../../main/log/logger';
import { openDatabase, type Database } from '../../../main/queue/database';
import { Outbox } from '../../../main/queue/outbox';
import { OutboxWorker } from '../../../main/queue/worker';
import { lifePosJobKinds } from '../../../main/refunds/lifePosJobs';
import { RefundSaga } from '../../../main/refunds/refundSaga';
import { RefundStore } from '../../../main/refunds/refundStore';
import { SaleFinder } from '../../../main/refunds/saleFinder';
import { lifePosSource } from '../../../main/refunds/saleSources';
import { SeenSales } from '../../../main/refunds/seenSales';
import type { RefundState, Sale } from '../../../preload/contract';

/**
 * The refund saga wired the way main/services.ts wires it (printer connection with recovery on
 * connect, outbox worker with the LIFE POS jobs, connectivity monitor, REGOS gate), but against
 * emulators the test owns, so they outlive this rig (and the child process the chaos test kills).
 * Only the timings differ from the app: retries in milliseconds, not minutes.
 */
export interface RigOptions {
  dataDir: string;
  lifepos: { url: string; orgGuid: string; token: string };
  regos?: { url: string; login: string; password: string };
  printer: ConnectOptions['port'];
  driverTimeouts?: ConnectOptions['timeouts'];
  /** Outbox retry delays (ms); the last repeats. */
  scheduleMs?: number[];
  probeIntervalMs?: number;
  /** REGOS sales this till made (REGOS keeps no lines to read back). */
  regosSales?: Sale[];
  httpTimeoutMs?: number;
  /** Start the outbox worker at once (the app does); tests of offline paths may start it later. */
  startWorker?: boolean;
  /** Every progress event the saga emits (the UI's refund.progress), as it happens. */
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  refundId: string;
  state: RefundState;
  message: string;
}

export interface Rig {
  db: Database;
  store: RefundStore;
  outbox: Outbox;
  worker: OutboxWorker;
  finder: SaleFinder;
  printer: PrinterConnection;
  monitor: ConnectivityMonitor;
  saga: RefundSaga;
  log: Logger;
  progress: Progress[];
  /** Waits until every outbox job is done or dead, with a bound. */
  settled(boundMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const CASHIER = 'Иванова Мария';

export function startRig(o: RigOptions): Rig {
  mkdirSync(o.dataDir, { recursive: true });
  const log = createLogger({ dir: join(o.dataDir, 'logs'), console: false });
  const db = openDatabase(join(o.dataDir, 'cashier.db'));
  const store = new RefundStore(db);
  const seen = new SeenSales(db);
  const timeoutMs = o.httpTimeoutMs ?? 3_000;
  const lifepos = new LifePosClient({ baseUrl: o.lifepos.url, orgGuid: o.lifepos.orgGuid, token: o.lifepos.token, clientId: 'test-till', clientType: 'App', language: 'ru-RU', timeoutMs });
  const regos = o.regos ? new RegosClient({ baseUrl: o.regos.url, login: o.regos.login, password: o.regos.password, timeoutMs }) : null;
  const monitor = new ConnectivityMonitor({
    probes: {
      lifepos: (signal, t) => lifepos.probe(signal, t),
      ...(regos ? { regos: (signal: AbortSignal, t: number) => regos.probe(signal, t) } : {}),
    },
    intervalMs: o.probeIntervalMs ?? 100,
    timeoutMs: 1_000,
  });
  const printer = new PrinterConnection(
    () => FiscalDriver.connect({ port: o.printer, password: 30, ...(o.driverTimeouts ? { timeouts: o.driverTimeouts } : {}) }),
    log.child({ component: 'fiscal' }),
  );
  let markSynced: (id: string) => void = () => undefined;
  const kinds = lifePosJobKinds(() => lifepos, (id) => markSynced(id));
  const outbox = new Outbox(db, { kinds });
  const finder = new SaleFinder(() => [lifePosSource(() => lifepos)], seen, store, log.child({ component: 'sales' }));
  const progress: Progress[] = [];
  const saga = new RefundSaga({
    db, store, outbox, finder, printer,
    regos: () => regos,
    regosReachable: () => monitor.checkNow('regos'),
    lifeposOnline: () => monitor.state('lifepos'),
    cashierName: () => CASHIER,
    regosVatMode: () => 'ratePercentTimes100',
    log: log.child({ component: 'refunds' }),
    progress: (refundId, state, message) => {
      progress.push({ refundId, state, message });
      o.onProgress?.({ refundId, state, message });
    },
  });
  markSynced = (id) => saga.markSynced(id);
  const worker = new OutboxWorker({ outbox, kinds, schedule: o.scheduleMs ?? [30, 60, 120], connectivity: monitor, jitter: 0.1 });
  const offConnected = printer.onConnected(() => {
    saga.recoverPending().catch((e: unknown) => log.error('refund recovery failed', { error: String(e) }));
  });
  for (const sale of o.regosSales ?? []) finder.rememberOwnSale(sale);
  monitor.start();
  if (o.startWorker !== false) worker.start();

  const settled = async (boundMs = 15_000): Promise<void> => {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const open = outbox.list({ state: ['pending', 'running'] });
      if (open.length === 0) return;
      if (Date.now() > deadline) throw new Error(`outbox not settled in ${boundMs} ms: ${open.map((j) => `${j.kind}:${j.state}:${j.attempts}`).join(', ')}`);
      await new Promise<void>((resolve) => {
        const off = outbox.on('change', () => {
          off();
          clearTimeout(t);
          resolve();
        });
        const t = setTimeout(() => {
          off();
          resolve();
        }, 50);
      });
    }
  };

  let closing: Promise<void> | undefined;
  return {
    db, store, outbox, worker, finder, printer, monitor, saga, log, progress, settled,
    close: () => {
      closing ??= (async () => {
        offConnected();
        await printer.close();
        await worker.stop();
        await monitor.stop();
        db.close();
      })();
      return closing;
    },
  };
}
