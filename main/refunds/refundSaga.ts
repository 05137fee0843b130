import { AppError, isAppError } from '../appError';
import { immediateTransaction, type Database } from '../queue/database';
import type { Outbox } from '../queue/outbox';
import type { Logger } from '../log/logger';
import { refundLog } from '../log/logger';
import type { PrinterConnection } from '../fiscal/printerConnection';
import type { FiscalDocument, FiscalDriver } from '../fiscal/driver';
import type { RegosClient } from '../backends/regos/regosClient';
import type { RegosVatMode } from '../backends/regos/regosUnits';
import type { RegosFiscalResult, RegosReceiptInfo } from '../backends/regos/schemas';
import type { Connectivity, FiscalDocumentView, Refund, RefundLineRequest, RefundPreview, RefundState, Sale, SaleRef } from '../../preload/contract';
import { priceRefundLines } from './refundableRemainder';
import { splitTenders } from './tenderSplit';
import { fiscalRefundReceipt, lifePosReceiptData, lifePosReversal, receiptCopyLines, regosRefundParams } from './refundDocuments';
import { jobKey, LIFEPOS_JOB } from './lifePosJobs';
import type { RefundStore, StoredRefund } from './refundStore';
import type { SaleFinder } from './saleFinder';

/**
 * The refund saga: draft → confirmed → fiscalizing → fiscalized → synced, or failed / review.
 *
 * Exactly once rests on three habits (DESIGN.md): every state is committed (synchronous=FULL) before the
 * I/O it announces; the printer is asked, never guessed, after any doubt (the ФН's last document
 * number is stored before printing and judged against on recovery); and back-end calls go through the
 * outbox with keys made before the first attempt, committed in the same transaction as the state.
 */
export interface RefundSagaDeps {
  db: Database;
  store: RefundStore;
  outbox: Outbox;
  finder: SaleFinder;
  printer: PrinterConnection;
  regos: () => RegosClient | null;
  /** A live answer from REGOS now (a real request), not a remembered state. */
  regosReachable: () => Promise<Connectivity>;
  lifeposOnline: () => Connectivity;
  cashierName: () => string;
  regosVatMode: () => RegosVatMode;
  log: Logger;
  progress: (refundId: string, state: RefundState, message: string) => void;
}

export interface ConfirmInput {
  refundId: string;
  sale: SaleRef;
  lines: RefundLineRequest[];
  cardRrns: Record<string, string>;
}

const EARLIER_UNSETTLED =
  'Чек не напечатан: принтер ещё не сверил предыдущий возврат, прерванный сбоем. Повторите возврат, когда принтер ответит.';

/** What one receipt of the fiscal driver carries (main/fiscal/receipt.ts); REGOS takes 150 and checks itself. */
const MAX_RECEIPT_LINES = 100;

const REGOS_NOT_NOW = 'REGOS VCR сейчас не смог зарегистрировать чек возврата, возврат не оформлен. Повторите его через минуту.';

const PRINTER_LOST =
  'Принтер не ответил во время печати чека. Не пробивайте возврат повторно: программа сверит чек с принтером, как только он ответит.';

const toView = (d: FiscalDocument, qrCodeUrl?: string): FiscalDocumentView => ({
  number: d.number, fiscalSign: d.fiscalSign, dateTime: d.dateTime, ...(qrCodeUrl ? { qrCodeUrl } : {}),
});

const publicRefund = (r: StoredRefund): Refund => {
  const { docNumberBefore: _n0, printAttempts: _attempts, ...view } = r;
  return view;
};

export class RefundSaga {
  /** Confirms running in this process by refund id: a double Enter joins the first instead of racing it. */
  private readonly confirming = new Map<string, Promise<Refund>>();
  /** Refunds this process is printing or reconciling right now: a recovery pass leaves them alone. */
  private readonly onPrinter = new Set<string>();
  /** Recovery passes run one after another, each reading the store afresh (no pass acts on a stale row). */
  private recovery: Promise<void> = Promise.resolve();

  constructor(private readonly d: RefundSagaDeps) {}

