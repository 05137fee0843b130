import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loggerOver } from '../log/logger';
import { openDatabase, type Database } from '../queue/database';
import { Outbox } from '../queue/outbox';
import { ShtrihDriver } from '../fiscal/shtrih/driver';
import { PrinterConnection } from '../fiscal/printerConnection';
import type { MainText, RecoveredRefund, Refund, RefundLineRequest, RefundState, Sale, SaleRef } from '../../preload/contract';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../emulators/shtrih/memory';
import { RefundSaga, type RefundSagaDeps } from './refundSaga';
import { RefundStore } from './refundStore';
import { SaleFinder } from './saleFinder';
import { SeenSales } from './seenSales';

/**
 * The rig the saga's printer-channel tests share (refundSaga.test.ts, printerChannel.test.ts): the real
 * saga, store, outbox and sale records over a SQLite temp file, and the real driver over the in-memory
 * Shtrih-M emulator. Sales come from this till's own record (no back end configured), as an offline
 * refund does. The emulator's ФН is the judge: a case counts the refund receipts it holds.
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5, settleMs: 40 };

export interface Rig {
  emu: InMemoryEmulator;
  db: Database;
  store: RefundStore;
  seen: SeenSales;
  outbox: Outbox;
  printer: PrinterConnection;
  saga: RefundSaga;
  progress: Array<{ id: string; state: RefundState; message: string; coded?: MainText }>;
  /** Every log line the saga wrote, for what support reads in main.log. */
  logs: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
  recovered: RecoveredRefund[];
  /** Called on every progress line as it is emitted (a fault timed to a step of the saga). */
  onProgress: (message: string) => void;
  /** A new saga over the same database and printer, as a restarted app builds it. */
  restart(): RefundSaga;
}

const cleanups: Array<() => Promise<void> | void> = [];

