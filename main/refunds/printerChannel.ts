import { AppError, isAppError } from '../appError';
import { immediateTransaction, type Database } from '../queue/database';
import type { Outbox } from '../queue/outbox';
import type { Logger } from '../log/logger';
import { refundLog } from '../log/logger';
import type { PrinterConnection } from '../fiscal/printerConnection';
import type { FiscalDocument } from '../fiscal/documents';
import type { FiscalDevice } from '../fiscal/device';
import type { FiscalDocumentView, PrinterWait, RefundLine, RefundTender, Sale } from '../../preload/contract';
import { fiscalPositions, fiscalRefundReceipt, lifePosReceiptData, lifePosReversal, type RefundForDocuments } from './refundDocuments';
import { MAX_RECEIPT_POSITIONS } from '../fiscal/receipt';
import { planReceipts, type PlannedReceipt } from './receiptPlan';
import { jobKey, LIFEPOS_JOB } from './lifePosJobs';
import { saidError, type Reason, type RefundOutcomes } from './refundOutcomes';
import type { RefundStore, StoredReceipt, StoredRefund } from './refundStore';
import type { SaleFinder } from './saleFinder';
import { dealPaymentStatus } from './saleRemainder';
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
  /** The signed-in cashier's INN (tag 1203), when they gave one (main/people/). */
  cashierInn?: () => string | undefined;
  log: Logger;
  outcomes: RefundOutcomes;
  /** A refund another register settles (LIFE PAY's cloud, issue 22): never in this ФН, never blocks it. */
  elsewhere?: (refundId: string) => boolean;
  /** This till's ФН number, sent with the session's receipt data so other tills can name it (issue 22). */
  fiscalDrive?: () => string | undefined;
}

/** What follows every waiting reason: the cashier's next step, and that nothing prints twice. */
const WAIT_TAIL = 'Чек напечатается сам, как только принтер ответит (Enter — «Повторить» сейчас). Это тот же возврат: второй чек не напечатается. Деньги выдайте после печати чека.';

export const PRINTER_WAITS = `Принтер не отвечает, чек возврата ещё не печатался. Проверьте питание и кабель принтера. ${WAIT_TAIL}`;

const EARLIER_UNSETTLED = `Чек ещё не печатался: принтер сначала сверит предыдущий возврат, прерванный сбоем. ${WAIT_TAIL}`;

export const PRINTER_LOST =
  'Принтер перестал отвечать во время печати чека: чек мог напечататься. Не пробивайте возврат повторно и не выдавайте деньги, пока программа не сверит чек с принтером — это произойдёт само, как только принтер ответит.';

/** A progress line: printed on the ФН's own check of the marking codes, the ОИСМ not answering. */
const MARKING_OFFLINE = 'Коды маркировки проверены без ответа системы маркировки (нет связи): чек напечатан, фискальный накопитель передаст коды сам, когда связь появится.';

const OFFLINE_CODES = new Set(['FISCAL_NO_ANSWER', 'FISCAL_ANSWER_LOST', 'FISCAL_PORT_CLOSED', 'FISCAL_PORT_OPEN_FAILED', 'FISCAL_NOT_CONFIGURED']);

/**
 * A fault of this program while printing (no AppError: a bug, a value it could not read), after the device
 * answered that nothing is in the ФН: the printer is not the cause, the refund is tried again by itself, and
 * the fault's text is for IT in main.log, never for the cashier.
 */
export const PROGRAM_FAULT = 'Чек возврата не напечатан: внутренняя ошибка программы, принтер исправен. Программа повторит печать сама (Enter — «Повторить» сейчас). Если чек так и не напечатается, сообщите специалисту: причина записана в журнал программы main.log. Это тот же возврат: второй чек не напечатается. Деньги выдайте после печати чека.';

type WaitReason = Reason & { coded: PrinterWait };
const WAITS: WaitReason = { text: PRINTER_WAITS, coded: { code: 'printer.waits', params: {} } };
const FAULT: WaitReason = { text: PROGRAM_FAULT, coded: { code: 'printer.programFault', params: {} } };
const LOST: Reason = { text: PRINTER_LOST, coded: { code: 'printer.lost', params: {} } };