  async preview(saleRef: SaleRef, lines: RefundLineRequest[]): Promise<RefundPreview> {
    const sale = await this.d.finder.get(saleRef);
    const { refundLines, tenders, total } = this.price(sale, lines);
    const notices: string[] = [];
    if (sale.remainderFromLocalOnly) notices.push('Нет связи с сервером: остаток к возврату посчитан по данным этой кассы.');
    if (sale.ref.source === 'lifepos' && this.d.lifeposOnline() !== 'online') notices.push('LIFE POS недоступен: возврат будет отправлен в LIFE POS автоматически, когда связь восстановится.');
    if (tenders.some((t) => t.needsCard)) notices.push('Часть суммы возвращается на карту: понадобится карта покупателя и RRN с чека терминала.');
    if (sale.ref.source === 'regos') notices.push('Чек возврата напечатает REGOS VCR.');
    return { sale: sale.ref, currency: sale.currency, lines: refundLines, tenders, totalMinor: total, notices };
  }

  confirm(input: ConfirmInput): Promise<Refund> {
    const running = this.confirming.get(input.refundId);
    if (running) return running;
    const started = this.confirmOnce(input).finally(() => this.confirming.delete(input.refundId));
    this.confirming.set(input.refundId, started);
    return started;
  }

  private async confirmOnce(input: ConfirmInput): Promise<Refund> {
    const existing = this.d.store.get(input.refundId);
    // A double Enter or a retried request is the same refund, whatever state it reached.
    if (existing) return publicRefund(existing);
    // A receipt interrupted earlier is judged by the device before a new one is printed: judged after,
    // the new receipt would stand in the ФН where the interrupted one is looked for.
    if (input.sale.source !== 'regos') await this.recoverPending();
    const sale = await this.d.finder.get(input.sale);
    if (sale.ref.source === 'regos') return this.confirmRegos(input, sale);
    return this.confirmOnPrinter(input, sale);
  }

  get(id: string): Refund {
    const r = this.d.store.get(id);
    if (!r) throw new AppError({ code: 'refund.not_found', message: 'Возврат не найден', detail: id });
    return publicRefund(r);
  }

  list(states: RefundState[] | undefined, limit: number): Refund[] {
    const all = states ? states.flatMap((s) => this.d.store.inState(s)) : this.d.store.recent(limit);
    return all.slice(0, limit).map(publicRefund);
  }

  /** A copy of the receipt's fiscal data as text lines; the ФН is not touched. */
  async reprint(id: string): Promise<void> {
    const r = this.d.store.require(id);
    if (!r.fiscal) throw new AppError({ code: 'refund.no_receipt', message: 'У этого возврата ещё нет фискального чека' });
    if (r.sale.source === 'regos') throw new AppError({ code: 'refund.regos_copy', message: 'Копию чека REGOS печатает REGOS VCR' });
    const fiscal = r.fiscal;
    await this.d.printer.use((driver) => driver.printText(receiptCopyLines(r, fiscal)));
  }

  /**
   * At start-up and whenever the printer answers again: every refund left in 'fiscalizing' is judged by
   * the device. Printed → completed; not printed → printed now (it was confirmed); ambiguous → a person.
   * A refund left in 'confirmed' (the app stopped before the printer was asked) is printed the same way.
   */
  recoverPending(): Promise<void> {
    const pass = this.recovery.then(() => this.recoverOnce());
    // The chain only orders passes; each caller gets its own pass's failure.
    this.recovery = pass.catch(() => undefined);
    return pass;
  }

  private async recoverOnce(): Promise<void> {
    for (const r of this.d.store.inState('fiscalizing')) {
      if (this.onPrinter.has(r.id)) continue;
      if (r.sale.source === 'regos') await this.recoverRegos(r);
      else await this.recoverOnPrinter(r);
    }
    for (const r of this.d.store.inState('confirmed')) {
      if (this.onPrinter.has(r.id) || r.sale.source === 'regos') continue;
      await this.printRecovered(r);
    }
  }

