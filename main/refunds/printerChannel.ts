import { AppError, isAppError } from '../appError';
import { immediateTransaction, type Database } from '../queue/database';
import type { Outbox } from '../queue/outbox';
import type { Logger } from '../log/logger';
import { refundLog } from '../log/logger';
import type { PrinterConnection } from '../fiscal/printerConnection';
import type { FiscalDocument, FiscalDriver } from '../fiscal/driver';
import type { FiscalDocumentView, Sale } from '../../preload/contract';
import { fiscalRefundReceipt, lifePosReceiptData, lifePosReversal } from './refundDocuments';
import { jobKey, LIFEPOS_JOB } from './lifePosJobs';
import type { RefundOutcomes } from './refundOutcomes';
import type { RefundStore, StoredRefund } from './refundStore';
import type { SaleFinder } from './saleFinder';
import { InFlight, type SettlementChannel } from './settlementChannel';
import { afterPrintTrouble, beforePrintTrouble, earlierUnsettled, type Trigger } from './settlementDecisions';

/**
 * The local fiscal printer, with LIFE POS told through the outbox afterwards (LIFE PAY and local sales
 * keep no refund record on a server: the receipt is the whole story).
 *
 * Recovery recipe (DESIGN.md): 'fiscalizing' with the ФН's last document number N0 is committed before
 * the receipt is sent; after any doubt the device is asked what it holds since N0, never guessed. A
 * refund that never reached the printer stays 'confirmed' and is printed when the printer answers.
 */
export interface PrinterChannelDeps {
  db: Database;
  store: RefundStore;
  outbox: Outbox;
  finder: SaleFinder;
  printer: PrinterConnection;
  cashierName: () => string;
  log: Logger;
  outcomes: RefundOutcomes;
}

/** What follows every waiting reason: the cashier's next step, and that nothing prints twice. */
const WAIT_TAIL = 'Чек напечатается сам, как только принтер ответит (Enter — «Повторить» сейчас). Это тот же возврат: второй чек не напечатается. Деньги выдайте после печати чека.';

export const PRINTER_WAITS = `Принтер не отвечает, чек возврата ещё не печатался. Проверьте питание и кабель принтера. ${WAIT_TAIL}`;

const EARLIER_UNSETTLED = `Чек ещё не печатался: принтер сначала сверит предыдущий возврат, прерванный сбоем. ${WAIT_TAIL}`;

export const PRINTER_LOST =
  'Принтер перестал отвечать во время печати чека: чек мог напечататься. Не пробивайте возврат повторно и не выдавайте деньги, пока программа не сверит чек с принтером — это произойдёт само, как только принтер ответит.';

const OFFLINE_CODES = new Set(['FISCAL_NO_ANSWER', 'FISCAL_ANSWER_LOST', 'FISCAL_PORT_CLOSED', 'FISCAL_PORT_OPEN_FAILED', 'FISCAL_NOT_CONFIGURED']);

const waitReason = (e: AppError): string => {
  if (e.code === 'refund.earlier_unsettled') return EARLIER_UNSETTLED;
  if (OFFLINE_CODES.has(e.code)) return PRINTER_WAITS;
  return `Чек возврата не напечатан: ${e.message} ${WAIT_TAIL}`;
};

const notPrinted = (e: AppError): string => (e.message.startsWith('Чек не напечатан') ? e.message : `Чек не напечатан: ${e.message}`);

const toView = (d: FiscalDocument): FiscalDocumentView => ({ number: d.number, fiscalSign: d.fiscalSign, dateTime: d.dateTime });

export class PrinterChannel implements SettlementChannel {
  readonly recordAs = 'confirmed';
  /** Refunds this process is working on right now (printing, reconciling, asking VCR). */
  private readonly inFlight = new InFlight();

  constructor(private readonly d: PrinterChannelDeps) {}

  admit(): Promise<void> {
    return Promise.resolve();
  }