/** Why a refund waits after `e`; `null` is a fault of the program itself, not of the device. */
const waitReason = (e: AppError | null): WaitReason => {
  if (e === null) return FAULT;
  if (e.code === 'refund.earlier_unsettled') return { text: EARLIER_UNSETTLED, coded: { code: 'printer.earlierUnsettled', params: {} } };
  if (OFFLINE_CODES.has(e.code)) return WAITS;
  return { text: `Чек возврата не напечатан: ${e.message} ${WAIT_TAIL}`, coded: { code: 'printer.notPrintedWaits', params: { error: saidError(e) } } };
};

const notPrinted = (e: AppError): Reason => ({ text: `Чек не напечатан: ${e.message}`, coded: { code: 'printer.notPrinted', params: { error: saidError(e) } } });

const fiscalDrive = (fn: string | undefined): { fiscal_drive_number?: string } => (fn ? { fiscal_drive_number: fn } : {});

const toView = (d: FiscalDocument): FiscalDocumentView => ({ number: d.number, fiscalSign: d.fiscalSign, dateTime: d.dateTime });

/** Sent and not recorded: this receipt may be in the ФН, and is judged by the device before anything else. */
const mayBeInFn = (p: StoredReceipt): boolean => p.fiscal === null && p.docNumberBefore !== null;

/** One receipt's share of the refund, as the fiscal receipt builder takes it. */
function receiptPart(r: StoredRefund, receipt: StoredReceipt): RefundForDocuments {
  const ids = new Set(receipt.lineIds);
  return {
    id: r.id,
    lines: r.lines.filter((l) => ids.has(l.lineId)),
    tenders: receipt.tenders.flatMap((share) => {
      const tender = r.tenders.find((t) => t.paymentPartId === share.paymentPartId);
      return tender ? [{ ...tender, amountMinor: share.amountMinor }] : [];
    }),
  };
}

/** How many of a refund's receipts are printed, and their ФД numbers. */
const printedFacts = (receipts: readonly StoredReceipt[]): { printed: number; count: number; fds: number[] } => {
  const fds = receipts.flatMap((p) => (p.fiscal ? [p.fiscal.number] : []));
  return { printed: fds.length, count: receipts.length, fds };
};

const printedOf = (receipts: readonly StoredReceipt[]): string => {
  const { printed, count, fds } = printedFacts(receipts);
  return `Напечатано чеков: ${printed} из ${count} (ФД № ${fds.join(', ')}), они остаются в силе.`;
};

/** A refund of several receipts waiting for the rest: what is printed, and that it is never printed again. */
const partlyPrinted = (receipts: readonly StoredReceipt[], why: WaitReason): Reason => ({
  text: `${printedOf(receipts)} ${why.text}`,
  coded: { code: 'printer.partlyPrinted', params: { ...printedFacts(receipts), then: why.coded } },
});

const partlyRefused = (receipts: readonly StoredReceipt[], error: AppError | null): Reason => ({
  text: `${printedOf(receipts)} Следующий чек принтер не принял${error ? `: ${error.message}` : ''}. Не пробивайте возврат повторно: сверьте чеки с отчётом принтера вместе со старшим кассиром.`,
  coded: { code: 'printer.partlyRefused', params: { ...printedFacts(receipts), ...(error ? { error: saidError(error) } : {}) } },
});

/**
 * The LIFE POS reversal body, or why it cannot be built: seed 000 requires every payment part to name
 * the sale's payment session ("Возврат должен ссылаться на прямую сессию оплаты"), and a sale record
 * without it cannot say which.
 */
function lifePosReversalOrWhyNot(r: StoredRefund, sale: Sale): { body: ReturnType<typeof lifePosReversal> } | { unbuildable: AppError } {
  try {
    return { body: lifePosReversal(r, sale) };
  } catch (e) {
    if (isAppError(e) && e.code === 'refund.payment_part_unknown') return { unbuildable: e };
    throw e;
  }
}