  /** Called by the last LIFE POS job once the deal's status is changed. */
  markSynced(refundId: string): void {
    const r = this.d.store.get(refundId);
    if (r?.state !== 'fiscalized') return;
    this.d.store.setState(refundId, 'synced');
    refundLog(this.d.log, refundId).info('refund synced with LIFE POS');
    this.d.progress(refundId, 'synced', 'Возврат отправлен в LIFE POS');
  }

  // ---- the local fiscal printer ------------------------------------------------------------------

  private async confirmOnPrinter(input: ConfirmInput, sale: Sale): Promise<Refund> {
    this.onPrinter.add(input.refundId);
    try {
      const recorded = this.record(input, sale, 'confirmed');
      refundLog(this.d.log, input.refundId).info('refund confirmed', {
        sale: sale.ref, totalMinor: recorded.totalMinor, lines: recorded.lines.length,
        tenders: recorded.tenders.map((t) => ({ kind: t.kind, amountMinor: t.amountMinor })),
      });
      this.d.progress(input.refundId, 'confirmed', 'Возврат подтверждён');
      await this.print(recorded, sale, 'fail');
      return publicRefund(this.d.store.require(input.refundId));
    } finally {
      this.onPrinter.delete(input.refundId);
    }
  }

  /**
   * Prices and stores the refund in one IMMEDIATE transaction, against the sale as recorded plus every
   * refund committed so far: two tills or two tabs refunding the same sale at once cannot both take
   * the last piece, because the second one prices after the first one's commit.
   */
  private record(input: ConfirmInput, fetched: Sale, state: 'confirmed' | 'fiscalizing'): StoredRefund {
    return immediateTransaction(this.d.db, () => {
      const sale = this.d.finder.current(fetched.ref) ?? fetched;
      const { refundLines, tenders, total } = this.price(sale, input.lines, input.cardRrns);
      this.requireRrns(tenders);
      this.d.store.insertConfirmed({ id: input.refundId, sale: sale.ref, saleNumber: sale.number, currency: sale.currency, lines: refundLines, tenders, totalMinor: total });
      if (state === 'fiscalizing') this.d.store.setState(input.refundId, 'fiscalizing', { countPrintAttempt: true });
      return this.d.store.require(input.refundId);
    });
  }

  /**
   * `notSent` says what becomes of the refund when it fails before anything was sent to print (no
   * connection, an earlier receipt not yet reconciled): at the counter the cashier is told and the
   * refund fails; in recovery it stays 'confirmed' for the next pass.
   */
  private async print(r: StoredRefund, sale: Sale, notSent: 'fail' | 'wait'): Promise<void> {
    try {
      await this.d.printer.use((driver) => this.printOn(driver, r, sale, notSent));
    } catch (e) {
      if (notSent === 'fail' && isAppError(e) && this.d.store.get(r.id)?.state === 'confirmed') {
        this.fail(r.id, e.message.startsWith('Чек не напечатан') ? e.message : `Чек не напечатан: ${e.message}`);
      }
      throw e;
    }
  }

