import { join } from 'node:path';
import type { AppStatus, BackendName, Connectivity, Handlers, Sale, ShiftState, SyncStatus } from '../preload/contract';
import { AppError } from './appError';
import { announceRestart, type UncleanExit } from './crashMarker';
import { EventBus } from './eventBus';
import { startRetention } from './retentionSchedule';
import { BACKEND_PROBE_TIMEOUT_MS, STATUS_PROBE_MS, startProbe } from './statusProbe';
import { createLogger, type Logger } from './log/logger';
import { secureDataFolder } from './security/dataFolderModes';
import type { SecretStore } from './secrets/secretStore';
import { createFileSecretStore } from './secrets/fileSecretStore';
import { createSettingsStore, type SettingsStore } from './settings/settingsStore';
import { listSerialPorts } from './settings/serialPorts';
import { immediateTransaction, openDatabase, type Database } from './queue/database';
import { Outbox, type OutboxStats } from './queue/outbox';
import { OutboxWorker } from './queue/worker';
import { ConnectivityMonitor } from './backends/connectivity';
import type { DeviceConnectOptions, FiscalProtocol } from './fiscal/device';
import { connectFiscalDevice, type ProtocolChoice } from './fiscal/protocols';
import { PrinterConnection } from './fiscal/printerConnection';
import { BackendClients, type FixedBackends } from './backendClients';
import { RefundStore } from './refunds/refundStore';
import { SeenSales } from './refunds/seenSales';
import { SaleFinder } from './refunds/saleFinder';
import { withoutReceiptSale } from './refunds/withoutReceipt';
import { askOwnFn } from './refunds/search/ownFnReceipt';
import { RefundSaga } from './refunds/refundSaga';
import { lifePosJobKinds, refundIdOfJobKey } from './refunds/lifePosJobs';
import { OverlapStore } from './refunds/overlap/overlapStore';
import { lifePosOverlapCheck } from './refunds/overlap/lifePosOverlapCheck';
import { HistoryGate } from './refunds/history/historyGate';
import { dealPaymentStatus } from './refunds/saleRemainder';
import { withRecoveredRefunds } from './refunds/history/recoveredRefunds';
import { HistoryStore } from './refunds/history/historyStore';
import { InstalmentService } from './instalments/instalmentService';
import { InstalmentStore } from './instalments/instalmentStore';
import { createTillPeople } from './people/tillPeople';
import { regosTrainingSales, startTrainingEnvironment, type TrainingEnvironment } from './training/trainingEnvironment';
import { tillTimeZone } from './settings/tillTimeZone';

/**
 * The composition root: builds every main-process service once and exposes them as the contract's
 * handlers. Electron (main/app) and the bridge server (main/server) both start here, so the code the
 * tests drive is the code that ships.
 */
export interface ServicesConfig {
  dataDir: string;
  version: string;
  /** Electron passes its safeStorage store; plain Node uses a file store that refuses clear text. */
  secrets?: SecretStore;
  /** `npm run serve --training` and the e2e tests: emulators whatever the settings say. */
  forceTraining?: boolean;
  /** The shell's own logger, so one file and one list of secrets to mask serve the whole process. */
  log?: Logger;
  /** Console logging level when services make their own logger (the bridge server). */
  consoleLog?: 'info' | 'warn' | false;
  /** Tests and the bench: these services against devices and back ends they start themselves. */
  overrides?: ServicesOverrides;
  /** How the last run ended (main/crashMarker.ts): after an unclean end, logged and told to the cashier in app.status. */
  previousRun?: UncleanExit | null;
}

/**
 * What a test or the bench replaces: where the printer and the back ends are, and the timings (the
 * app's are minutes and seconds; a test's are milliseconds). Training mode is off whenever given.
 */
export interface ServicesOverrides {
  /** The fiscal printer's port (a socat pty) and the driver's timeouts. */
  printer?: { port: DeviceConnectOptions['port']; timeouts?: DeviceConnectOptions['timeouts']; protocol?: ProtocolChoice };
  backends?: FixedBackends;
  /** Sales this till made on REGOS (VCR keeps no sale lines to read back). */
  regosSales?: readonly Sale[];
  /** Outbox retry delays (ms); the last repeats. */
  retryScheduleMs?: number[];
  /** How often each back end is probed. */
  connectivityIntervalMs?: number;
  /** How often a printer that is off is asked again (a working one: every sixth tick). */
  printerProbeMs?: number;
  /** How often pending refunds are asked about (printer or VCR), while there are any. */
  pendingRecheckMs?: number;
  /** Start the outbox worker at once (the app does); tests of offline paths may start it later. */
  startWorker?: boolean;
}