export class PrinterChannel implements SettlementChannel {
  readonly recordAs = 'confirmed';
  /** Refunds this process is working on right now (printing, reconciling, asking VCR). */
  private readonly inFlight = new InFlight();

  constructor(private readonly d: PrinterChannelDeps) {}

  admit(): Promise<void> {
    return Promise.resolve();
  }

  /** Whole lines, at most the device's positions per receipt (main/fiscal/shtrih/PROTOCOL.md §Receipt limits). */
  planReceipts(lines: readonly RefundLine[], tenders: readonly RefundTender[]): PlannedReceipt[] {
    return planReceipts(lines, tenders, (l) => fiscalPositions(l).length, MAX_RECEIPT_POSITIONS);
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
        if (now.state === 'confirmed' || (now.state === 'fiscalizing' && this.betweenReceipts(now.id))) await this.print(now, sale, by);
      } catch (e) {
        if (!isAppError(e)) throw e;
        // The sale cannot be read (offline, never seen) or the device does not answer: the next pass.
        refundLog(this.d.log, r.id).warn('refund recovery postponed', { code: e.code, by });
      }
    });
  }

  /** Some receipts printed, none in flight, some still to print: the rest is printed now. */
  private betweenReceipts(id: string): boolean {
    const receipts = this.d.store.receipts(id);
    return !receipts.some(mayBeInFn) && receipts.some((p) => p.fiscal !== null) && receipts.some((p) => p.fiscal === null);
  }

  /** Called by the last LIFE POS job once the deal's status is changed. */
  markSynced(refundId: string): void {
    if (!this.d.store.transition(refundId, 'fiscalized', 'synced')) return;
    refundLog(this.d.log, refundId).info('refund synced with LIFE POS');
    this.d.outcomes.announce(refundId, 'Возврат отправлен в LIFE POS', null);
  }


  /**
   * A pending refund's receipts that are not printed yet, in order. Whatever goes wrong before a receipt
   * is sent leaves the refund pending: 'confirmed' while none of it is printed, 'fiscalizing' after.
   */
  private async print(r: StoredRefund, sale: Sale, by: Trigger): Promise<void> {
    try {
      await this.d.printer.use((driver) => this.printOn(driver, r, sale, by));
    } catch (e) {
      if (!isAppError(e)) throw e;
      const now = this.d.store.get(r.id);
      // Still 'confirmed' means nothing reached the printer (a cancel may have ended it meanwhile).
      if (now?.state === 'confirmed') {
        if (beforePrintTrouble(e.retry) === 'fail') this.d.outcomes.fail(r.id, notPrinted(e), by);
        else this.d.outcomes.wait(r.id, 'confirmed', waitReason(e));
        return;
      }
      // Between two receipts (none in flight): the printed ones stay, the rest prints when it can.
      const receipts = this.d.store.receipts(r.id);
      if (now?.state === 'fiscalizing' && !receipts.some(mayBeInFn)) this.d.outcomes.wait(r.id, 'fiscalizing', partlyPrinted(receipts, waitReason(e)));
    }
  }

  private async printOn(driver: FiscalDevice, r: StoredRefund, sale: Sale, by: Trigger): Promise<void> {
    const log = refundLog(this.d.log, r.id);
    // A receipt interrupted earlier is judged before a new one is printed: judged after, the new receipt
    // would stand in the ФН where the interrupted one is looked for (equal totals would be confused).
    const unsettled = earlierUnsettled(r.id, this.d.store.inState('fiscalizing').filter((x) => !this.d.elsewhere?.(x.id)));
    if (unsettled.length > 0) {
      log.warn('an earlier receipt is not reconciled yet; not printing', { unsettled: unsettled.map((x) => x.id) });
      throw new AppError({ code: 'refund.earlier_unsettled', message: EARLIER_UNSETTLED, retry: 'transient' });
    }
    const receipts = this.d.store.receipts(r.id);
    for (const receipt of receipts) {
      if (receipt.fiscal) continue;
      if (!(await this.printReceipt(driver, r, receipt, receipts.length, by))) return;
    }
    this.complete(r, sale, by);
  }

  /**
   * One receipt of the refund. Its N0 (the ФН's last document number) is committed before it is sent, so
   * a power cut, a paper break or a kill between receipts k and k+1 resumes at k+1 and never prints 1..k
   * again. True when it is printed and recorded; false when the refund was left pending or settled.
   */
  private async printReceipt(driver: FiscalDevice, r: StoredRefund, receipt: StoredReceipt, count: number, by: Trigger): Promise<boolean> {
    const log = refundLog(this.d.log, r.id);
    const status = await driver.status();
    if (status.shiftExpired) {
      throw new AppError({ code: 'FISCAL_SHIFT_EXPIRED', message: 'Смена открыта больше 24 часов: закройте смену (Z-отчёт), затем оформите возврат заново.', retry: 'permanent' });
    }
    const before = status.lastDocumentNumber;
    const sent = immediateTransaction(this.d.db, () => {
      // A cancel that came first wins: nothing is sent for a refund that is no longer 'confirmed'.
      const moved = receipt.seq === 1
        ? this.d.store.transition(r.id, 'confirmed', 'fiscalizing', { docNumberBefore: before, countPrintAttempt: true, reason: null })
        : this.d.store.transition(r.id, 'fiscalizing', 'fiscalizing', { docNumberBefore: before, reason: null });
      if (moved) this.d.store.setReceiptSent(r.id, receipt.seq, before);
      return moved;
    });
    if (!sent) return false;
    log.info('printing refund receipt', { receipt: receipt.seq, of: count, docNumberBefore: before, shiftOpen: status.shiftOpen, by });
    this.d.outcomes.announce(r.id, count > 1 ? { text: `Печать чека ${receipt.seq} из ${count}…`, coded: { code: 'printer.printing', params: { seq: receipt.seq, count } } } : 'Печать чека возврата…', null);
    let document: FiscalDocument;
    try {
      const inn = this.d.cashierInn?.();
      if (!status.shiftOpen) await driver.openShift(this.d.cashierName(), inn);
      document = await driver.printReceipt({ ...fiscalRefundReceipt(receiptPart(r, receipt), this.d.cashierName()), ...(inn ? { cashierInn: inn } : {}) });
      if (driver.lastUncheckedCodes.length > 0) {
        // No ОИСМ answer: printed on the ФН's own check, which sends the codes once online (PROTOCOL.md §Marking codes).
        log.warn('marking codes checked without an ОИСМ answer', { receipt: receipt.seq, positions: driver.lastUncheckedCodes });
        this.d.outcomes.announce(r.id, { text: MARKING_OFFLINE, coded: { code: 'printer.markingOffline', params: {} } }, null);
      }
    } catch (e) {
      const error = isAppError(e) ? e : null;
      log.warn('printing failed, asking the device', { receipt: receipt.seq, code: error?.code ?? String(e), deviceCode: error?.deviceCode, ...(error ? {} : { stack: e instanceof Error ? e.stack : undefined }) });
      const judged = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: receipt.totalMinor, operation: 'refundOfIncome' }).catch((lost: unknown) => {
        log.error('device did not answer reconciliation; refund stays fiscalizing', { code: isAppError(lost) ? lost.code : String(lost) });
        return null;
      });
      const step = afterPrintTrouble(judged?.outcome ?? null, error?.retry ?? 'unknown-outcome');
      if (step.do !== 'complete' || judged?.outcome !== 'printed') {
        this.settleTrouble(r.id, receipt.seq, step, judged?.outcome === 'ambiguous' ? judged.reason : '', error, by);
        return false;
      }
      document = judged.document;
    }
    this.recordPrinted(r.id, receipt.seq, count, toView(document));
    return true;
  }

  private recordPrinted(id: string, seq: number, count: number, fiscal: FiscalDocumentView): void {
    this.d.store.setReceiptPrinted(id, seq, fiscal);
    refundLog(this.d.log, id).info('refund receipt printed', { receipt: seq, of: count, fiscalNumber: fiscal.number });
    if (count > 1) this.d.outcomes.announce(id, { text: `Чек ${seq} из ${count} напечатан: ФД № ${fiscal.number}`, coded: { code: 'printer.printedOf', params: { seq, count, fd: fiscal.number } } }, null);
  }

  /**
   * After trouble with receipt `seq`. While nothing of the refund is printed the single-receipt rules
   * hold; once a receipt is printed the refund can neither fail nor be cancelled: it waits in
   * 'fiscalizing' for the rest, or goes to a person when the device refuses for good.
   */
  private settleTrouble(id: string, seq: number, step: ReturnType<typeof afterPrintTrouble>, ambiguity: string, error: AppError | null, by: Trigger): void {
    if (step.do === 'review') {
      this.d.outcomes.review(id, ambiguity, by);
      return;
    }
    if (step.do === 'wait' && step.state === 'fiscalizing') {
      this.d.outcomes.wait(id, 'fiscalizing', LOST);
      return;
    }
    // Proven not in the ФН: receipt `seq` is no longer in flight.
    this.d.store.setReceiptSent(id, seq, null);
    const receipts = this.d.store.receipts(id);
    const printedAny = receipts.some((p) => p.fiscal !== null);
    if (step.do === 'fail' && !printedAny) this.d.outcomes.fail(id, error ? notPrinted(error) : { text: 'Чек не напечатан', coded: { code: 'printer.notPrinted', params: {} } }, by);
    else if (step.do === 'fail') this.d.outcomes.review(id, `receipt ${seq} refused for good after earlier receipts were printed: ${error?.detail ?? error?.message ?? ''}`, by, partlyRefused(receipts, error));
    else if (printedAny) this.d.outcomes.wait(id, 'fiscalizing', partlyPrinted(receipts, waitReason(error)));
    else this.d.outcomes.wait(id, 'confirmed', waitReason(error));
  }

  /**
   * A 'fiscalizing' refund judged by the device: the receipt in flight (N0 set, not recorded) is asked
   * for, as a single receipt is. Not in the ФН → 'confirmed' again while nothing of the refund is
   * printed; either way the caller prints what is left.
   */
  private async reconcile(r: StoredRefund, sale: Sale, by: Trigger): Promise<void> {
    const receipts = this.d.store.receipts(r.id);
    const flying = receipts.find(mayBeInFn);
    if (!flying) {
      // Killed after the last receipt was recorded, before the refund was: finish it, print nothing.
      if (receipts.every((p) => p.fiscal !== null)) this.complete(r, sale, by);
      else if (receipts.every((p) => p.fiscal === null)) this.d.outcomes.review(r.id, 'no ФН document number recorded before printing', by);
      return;
    }
    const before = flying.docNumberBefore ?? 0;
    await this.d.printer.use(async (driver) => {
      if (this.d.store.get(r.id)?.state !== 'fiscalizing') return;
      const judged = await driver.reconcileReceipt({ lastNumberBefore: before, totalMinor: flying.totalMinor, operation: 'refundOfIncome' });
      refundLog(this.d.log, r.id).info('pending refund judged by the device', { receipt: flying.seq, outcome: judged.outcome, by });
      if (judged.outcome === 'printed') {
        this.recordPrinted(r.id, flying.seq, receipts.length, toView(judged.document));
        if (this.d.store.receipts(r.id).every((p) => p.fiscal !== null)) this.complete(r, sale, by);
      } else if (judged.outcome === 'ambiguous') {
        this.d.outcomes.review(r.id, judged.reason, by);
      } else {
        // Nothing of this receipt is in the ФН: it is printed again by the caller.
        immediateTransaction(this.d.db, () => {
          this.d.store.setReceiptSent(r.id, flying.seq, null);
          if (receipts.every((p) => p.fiscal === null)) this.d.store.setState(r.id, 'confirmed');
        });
      }
    });
  }

  /**
   * Printed, and LIFE POS cannot be told: the receipt is a fact (recorded with its ФД, never printed
   * again), and the missing back-end record goes to a person (main/refunds/README.md, "Printed, and
   * LIFE POS cannot be told").
   */
  private printedUnsynced(id: string, fiscal: readonly FiscalDocumentView[], sale: Sale, why: AppError, by: Trigger): void {
    const first = fiscal[0];
    if (!first) throw new Error(`refund ${id} has no printed receipt`);
    const numbers = fiscal.map((f) => f.number).join(', ');
    const reason = `Чек возврата напечатан: ФД № ${numbers}. Он в силе — не пробивайте возврат повторно, деньги выдайте покупателю. `
      + `В LIFE POS возврат не отправлен: ${why.message} (у оплаты продажи № ${sale.number} нет сессии оплаты, на которую LIFE POS требует сослаться). `
      + 'Старший кассир вносит этот возврат в LIFE POS вручную (обратная сессия по продаже с данными чека), затем отмечает его проверенным.';
    const reasonText = { code: 'printer.printedUnsynced', params: { fds: fiscal.map((f) => f.number), saleNumber: sale.number, error: saidError(why) } } as const;
    this.d.store.setState(id, 'review', { fiscal: first, reason, reasonText, ...this.d.outcomes.recoveryPatch(id, by) });
    refundLog(this.d.log, id).error('refund printed; LIFE POS reversal cannot be built, to a person', { code: why.code, detail: why.detail, fiscalNumbers: numbers, by });
    this.d.outcomes.announce(id, { text: reason, coded: reasonText }, by);
  }

  private complete(r: StoredRefund, sale: Sale, by: Trigger): void {
    const printed = this.d.store.receipts(r.id).flatMap((p) => (p.fiscal ? [{ fiscal: p.fiscal, totalMinor: p.totalMinor }] : []));
    const first = printed[0];
    if (!first) throw new Error(`refund ${r.id} completed without a printed receipt`);
    const fiscal = first.fiscal;
    const recovered = this.d.outcomes.recoveryPatch(r.id, by);
    const reversal = sale.ref.source === 'lifepos' ? lifePosReversalOrWhyNot(r, sale) : null;
    if (reversal && 'unbuildable' in reversal) {
      this.printedUnsynced(r.id, printed.map((p) => p.fiscal), sale, reversal.unbuildable, by);
      return;
    }
    immediateTransaction(this.d.db, () => {
      if (sale.ref.source !== 'lifepos' || !reversal) {
        this.d.store.setState(r.id, 'synced', { fiscal, reason: null, ...recovered });
        return;
      }
      this.d.store.setState(r.id, 'fiscalized', { fiscal, reason: null, ...recovered });
      const dealGuid = sale.ref.id;
      // This refund is committed, so the recorded sale plus local refunds already includes it.
      const paymentStatus = dealPaymentStatus(this.d.finder.current(sale.ref) ?? sale);
      const create = this.d.outbox.enqueue({ kind: LIFEPOS_JOB.create, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'create'), payload: { dealGuid, body: reversal.body } });
      const receipt = this.d.outbox.enqueue({ kind: LIFEPOS_JOB.receipt, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'receipt'), dependsOn: create.idempotencyKey, payload: { dealGuid, receipt: { ...lifePosReceiptData(printed, sale.currency), ...fiscalDrive(this.d.fiscalDrive?.()) } } });
      this.d.outbox.enqueue({ kind: LIFEPOS_JOB.status, backend: 'lifepos', idempotencyKey: jobKey(r.id, 'status'), dependsOn: receipt.idempotencyKey, payload: { dealGuid, refundId: r.id, paymentStatus } });
    });
    const numbers = printed.map((p) => p.fiscal.number);
    refundLog(this.d.log, r.id).info('refund fiscalized', { fiscalNumbers: numbers, fiscalSign: fiscal.fiscalSign, by });
    this.d.outcomes.announce(r.id, printed.length > 1
      ? { text: `Напечатано чеков: ${printed.length} (ФД № ${numbers.join(', ')})`, coded: { code: 'printer.printedAll', params: { count: printed.length, fds: numbers } } }
      : { text: `Чек напечатан: ФД № ${fiscal.number}`, coded: { code: 'printer.printedOne', params: { fd: fiscal.number } } }, by);
  }
}