  async start(r: StoredRefund, sale: Sale): Promise<void> {
    await this.inFlight.run(r.id, () => this.print(r, sale, 'counter'));
  }

  async resume(r: StoredRefund, by: Trigger): Promise<void> {
    await this.inFlight.run(r.id, async () => {
      try {
        const sale = await this.d.finder.get(r.sale);
        if (r.state === 'fiscalizing') await this.reconcile(r, sale, by);
        const now = this.d.store.require(r.id);
        if (now.state === 'confirmed') await this.print(now, sale, by);
      } catch (e) {
        if (!isAppError(e)) throw e;
        // The sale cannot be read (offline, never seen) or the device does not answer: the next pass.
        refundLog(this.d.log, r.id).warn('refund recovery postponed', { code: e.code, by });
      }
    });
  }

  /** Called by the last LIFE POS job once the deal's status is changed. */
  markSynced(refundId: string): void {
    if (!this.d.store.transition(refundId, 'fiscalized', 'synced')) return;
    refundLog(this.d.log, refundId).info('refund synced with LIFE POS');
    this.d.outcomes.announce(refundId, 'Возврат отправлен в LIFE POS', null);
  }


  /** A 'confirmed' refund to the printer. Whatever goes wrong before the receipt is sent leaves it pending. */
  private async print(r: StoredRefund, sale: Sale, by: Trigger): Promise<void> {
    try {
      await this.d.printer.use((driver) => this.printOn(driver, r, sale, by));
    } catch (e) {
      if (!isAppError(e)) throw e;
      // Still 'confirmed' means nothing reached the printer (a cancel may have ended it meanwhile).
      if (this.d.store.get(r.id)?.state !== 'confirmed') return;
      if (beforePrintTrouble(e.retry) === 'fail') this.d.outcomes.fail(r.id, notPrinted(e), by);
      else this.d.outcomes.wait(r.id, 'confirmed', waitReason(e));
    }
  }