/** The services' parts, for tests and the bench to look inside; the shells use only the handlers. */
export interface ServiceParts {
  db: Database;
  store: RefundStore;
  outbox: Outbox;
  worker: OutboxWorker;
  finder: SaleFinder;
  printer: PrinterConnection;
  monitor: ConnectivityMonitor;
  saga: RefundSaga;
  /** Whether the database holds the till's whole refund history (refunds on the printer wait until it does). */
  history: HistoryGate;
}

export interface Services {
  handlers: Handlers;
  bus: EventBus;
  log: Logger;
  settings: SettingsStore;
  parts: ServiceParts;
  close(): Promise<void>;
}

export async function createServices(config: ServicesConfig): Promise<Services> {
  secureDataFolder(config.dataDir);
  const log = config.log ?? createLogger({ dir: join(config.dataDir, 'logs'), console: config.consoleLog ?? false });
  const secrets = config.secrets ?? createFileSecretStore({ file: join(config.dataDir, 'secrets.json'), log });
  const settings = createSettingsStore({ dir: config.dataDir, secrets, log });
  const restartNotice = announceRestart(config.previousRun ?? null, log);
  for (const field of ['lifepos.token', 'lifepay.apiKey', 'regos.password', 'fiscal.operatorPassword'] as const) {
    const value = settings.secret(field);
    if (value) log.addSecret(value);
  }
  const o = config.overrides;
  const training = !o && (config.forceTraining === true || settings.current().trainingMode);
  const bus = new EventBus();

  const db = openDatabase(join(config.dataDir, 'cashier.db'));
  const store = new RefundStore(db);
  const seen = new SeenSales(db);

  const env: TrainingEnvironment | null = training ? await startTrainingEnvironment(config.dataDir) : null;
  if (env) {
    // Training keys are not secret, but they stand where real keys stand: masked the same way.
    for (const value of [env.backends.lifepos.token, env.backends.lifepay.apiKey, env.backends.regos.password]) log.addSecret(value);
  }
  const fixedBackends: FixedBackends | null = env
    ? { lifepos: env.backends.lifepos, lifepay: env.backends.lifepay, regos: env.backends.regos }
    : o ? o.backends ?? {} : null;
  const clients = new BackendClients(settings, fixedBackends, log);

  const monitor = new ConnectivityMonitor({
    probes: {
      lifepos: (signal, timeoutMs) => clients.requireLifePos().probe(signal, timeoutMs),
      lifepay: (signal, timeoutMs) => clients.requireLifePay().probe(signal, timeoutMs),
      regos: (signal, timeoutMs) => clients.requireRegos().probe(signal, timeoutMs),
    },
    intervalMs: o?.connectivityIntervalMs ?? STATUS_PROBE_MS,
    timeoutMs: BACKEND_PROBE_TIMEOUT_MS,
  });

  const fiscalLog = log.child({ component: 'fiscal' });
  const detected = (protocol: FiscalProtocol, port: string): void => fiscalLog.info('fiscal protocol detected', { protocol, port });
  const printer = new PrinterConnection(() => {
    const s = settings.current();
    const password = Number(settings.secret('fiscal.operatorPassword') ?? '30');
    // Training mode's in-process emulator is a Shtrih-M.
    if (env) return env.printerPort().then((port) => connectFiscalDevice('shtrih', { port, password: 30, vatGroups: s.fiscal.vatGroups }));
    if (o?.printer) return connectFiscalDevice(o.printer.protocol ?? s.fiscal.protocol, { port: o.printer.port, password: 30, vatGroups: s.fiscal.vatGroups, ...(o.printer.timeouts ? { timeouts: o.printer.timeouts } : {}) }, detected);
    if (!s.fiscal.port) {
      return Promise.reject(new AppError({ code: 'FISCAL_NOT_CONFIGURED', message: 'Принтер не выбран: укажите порт в настройках (F9)', retry: 'transient' }));
    }
    return connectFiscalDevice(s.fiscal.protocol, { port: { path: s.fiscal.port, baudRate: s.fiscal.baudRate }, password, vatGroups: s.fiscal.vatGroups }, detected);
  }, fiscalLog);
  // A REGOS-only till never opens the printer's port (issue 15 point 4); settings.save switches it below.
  await printer.setUnused(settings.current().till === 'regosOnly');

  // A lost, emptied or older database is noticed from the ФН before a refund is printed (issue 11 point 4).
  const history = new HistoryGate({ store: new HistoryStore(db), printer, lifePos: () => clients.lifePos(), log: log.child({ component: 'history' }) });

  // The saga is made below; the last LIFE POS job reports back to it through this late binding.
  let markSynced: (refundId: string) => void = () => undefined;
  // Issue 22: a reversal session that joins another till's and takes the sale beyond what was sold is flagged.
  const overlaps = new OverlapStore(db);
  const overlapCheck = lifePosOverlapCheck({
    client: () => clients.requireLifePos(), db, store, overlaps, log: log.child({ component: 'refunds' }),
    flagged: (refundId, message, text) => bus.emit('refund.progress', { refundId, state: 'review', message, text }),
  });
  const finder = new SaleFinder(() => clients.saleSources(), seen, store, log.child({ component: 'sales' }), askOwnFn(printer));
  const historyStore = new HistoryStore(db);
  finder.countRecovered = (sale, knownToServer) => withRecoveredRefunds(sale, historyStore, knownToServer);
  const jobKinds = lifePosJobKinds(() => clients.requireLifePos(), (id) => markSynced(id), overlapCheck, (dealGuid) => {
    const sale = finder.current({ source: 'lifepos', id: dealGuid });
    return sale ? dealPaymentStatus(sale) : undefined;
  });
  const outbox = new Outbox(db, { kinds: jobKinds });
  const saga: RefundSaga = new RefundSaga({
    db, store, outbox, finder, printer,
    regos: () => clients.regos(),
    regosReachable: () => monitor.checkNow('regos'),
    lifeposOnline: () => monitor.state('lifepos'),
    cashierName: () => till.people.cashier().name,
    cashierInn: () => till.people.cashier().inn,
    regosVatMode: () => (settings.current().regos.vatValueMode === 'amountMinor' ? 'amountTiyin' : 'ratePercentTimes100'),
    takeMarkingCodesFromSale: () => settings.current().markingCodesFromSale,
    log: log.child({ component: 'refunds' }),
    progress: (refundId, state, message, text) => bus.emit('refund.progress', { refundId, state, message, ...(text ? { text } : {}) }),
    recovered: (refund) => bus.emit('refund.recovered', refund),
    printedBeforeLoss: (refundId) => history.recovered().find((r) => r.refundId === refundId),
    lifepay: () => clients.lifePay(),
    lifepayOnline: () => monitor.state('lifepay'),
  });

  markSynced = (id) => saga.markSynced(id);
  // Who signs documents, manager approval, the journal and the cash drawer (issue 14).
  const till = createTillPeople({
    db, dataDir: config.dataDir, printer, refunds: store, settings, log: log.child({ component: 'people' }),
    changed: () => publishStatus(), preview: (sale, lines) => saga.preview(sale, lines),
    printedBeforeLoss: (refundId) => history.recovered().some((r) => r.refundId === refundId),
  });
  const instalments = new InstalmentService({
    store: new InstalmentStore(db), findSale: (q) => finder.find(q), getSale: (ref) => finder.get(ref),
    regos: () => clients.regos(), regosReachable: () => monitor.checkNow('regos'),
    cashierName: () => till.people.cashier().name,
    regosVatMode: () => (settings.current().regos.vatValueMode === 'amountMinor' ? 'amountTiyin' : 'ratePercentTimes100'),
    printText: (lines) => printer.use((d) => d.printText(lines)),
    log: log.child({ component: 'instalments' }),
  });
  const worker = new OutboxWorker({
    outbox,
    kinds: jobKinds,
    schedule: o?.retryScheduleMs ?? settings.current().retryScheduleMinutes.map((m) => m * 60_000),
    connectivity: monitor,
  });

  let shift: ShiftState = { state: 'unknown' };
  const status = (): AppStatus => {
    const settingsProblem = settings.status().problem;
    return {
      version: config.version,
      trainingMode: training,
      currency: settings.current().currency,
      backends: monitor.snapshot(),
      printer: printer.state(),
      shift,
      language: settings.current().language,
      timeZone: tillTimeZone(settings.current().timeZone),
      till: settings.current().till,
      ...(settingsProblem ? { settingsProblem } : {}),
      ...(restartNotice ? { restartNotice } : {}),
      cashier: { name: till.people.cashier().name, signedIn: till.people.current() !== null },
    };
  };
  const publishStatus = () => bus.emit('app.status', status());
  const syncStatus = (stats: OutboxStats = outbox.stats()): SyncStatus => ({
    counts: stats.counts,
    oldestPendingAgeMs: stats.oldestPendingAgeMs,
    dead: stats.dead.map((d) => {
      const refundId = refundIdOfJobKey(d.key);
      return { id: d.id, kind: d.kind, reason: d.reason, ...(d.reasonText ? { reasonText: d.reasonText } : {}), attempts: d.attempts, ...(refundId ? { refundId } : {}) };
    }),
  });
  const readShift = async (): Promise<ShiftState> => {
    const s = await printer.use((driver) => driver.status());
    const next: ShiftState = { state: s.shiftExpired ? 'expired' : s.shiftOpen ? 'open' : 'closed' };
    // Asked every second: the header hears only of a change.
    if (next.state !== shift.state) {
      shift = next;
      publishStatus();
    }
    return shift;
  };

  const unsubscribers = [
    monitor.on('change', (backend: BackendName, state: Connectivity) => {
      bus.emit('connectivity', { backend, state });
      publishStatus();
    }),
    printer.onState((state) => {
      bus.emit('printer.status', state);
      publishStatus();
    }),
    printer.onConnected(() => void recover()),
    printer.onConnected(() => void history.check().catch((e: unknown) => log.error('refund history check failed', { error: e instanceof Error ? e.message : String(e) }))),
    outbox.on('change', (stats) => bus.emit('sync.status', syncStatus(stats as OutboxStats))),
    startRetention({ db, logsDir: join(config.dataDir, 'logs'), policy: () => settings.current().retention, log: log.child({ component: 'retention' }) }),
  ];
  worker.on('error', (e) => log.error('outbox storage error', { code: e.code, detail: e.detail }));

  const recover = async () => {
    try {
      await saga.recoverPending();
    } catch (e) {
      log.error('refund recovery failed', { error: e instanceof Error ? e.message : String(e) });
    }
  };

  if (env) {
    const regos = clients.requireRegos();
    for (const sale of await regosTrainingSales(regos, tillTimeZone(settings.current().timeZone))) finder.rememberOwnSale(sale);
  }
  for (const sale of o?.regosSales ?? []) finder.rememberOwnSale(sale);
  // The printer is asked every second (statusProbe.ts): a silent or unplugged one shows in the header
  // within 3 s, reconnecting triggers the reconciliation of a receipt left unfinished (printer.onConnected
  // above), and a shift that passes 24 h while the till is idle shows before the next customer.
  // Failing again is the expected answer while the printer is off; the printer state already says so.
  const stopPrinterProbe = startProbe(() => readShift().then(() => undefined, () => undefined), o?.printerProbeMs ?? STATUS_PROBE_MS);
  // Pending refunds are asked about on a timer too: a REGOS-only till has no printer events, and a
  // printer that answers a probe without dropping its connection sends none either.
  const pendingRecheck = setInterval(() => {
    if (saga.hasPending()) void recover();
    if (instalments.hasPending()) void instalments.recheck().catch((e: unknown) => log.error('instalment recheck failed', { error: e instanceof Error ? e.message : String(e) }));
  }, o?.pendingRecheckMs ?? 10_000);
  pendingRecheck.unref();

  monitor.start();
  if (o?.startWorker !== false) worker.start();
  void recover();
  void monitor.checkAll();
  void readShift().catch((e: unknown) => log.warn('printer not reachable at start', { error: e instanceof Error ? e.message : String(e) }));
  publishStatus();
  bus.emit('sync.status', syncStatus());

  const handlers: Handlers = {
    'app.status': async () => status(),
    'sales.find': ({ query }) => finder.find(query),
    'sales.search': ({ query }) => finder.search(query),
    'sales.enterLines': async ({ ref, lines, payment }) => finder.enterLines(ref, lines, payment),
    'sales.get': ({ ref }) => finder.get(ref),
    'sales.recent': ({ date, limit }) => finder.recent(date, limit ?? 50),
    'refunds.withoutReceipt': async (input) => {
      const sale = withoutReceiptSale(input, { currency: settings.current().currency, regosOnly: settings.current().till === 'regosOnly', now: new Date() });
      finder.rememberOwnSale(sale);
      return finder.get(sale.ref);
    },
    'refunds.preview': ({ sale, lines }) => saga.preview(sale, lines),
    'refunds.confirm': async (input) => {
      if (shift.state === 'expired') {
        throw new AppError({ code: 'FISCAL_SHIFT_EXPIRED', message: 'Смена открыта больше 24 часов: закройте смену (Z-отчёт), затем оформляйте возвраты' });
      }
      if (input.sale.source !== 'regos') await history.assertRefundsAllowed();
      await till.beforeRefund(input);
      try {
        return await saga.confirm(input);
      } finally {
        // Printed or refused (a shift that ran past 24 h while the till was idle), the header follows.
        void readShift().catch((e: unknown) => log.warn('shift state not read after a refund', { error: e instanceof Error ? e.message : String(e) }));
      }
    },
    'refunds.cancel': async ({ id }) => saga.cancel(id),
    'refunds.recovered': async () => saga.recovered(),
    'refunds.acknowledge': async ({ ids }) => {
      saga.acknowledgeRecovered(ids);
      return { ok: true };
    },
    'refunds.decideRecovered': async ({ fnNumber, number, sale, belongs }) => {
      immediateTransaction(db, () => historyStore.decide({ fnNumber, number }, sale, belongs));
      log.child({ component: 'history' }).info('cashier decided on a recovered refund receipt', { fnNumber, number, sale, belongs });
      return finder.get(sale);
    },
    'refunds.get': async ({ id }) => saga.get(id),
    'refunds.list': async ({ states, limit }) => saga.list(states, limit ?? 50),
    'refunds.reprint': async ({ id }) => {
      await saga.reprint(id);
      return { ok: true };
    },
    'refunds.overlaps': async ({ limit }) => overlaps.list(limit ?? 50),
    'refunds.acknowledgeOverlap': async ({ refundId }) => {
      overlaps.acknowledge(refundId);
      return { ok: true };
    },
    'instalments.find': ({ query }) => instalments.find(query),
    'instalments.pay': (input) => instalments.pay(input),
    'instalments.get': async ({ id }) => instalments.get(id),
    'instalments.list': async ({ limit }) => instalments.list(limit ?? 50),
    'instalments.reprint': ({ id }) => instalments.reprint(id),
    'sync.status': async () => syncStatus(),
    'sync.retry': async ({ jobId }) => {
      outbox.retryDead(jobId);
      return { ok: true };
    },
    'shift.status': () => readShift(),
    'shift.open': async () => {
      const who = till.people.cashier();
      const doc = await printer.use((d) => d.openShift(who.name, who.inn));
      await readShift();
      return { number: doc.number, fiscalSign: doc.fiscalSign, dateTime: doc.dateTime };
    },
    'shift.xReport': async () => {
      await printer.use((d) => d.xReport());
      return { ok: true };
    },
    'shift.close': async () => {
      const who = till.people.cashier();
      const doc = await printer.use((d) => d.closeShift(who.name, who.inn));
      await readShift();
      return { number: doc.number, fiscalSign: doc.fiscalSign, dateTime: doc.dateTime };
    },
    'printer.status': async () => printer.state(),
    'settings.get': async () => settings.toView(),
    'settings.save': async (input) => {
      till.beforeSettingsSave(input);
      const view = settings.save(input);
      const regosOnly = settings.current().till === 'regosOnly';
      await printer.setUnused(regosOnly);
      // The last shift read from a printer no longer applies (an expired one would refuse VCR refunds).
      if (regosOnly) shift = { state: 'unknown' };
      clients.rebuild();
      void monitor.checkAll();
      // The status carries settings (language, time zone, till kind): every window hears of them now.
      publishStatus();
      return view;
    },
    'settings.ports': () => listSerialPorts(),
    ...till.handlers,
    'training.simulate': async ({ target, fault }) => {
      if (!env) throw new AppError({ code: 'training.off', message: 'Сбои можно моделировать только в учебном режиме' });
      await env.simulate(target, fault);
      if (target === 'printer') {
        if (fault === 'paperBack' || fault === 'online') void recover();
        // The header follows the device at once, as it does for a back end below.
        if (fault === 'shiftOver24h') await readShift();
      } else if (fault !== 'lifeposRejectNext') {
        await monitor.checkNow(target);
      }
      return { ok: true };
    },
  };

  let closing: Promise<void> | null = null;
  return {
    handlers,
    bus,
    log,
    settings,
    parts: { db, store, outbox, worker, finder, printer, monitor, saga, history },
    close: () => {
      // A receipt in progress finishes first: printer.close() waits for the operation queue.
      closing ??= (async () => {
        for (const off of unsubscribers) off();
        history.close();
        stopPrinterProbe();
        clearInterval(pendingRecheck);
        await printer.close();
        // A recovery pass still asking VCR finishes before the database closes under it.
        await saga.idle();
        await instalments.idle();
        await worker.stop();
        await monitor.stop();
        db.close();
        await env?.close();
        log.info('services closed');
      })();
      return closing;
    },
  };
}