/** Closes every rig built since the last call: a test file runs it after each test (`afterEach(closeRigs)`). */
export async function closeRigs(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

export function rig(extra: Partial<RefundSagaDeps> = {}): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'saga-'));
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
  const db = openDatabase(join(dir, 'cashier.db'));
  const logs: Rig['logs'] = [];
  const log = loggerOver((level, fields, message) => {
    logs.push({ level, message, fields });
    if (process.env.SAGA_LOG) console.log(level, message, JSON.stringify(fields));
  }, () => undefined);
  const store = new RefundStore(db);
  const seen = new SeenSales(db);
  const outbox = new Outbox(db);
  const finder = new SaleFinder(() => [], seen, store, log);
  const printer = new PrinterConnection(async () => ShtrihDriver.connect({ port: emu.port.isOpen ? emu.port : await emu.reconnect(), timeouts: TIMEOUTS }), log);
  const progress: Rig['progress'] = [];
  const recovered: RecoveredRefund[] = [];
  const build = (): RefundSaga => new RefundSaga({
    db, store, outbox, finder, printer, log,
    regos: () => null,
    regosReachable: () => Promise.resolve('offline'),
    lifeposOnline: () => 'offline',
    cashierName: () => 'Петрова И.',
    regosVatMode: () => 'ratePercentTimes100',
    progress: (id, state, message, coded) => {
      progress.push({ id, state, message, ...(coded ? { coded } : {}) });
      r.onProgress(message);
    },
    recovered: (r) => recovered.push(r),
    ...extra,
  });
  const r: Rig = { emu, db, store, seen, outbox, printer, saga: build(), progress, logs, recovered, onProgress: () => undefined, restart: () => (r.saga = build()) };
  cleanups.push(async () => {
    await r.saga.idle();
    await printer.close();
    await emu.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return r;
}

let sales = 0;

/** A sale of `n` lines of 1 piece each, paid in cash, as this till recorded it. */
export function sale(r: Rig, n = 2, source: SaleRef['source'] = 'lifepos'): Sale {
  const id = `sale-${++sales}`;
  const lines = Array.from({ length: n }, (_, i) => ({
    lineId: `${id}-l${i + 1}`, name: `Товар ${i + 1}`, priceMinor: 10_000 + i, quantityMilli: 1_000, amountMinor: 10_000 + i,
    vat: 'vat20' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const, refundedMilli: 0, refundedMinor: 0, refundableMilli: 1_000,
  }));
  const total = lines.reduce((s, l) => s + l.amountMinor, 0);
  const s: Sale = {
    ref: { source, id }, number: `А-${sales}`, createdAt: '2026-12-01T10:00:00Z', currency: 'RUB', totalMinor: total, lines,
    payments: [{ paymentPartId: `${id}-cash`, saleSessionId: `${id}-session`, kind: 'cash', typeOf: 'Cash', amountMinor: total, refundedMinor: 0 }], remainderFromLocalOnly: false,
  };
  r.seen.remember({ sale: s, knownToServer: new Set() });
  return s;
}

export const whole = (s: Sale): RefundLineRequest[] => s.lines.map((l) => ({ lineId: l.lineId, quantityMilli: l.quantityMilli }));

export function confirm(r: Rig, s: Sale, id: string, lines = whole(s)): Promise<Refund> {
  return r.saga.confirm({ refundId: id, sale: s.ref, lines, cardRrns: {} });
}

/** Refund receipts (operation 2, "возврат прихода") the emulated ФН holds, with their totals. */
export const fnRefunds = (r: Rig) => r.emu.device.model.documents.filter((d) => d.type === 3 && d.operation === 2).map((d) => d.totalMinor);

export const total = (s: Sale, lines = whole(s)): number => lines.reduce((sum, l) => sum + (s.lines.find((x) => x.lineId === l.lineId)?.amountMinor ?? 0), 0);

export async function caught(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

/**
 * The cashier cancels refund `id` just as the emulated device starts on the first command whose payload
 * begins with `command` (e.g. [0x10] the short status, [0xff, 0x01] the ФН status) while the refund is still
 * confirmed; `then` times a fault to the same moment. Answers whether the cancel has landed.
 */
export function cancelAtCommand(r: Rig, id: string, command: readonly number[], then: () => void = () => undefined): () => boolean {
  const model = r.emu.device.model;
  const execute = model.execute.bind(model);
  let cancelled = false;
  model.execute = (payload) => {
    if (!cancelled && command.every((b, i) => payload[i] === b) && r.store.get(id)?.state === 'confirmed') {
      cancelled = true;
      r.saga.cancel(id);
      then();
    }
    return execute(payload);
  };
  return () => cancelled;
}

export async function lastDocumentNumber(r: Rig): Promise<number> {
  return (await r.printer.use((d) => d.status())).lastDocumentNumber;
}

/** A refund of the first line of a rig `sale` (20 % VAT), recorded `confirmed` in the store and sent nowhere yet. */
export function recordedRefund(r: Rig, s: Sale, id: string): void {
  const l = s.lines[0]!;
  r.store.insertConfirmed({
    id, sale: s.ref, saleNumber: s.number, currency: s.currency, totalMinor: l.amountMinor,
    lines: [{ lineId: l.lineId, name: l.name, quantityMilli: l.quantityMilli, amountMinor: l.amountMinor, vat: 'vat20', paymentMethod: l.paymentMethod, itemSign: l.itemSign }],
    tenders: [{ paymentPartId: s.payments[0]!.paymentPartId, kind: 'cash', amountMinor: l.amountMinor, needsCard: false }],
  });
}

/** A refund of 5.00 ₽ the last run sent to the printer (N0 recorded) whose sale this till can no longer read. */
export function earlierInFlight(r: Rig, id: string, n0: number): void {
  r.store.insertConfirmed({
    id, sale: { source: 'lifepos', id: `${id}-unreadable` }, saleNumber: 'X', currency: 'RUB', totalMinor: 500,
    lines: [{ lineId: `${id}-x`, name: 'Товар', quantityMilli: 1_000, amountMinor: 500, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
    tenders: [{ paymentPartId: `${id}-cash`, kind: 'cash', amountMinor: 500, needsCard: false }],
  });
  r.store.setState(id, 'fiscalizing', { docNumberBefore: n0 });
  r.store.setReceiptSent(id, 1, n0);
}