  private async printOn(driver: FiscalDriver, r: StoredRefund, sale: Sale, by: Trigger): Promise<void> {
    const log = refundLog(this.d.log, r.id);
    // A receipt interrupted earlier is judged before a new one is printed: judged after, the new receipt
    // would stand in the ФН where the interrupted one is looked for (equal totals would be confused).
    const unsettled = earlierUnsettled(r.id, this.d.store.inState('fiscalizing'));
    if (unsettled.length > 0) {
      log.warn('an earlier receipt is not reconciled yet; not printing', { unsettled: unsettled.map((x) => x.id) });
      throw new AppError({ code: 'refund.earlier_unsettled', message: EARLIER_UNSETTLED, retry: 'transient' });
    }
    const status = await driver.status();
    if (status.shiftExpired) {
      throw new AppError({ code: 'FISCAL_SHIFT_EXPIRED', message: 'Смена открыта больше 24 часов: закройте смену (Z-отчёт), затем оформите возврат заново.', retry: 'permanent' });
    }
    const before = status.lastDocumentNumber;
    // A cancel that came first wins: nothing is sent for a refund that is no longer 'confirmed'.
    if (!this.d.store.transition(r.id, 'confirmed', 'fiscalizing', { docNumberBefore: before, countPrintAttempt: true, reason: null })) return;
    log.info('printing refund receipt', { docNumberBefore: before, shiftOpen: status.shiftOpen, by });
    this.d.outcomes.announce(r.id, 'Печать чека возврата…', null);
    let document: FiscalDocument;
    try {
      if (!status.shiftOpen) await driver.openShift(this.d.cashierName());
      document = await driver.printReceipt(fiscalRefundReceipt(r, this.d.cashierName()));
    } catch (e) {
      const error = isAppError(e) ? e : null;
      log.warn('printing failed, asking the device', { code: error?.code ?? String(e), deviceCode: error?.deviceCode });
      const judged = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: r.totalMinor, operation: 'refundOfIncome' }).catch((lost: unknown) => {
        log.error('device did not answer reconciliation; refund stays fiscalizing', { code: isAppError(lost) ? lost.code : String(lost) });
        return null;
      });
      const step = afterPrintTrouble(judged?.outcome ?? null, error?.retry ?? 'unknown-outcome');
      if (step.do === 'complete' && judged?.outcome === 'printed') {
        document = judged.document;
      } else {
        this.settleTrouble(r.id, step, judged?.outcome === 'ambiguous' ? judged.reason : '', error, by);
        return;
      }
    }
    this.complete(r, sale, toView(document), by);
  }

  private settleTrouble(id: string, step: ReturnType<typeof afterPrintTrouble>, ambiguity: string, error: AppError | null, by: Trigger): void {
    if (step.do === 'review') this.d.outcomes.review(id, ambiguity, by);
    else if (step.do === 'fail') this.d.outcomes.fail(id, error ? notPrinted(error) : 'Чек не напечатан', by);
    else if (step.do === 'wait' && step.state === 'fiscalizing') this.d.outcomes.wait(id, 'fiscalizing', PRINTER_LOST);
    else this.d.outcomes.wait(id, 'confirmed', error ? waitReason(error) : PRINTER_WAITS);
  }

  /** A 'fiscalizing' refund judged by the device; not in the ФН → 'confirmed' again, printed by the caller. */
  private async reconcile(r: StoredRefund, sale: Sale, by: Trigger): Promise<void> {
    if (r.docNumberBefore === null) {
      this.d.outcomes.review(r.id, 'no ФН document number recorded before printing', by);
      return;
    }
    const before = r.docNumberBefore;
    await this.d.printer.use(async (driver) => {
      if (this.d.store.get(r.id)?.state !== 'fiscalizing') return;
      const judged = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: r.totalMinor, operation: 'refundOfIncome' });
      refundLog(this.d.log, r.id).info('pending refund judged by the device', { outcome: judged.outcome, by });
      if (judged.outcome === 'printed') this.complete(r, sale, toView(judged.document), by);
      else if (judged.outcome === 'ambiguous') this.d.outcomes.review(r.id, judged.reason, by);
      // Nothing of it is in the ФН: a confirmed refund again, which the caller prints now.
      else this.d.store.setState(r.id, 'confirmed');
    });
  }

  private complete(r: StoredRefund, sale: Sale, fiscal: FiscalDocumentView, by: Trigger): void {
    const recovered = this.d.outcomes.recoveryPatch(r.id, by);
    immediateTransaction(this.d.db, () => {
      if (sale.ref.source !== 'lifepos') {
        this.d.store.setState(r.id, 'synced', { fiscal, reason: null, ...recovered });
        return;
      }
      this.d.store.setState(r.id, 'fiscalized', { fiscal, reason: null, ...recovered });
      const dealGuid = sale.ref.id;
      // This refund is committed, so the recorded sale plus local refunds already includes it.
      const fullyRefunded = (this.d.finder.current(sale.ref) ?? sale).lines.every((l) => l.refundableMilli === 0);
      const create = this.d.outbox.enqueue({ kind: LIFEPOS_JOB.create, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'create'), payload: { dealGuid, body: lifePosReversal(r, sale) } });
      const receipt = this.d.outbox.enqueue({ kind: LIFEPOS_JOB.receipt, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'receipt'), dependsOn: create.idempotencyKey, payload: { dealGuid, receipt: lifePosReceiptData(fiscal, r.totalMinor, sale.currency) } });
      this.d.outbox.enqueue({ kind: LIFEPOS_JOB.status, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'status'), dependsOn: receipt.idempotencyKey, payload: { dealGuid, refundId: r.id, paymentStatus: fullyRefunded ? 'Refunded' : 'PartiallyRefunded' } });
    });
    refundLog(this.d.log, r.id).info('refund fiscalized', { fiscalNumber: fiscal.number, fiscalSign: fiscal.fiscalSign, by });
    this.d.outcomes.announce(r.id, `Чек напечатан: ФД № ${fiscal.number}`, by);
  }
}
