import { EventEmitter } from 'node:events';
import { AppError, isAppError } from '../appError';
import type { PrinterState as PrinterView } from '../../preload/contract';
import type { Logger } from '../log/logger';
import type { FiscalDevice, PrinterState } from './device';
import { vatNotice } from './taxGroups';

/**
 * Owns the one connection to the fiscal printer for the whole app: connects on first use, reconnects
 * after the device stopped answering, runs one operation at a time (a receipt is never interleaved with
 * a status poll from another screen), and turns the driver's state into what the cashier reads.
 */
export type DriverFactory = () => Promise<FiscalDevice>;

const OFFLINE_CODES = new Set(['FISCAL_NO_ANSWER', 'FISCAL_ANSWER_LOST', 'FISCAL_PORT_CLOSED', 'FISCAL_PORT_OPEN_FAILED']);

/** `notice`: what the device cannot print (taxGroups.ts vatNotice), shown with "ready" until it is fixed. */
export function describePrinter(s: PrinterState, lastError?: AppError, notice?: string | null): PrinterView {
  if (s.offline) return { state: 'offline', message: 'Принтер не отвечает: проверьте питание и кабель', ...(lastError?.deviceCode === undefined ? {} : { deviceCode: lastError.deviceCode }) };
  if (s.paperOut) return { state: 'paperOut', message: 'Вставьте чековую ленту — печать продолжится сама' };
  if (s.coverOpen) return { state: 'coverOpen', message: 'Закройте крышку принтера' };
  if (s.busy) return { state: 'busy', message: 'Принтер печатает…' };
  return { state: 'ready', message: notice ? `Принтер готов, но: ${notice}` : 'Принтер готов' };
}

const UNKNOWN_VIEW: PrinterView = { state: 'unknown', message: 'Состояние принтера неизвестно' };
const NOT_USED_VIEW: PrinterView = { state: 'none', message: 'На этой кассе нет принтера: чеки печатает REGOS VCR' };

export class PrinterConnection {
  private driver: FiscalDevice | null = null;
  private connecting: Promise<FiscalDevice> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private view: PrinterView = UNKNOWN_VIEW;
  private readonly emitter = new EventEmitter();
  private closed = false;
  /** A REGOS-only till (issue 15 point 4): the port is never opened and nothing is sent to it. */
  private unused = false;

  constructor(private readonly factory: DriverFactory, private readonly log: Logger) {}

  state(): PrinterView {
    return this.view;
  }

  onState(listener: (s: PrinterView) => void): () => void {
    this.emitter.on('state', listener);
    return () => this.emitter.off('state', listener);
  }

  onConnected(listener: () => void): () => void {
    this.emitter.on('connected', listener);
    return () => this.emitter.off('connected', listener);
  }

  /** Runs `fn` with the driver, after every operation queued before it; connects first when needed. */
  use<T>(fn: (driver: FiscalDevice) => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      const driver = await this.connected();
      try {
        return await fn(driver);
      } catch (e) {
        if (isAppError(e) && OFFLINE_CODES.has(e.code)) await this.drop(e);
        throw e;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * The till's kind changed (or is read at start): a REGOS-only till closes the port after the operation
   * in progress and refuses every later one without touching the port; a till with a printer again starts
   * from "unknown" and the next probe connects.
   */
  setUnused(unused: boolean): Promise<void> {
    if (unused === this.unused) return this.tail.then(() => undefined);
    this.unused = unused;
    const run = this.tail.then(async () => {
      if (unused) {
        await this.drop();
        this.publish(NOT_USED_VIEW);
      } else {
        this.publish(UNKNOWN_VIEW);
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    await this.drop();
  }

  private async connected(): Promise<FiscalDevice> {
    if (this.closed) throw new AppError({ code: 'FISCAL_CLOSED', message: 'Программа завершает работу', retry: 'transient' });
    if (this.unused) throw new AppError({ code: 'FISCAL_NOT_USED', message: 'На этой кассе нет фискального принтера: возвраты проводит REGOS VCR', retry: 'permanent' });
    if (this.driver) return this.driver;
    this.connecting ??= this.factory()
      .then((driver) => {
        this.driver = driver;
        const notice = vatNotice(driver.taxPlan);
        driver.on('status', (s) => this.publish(describePrinter(s, undefined, notice)));
        this.publish(describePrinter(driver.printerState, undefined, notice));
        this.log.info('fiscal printer connected', { status: driver.connectStatus, identity: driver.identity, taxRows: driver.taxFacts?.rows ?? null, replace20With22: driver.taxFacts?.replace20With22 ?? null });
        if (notice) this.log.warn('fiscal printer cannot print every VAT rate', { notice, refused: driver.taxPlan.refused });
        this.emitter.emit('connected');
        return driver;
      })
      .catch((e: unknown) => {
        const err = isAppError(e) ? e : new AppError({ code: 'FISCAL_PORT_OPEN_FAILED', message: 'Не удалось подключиться к принтеру', retry: 'transient', detail: String(e) });
        this.publish(describePrinter({ offline: true, paperOut: false, coverOpen: false, busy: false }, err));
        throw err;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  private async drop(cause?: AppError): Promise<void> {
    const driver = this.driver;
    this.driver = null;
    if (cause) {
      this.log.warn('fiscal printer connection dropped', { code: cause.code, detail: cause.detail });
      this.publish(describePrinter({ offline: true, paperOut: false, coverOpen: false, busy: false }, cause));
    }
    await driver?.close();
  }

  private publish(view: PrinterView): void {
    if (view.state === this.view.state && view.message === this.view.message) return;
    this.view = view;
    this.emitter.emit('state', view);
  }
}