  private async printOn(driver: FiscalDriver, r: StoredRefund, sale: Sale, notSent: 'fail' | 'wait'): Promise<void> {
    const log = refundLog(this.d.log, r.id);
    const unsettled = this.d.store.inState('fiscalizing').filter((x) => x.id !== r.id && x.sale.source !== 'regos');
    if (unsettled.length > 0) {
      log.warn('an earlier receipt is not reconciled yet; not printing', { unsettled: unsettled.map((x) => x.id) });
      throw new AppError({ code: 'refund.earlier_unsettled', message: EARLIER_UNSETTLED, retry: 'transient', detail: `${notSent}: ${unsettled.map((x) => x.id).join(', ')}` });
    }
    const status = await driver.status();
    if (status.shiftExpired) {
      this.fail(r.id, 'Смена открыта больше 24 часов: закройте смену (Z-отчёт), затем повторите возврат.');
      throw new AppError({ code: 'FISCAL_SHIFT_EXPIRED', message: 'Смена открыта больше 24 часов: закройте смену (Z-отчёт)' });
    }
    const before = status.lastDocumentNumber;
    this.d.store.setState(r.id, 'fiscalizing', { docNumberBefore: before, countPrintAttempt: true });
    log.info('printing refund receipt', { docNumberBefore: before, shiftOpen: status.shiftOpen });
    this.d.progress(r.id, 'fiscalizing', 'Печать чека возврата…');
    let document: FiscalDocument;
    try {
      if (!status.shiftOpen) await driver.openShift(this.d.cashierName());
      document = await driver.printReceipt(fiscalRefundReceipt(r, this.d.cashierName()));
    } catch (e) {
      log.warn('printing failed, asking the device', { code: isAppError(e) ? e.code : 'unknown', deviceCode: isAppError(e) ? e.deviceCode : undefined });
      const outcome = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: r.totalMinor, operation: 'refundOfIncome' }).catch((lost: unknown) => {
        log.error('device did not answer reconciliation; refund stays fiscalizing', { code: isAppError(lost) ? lost.code : String(lost) });
        this.d.store.setState(r.id, 'fiscalizing', { reason: PRINTER_LOST });
        throw new AppError({ code: 'refund.printer_lost', message: PRINTER_LOST, retry: 'unknown-outcome', cause: lost });
      });
      if (outcome.outcome === 'printed') {
        document = outcome.document;
      } else if (outcome.outcome === 'notPrinted') {
        const reason = isAppError(e) ? e.message : 'Чек не напечатан';
        this.fail(r.id, `Чек не напечатан: ${reason}`);
        throw e;
      } else {
        this.review(r.id, outcome.reason);
        throw new AppError({ code: 'refund.review', message: 'Не удалось однозначно понять, напечатан ли чек. Возврат передан на проверку старшему кассиру.' });
      }
    }
    this.completeFiscal(r, sale, toView(document));
  }

  private async recoverOnPrinter(r: StoredRefund): Promise<void> {
    const log = refundLog(this.d.log, r.id);
    if (r.docNumberBefore === null) {
      this.review(r.id, 'no ФН document number recorded before printing');
      return;
    }
    const before = r.docNumberBefore;
    this.onPrinter.add(r.id);
    try {
      const sale = await this.saleFor(r);
      await this.d.printer.use(async (driver) => {
        if (this.d.store.get(r.id)?.state !== 'fiscalizing') return;
        const outcome = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: r.totalMinor, operation: 'refundOfIncome' });
        log.info('recovered refund judged by the device', { outcome: outcome.outcome });
        if (outcome.outcome === 'printed') this.completeFiscal(r, sale, toView(outcome.document));
        else if (outcome.outcome === 'ambiguous') this.review(r.id, outcome.reason);
        // Nothing of it is in the ФН: it is a confirmed refund again, printed by this pass's next loop.
        else this.d.store.setState(r.id, 'confirmed');
      });
    } catch (e) {
      if (!isAppError(e)) throw e;
      // The device still does not answer: the refund waits in 'fiscalizing' for the next try.
      log.warn('recovery postponed', { code: e.code });
    } finally {
      this.onPrinter.delete(r.id);
    }
  }

  private async printRecovered(r: StoredRefund): Promise<void> {
    this.onPrinter.add(r.id);
    try {
      await this.print(r, await this.saleFor(r), 'wait');
    } catch (e) {
      if (!isAppError(e)) throw e;
      refundLog(this.d.log, r.id).warn('recovery print postponed or failed', { code: e.code, state: this.d.store.get(r.id)?.state });
    } finally {
      this.onPrinter.delete(r.id);
    }
  }

  /** The sale as recorded when the refund was made: its payment parts are what the jobs point at. */
  private async saleFor(r: StoredRefund): Promise<Sale> {
    return this.d.finder.get(r.sale);
  }

  private completeFiscal(r: StoredRefund, sale: Sale, fiscal: FiscalDocumentView): void {
    const log = refundLog(this.d.log, r.id);
    immediateTransaction(this.d.db, () => {
      if (sale.ref.source !== 'lifepos') {
        // LIFE PAY and local sales keep no refund record on a server: the receipt is the whole story.
        this.d.store.setState(r.id, 'synced', { fiscal, reason: null });
        return;
      }
      this.d.store.setState(r.id, 'fiscalized', { fiscal, reason: null });
      const dealGuid = sale.ref.id;
      // This refund is committed, so the recorded sale plus local refunds already includes it.
      const fullyRefunded = (this.d.finder.current(sale.ref) ?? sale).lines.every((l) => l.refundableMilli === 0);
      const create = this.d.outbox.enqueue({ kind: LIFEPOS_JOB.create, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'create'), payload: { dealGuid, body: lifePosReversal(r, sale) } });
      const receipt = this.d.outbox.enqueue({ kind: LIFEPOS_JOB.receipt, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'receipt'), dependsOn: create.idempotencyKey, payload: { dealGuid, receipt: lifePosReceiptData(fiscal, r.totalMinor, sale.currency) } });
      this.d.outbox.enqueue({ kind: LIFEPOS_JOB.status, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'status'), dependsOn: receipt.idempotencyKey, payload: { dealGuid, refundId: r.id, paymentStatus: fullyRefunded ? 'Refunded' : 'PartiallyRefunded' } });
    });
    log.info('refund fiscalized', { fiscalNumber: fiscal.number, fiscalSign: fiscal.fiscalSign });
    this.d.progress(r.id, sale.ref.source === 'lifepos' ? 'fiscalized' : 'synced', `Чек напечатан: ФД № ${fiscal.number}`);
  }

  // ---- REGOS: online only, VCR prints ------------------------------------------------------------

  private async confirmRegos(input: ConfirmInput, sale: Sale): Promise<Refund> {
    const client = this.d.regos();
    const reachable = client ? await this.d.regosReachable() : 'offline';
    if (!client || reachable !== 'online') {
      // Seed 002: a refund receipt is registered online only. Nothing is stored, nothing queued.
      throw new AppError({ code: 'regos.offline', message: 'REGOS VCR недоступен: возврат по этому чеку сейчас невозможен. Проверьте связь с VCR и повторите.', retry: 'permanent' });
    }
    const recorded = this.record(input, sale, 'fiscalizing');
    const total = recorded.totalMinor;
    let params: ReturnType<typeof regosRefundParams>;
    try {
      params = regosRefundParams(recorded, sale, this.d.cashierName(), this.d.regosVatMode());
    } catch (e) {
      if (isAppError(e)) this.fail(input.refundId, e.message);
      throw e;
    }
    const log = refundLog(this.d.log, input.refundId);
    log.info('sending REGOS Receipt.Refund', { code: input.refundId, totalMinor: total });
    this.d.progress(input.refundId, 'fiscalizing', 'REGOS VCR печатает чек возврата…');
    try {
      this.regosDone(input.refundId, await client.refund(params));
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (e.retry === 'unknown-outcome') {
        // The answer was lost: ask VCR by our code before anything else, then resend with the same code.
        // If the question is lost too, the resend is still safe: VCR refuses a second receipt with this
        // code, and that refusal sends the refund to review instead of printing twice.
        const info = await client.getInfo(input.refundId).catch(() => null);
        if (info) this.regosDone(input.refundId, info);
        else await this.resendRegos(input.refundId, params, e);
      } else {
        throw this.settleRegosFailure(input.refundId, e);
      }
    }
    return publicRefund(this.d.store.require(input.refundId));
  }

  private async resendRegos(id: string, params: ReturnType<typeof regosRefundParams>, first: AppError): Promise<void> {
    const client = this.d.regos();
    if (!client) throw first;
    try {
      this.regosDone(id, await client.refund(params));
    } catch (e) {
      if (!isAppError(e)) throw e;
      throw this.settleRegosFailure(id, e);
    }
  }

  /**
   * Duplicate code after an unknown outcome: probably registered — a person checks, nobody guesses. A
   * transient failure (VCR busy, HTTP 5xx) registered nothing, and REGOS refunds are never retried in
   * the background: the cashier is told to repeat it rather than the client's "will retry by itself".
   */
  private settleRegosFailure(id: string, e: AppError): AppError {
    if (e.code === 'regos.duplicate_code') this.review(id, e.message);
    else if (e.retry === 'unknown-outcome') this.d.store.setState(id, 'fiscalizing', { reason: 'REGOS не ответил: чек будет проверен в VCR по коду возврата.' });
    else if (e.retry === 'transient') {
      const told = new AppError({ code: e.code, message: REGOS_NOT_NOW, retry: 'permanent', detail: e.detail ?? e.message, cause: e });
      this.fail(id, REGOS_NOT_NOW);
      return told;
    } else this.fail(id, e.message);
    return e;
  }

  private async recoverRegos(r: StoredRefund): Promise<void> {
    const client = this.d.regos();
    if (!client) return;
    try {
      const info = await client.getInfo(r.id);
      if (info) this.regosDone(r.id, info);
      // Not registered: the customer was told the refund did not go through; it gave nothing back.
      else this.fail(r.id, 'REGOS не зарегистрировал чек возврата. Оформите возврат заново.');
    } catch (e) {
      if (!isAppError(e)) throw e;
      refundLog(this.d.log, r.id).warn('REGOS recovery postponed', { code: e.code });
    }
  }

  private regosDone(id: string, result: RegosFiscalResult | RegosReceiptInfo): void {
    const fiscal: FiscalDocumentView = {
      number: Number.parseInt(result.ReceiptNo ?? '0', 10) || 0,
      fiscalSign: result.FiscalSign ?? '',
      dateTime: (result.DateTime ?? '').replace(' ', 'T'),
      ...(result.QRCodeURL ? { qrCodeUrl: result.QRCodeURL } : {}),
    };
    // REGOS is both the printer and the record: registered means synced.
    this.d.store.setState(id, 'synced', { fiscal, reason: null });
    refundLog(this.d.log, id).info('REGOS refund registered', { receiptNo: result.ReceiptNo, fiscalSign: result.FiscalSign });
    this.d.progress(id, 'synced', `REGOS зарегистрировал чек № ${result.ReceiptNo ?? ''}`);
  }

  // ---- shared ------------------------------------------------------------------------------------

  private price(sale: Sale, lines: RefundLineRequest[], rrns: Record<string, string> = {}) {
    if (sale.ref.source !== 'regos' && lines.length > MAX_RECEIPT_LINES) {
      throw new AppError({ code: 'refund.too_many_lines', message: `В одном чеке возврата не больше ${MAX_RECEIPT_LINES} позиций: оформите возврат несколькими чеками` });
    }
    const refundLines = priceRefundLines(sale.lines, lines);
    const total = refundLines.reduce((s, l) => s + l.amountMinor, 0);
    const available = sale.payments.reduce((s, p) => s + p.amountMinor - p.refundedMinor, 0);
    if (total > available) {
      throw new AppError({ code: 'refund.over_refund', message: 'Сумма возврата больше, чем осталось по оплатам этой продажи' });
    }
    const tenders = splitTenders(sale.payments, total).map((t) => (rrns[t.paymentPartId] ? { ...t, rrn: rrns[t.paymentPartId] } : t));
    return { refundLines, tenders, total };
  }

  /** Card money goes back through the acquiring terminal first (seed 000): its RRN must be typed. */
  private requireRrns(tenders: ReturnType<RefundSaga['price']>['tenders']): void {
    const missing = tenders.filter((t) => t.needsCard && !t.rrn);
    if (missing.length > 0) {
      throw new AppError({ code: 'refund.rrn_missing', message: 'Проведите возврат на карту в терминале и введите RRN с чека терминала', retry: 'permanent' });
    }
  }

  private fail(id: string, reason: string): void {
    this.d.store.setState(id, 'failed', { reason });
    refundLog(this.d.log, id).warn('refund failed', { reason });
    this.d.progress(id, 'failed', reason);
  }

  private review(id: string, detail: string): void {
    const reason = 'Нужна проверка: не удалось однозначно определить, напечатан ли чек. Сверьте с отчётом принтера, не пробивайте повторно.';
    this.d.store.setState(id, 'review', { reason });
    refundLog(this.d.log, id).error('refund needs review', { detail });
    this.d.progress(id, 'review', reason);
  }
}
