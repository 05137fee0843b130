import { AppError } from '../appError';
import { immediateTransaction, type Database } from '../queue/database';
import type { Outbox } from '../queue/outbox';
import type { Logger } from '../log/logger';
import { refundLog } from '../log/logger';
import type { PrinterConnection } from '../fiscal/printerConnection';
import type { RegosClient } from '../backends/regos/regosClient';
import type { RegosVatMode } from '../backends/regos/regosUnits';
import {
  isPendingRefund, type Connectivity, type MainText, type Notice, type RecoveredRefund, type Refund, type RefundLineRequest, type RefundPreview, type RefundState, type Sale, type SaleRef,
} from '../../preload/contract';
import { priceRefundLines } from './refundableRemainder';
import { withMarkingCodes } from '../marking/unitCodes';
import { MAX_RECEIPT_POSITIONS } from '../fiscal/receipt';
import { splitTenders } from './tenderSplit';
import { receiptCopyLines } from './refundDocuments';
import { PrinterChannel } from './printerChannel';
import { RegosChannel } from './regosChannel';
import { refuseUnresolvedRecovered } from './history/recoveredRefunds';
import { LifePayChannel } from './lifePayChannel';
import { tillFiscalDrive } from './overlap/tillDrive';
import { LifePayCloudStore } from './lifePayCloudStore';
import type { LifePayClient } from '../backends/lifepay/lifePayClient';
import { publicRefund, RefundOutcomes } from './refundOutcomes';
import type { RefundStore, StoredRefund } from './refundStore';
import type { SaleFinder } from './saleFinder';
import type { SettlementChannel } from './settlementChannel';
import { cancelRefusal } from './settlementDecisions';

/**
 * The refund saga: draft → confirmed → fiscalizing → fiscalized → synced, or failed / review.
 * The rule it keeps is written in ./README.md ("Exactly once"): a refund whose receipt may have reached
 * the ФН or VCR is never failed; it stays pending until the device says what happened.
 *
 * The saga prices and records a refund, then hands it to the settlement channel of its sale's source
 * (./settlementChannel.ts): the local printer with the outbox, or REGOS VCR. Pending refunds are
 * resumed by a recovery pass — at start, when the printer answers again, on a timer, and when the
 * cashier confirms the same refund again ("Повторить").
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
  cashierInn?: () => string | undefined;
  regosVatMode: () => RegosVatMode;
  /** Store setting (main/marking/README.md): a marked unit may go back with the code its sale recorded. */
  takeMarkingCodesFromSale?: () => boolean;
  log: Logger;
  progress: (refundId: string, state: RefundState, message: string, text?: MainText) => void;
  /** Recovery settled a refund with nobody watching: shown to the cashier once. */
  recovered?: (refund: RecoveredRefund) => void;
  /**
   * A receipt of this refund id that the ФН holds although the database lost the refund (rebuilt from
   * the ФН and LIFE POS, main/refunds/history): the same refund confirmed again must not print twice.
   */
  printedBeforeLoss?: (refundId: string) => { number: number } | undefined;
  /** LIFE PAY's cloud register (issue 22): LIFE PAY sales are refunded there while it answers. */
  lifepay?: () => LifePayClient | null;
  lifepayOnline?: () => Connectivity;
}

export interface ConfirmInput {
  refundId: string;
  sale: SaleRef;
  lines: RefundLineRequest[];
  cardRrns: Record<string, string>;
}

const CANCELLED = 'Возврат отменён кассиром: чек не печатался, деньги не выдавались. Позиции снова можно вернуть.';

export class RefundSaga {
  /** Confirms running in this process by refund id: a double Enter joins the first instead of racing it. */
  private readonly confirming = new Map<string, Promise<Refund>>();
  /** Recovery passes run one after another, each reading the store afresh (no pass acts on a stale row). */
  private recovery: Promise<void> = Promise.resolve();
  private readonly outcomes: RefundOutcomes;
  private readonly printerChannel: PrinterChannel;
  private readonly regosChannel: RegosChannel;
  private readonly lifePayChannel: LifePayChannel;

  constructor(private readonly d: RefundSagaDeps) {
    this.outcomes = new RefundOutcomes({ store: d.store, log: d.log, progress: d.progress, recovered: d.recovered ?? (() => undefined) });
    this.printerChannel = new PrinterChannel({ db: d.db, store: d.store, outbox: d.outbox, finder: d.finder, printer: d.printer, cashierName: d.cashierName, cashierInn: d.cashierInn, log: d.log, outcomes: this.outcomes, elsewhere: (id) => this.lifePayChannel.owns(id), fiscalDrive: () => tillFiscalDrive(d.db) });
    this.regosChannel = new RegosChannel({ store: d.store, finder: d.finder, regos: d.regos, regosReachable: d.regosReachable, cashierName: d.cashierName, regosVatMode: d.regosVatMode, log: d.log, outcomes: this.outcomes });
    this.lifePayChannel = new LifePayChannel({
      db: d.db, store: d.store, cloud: new LifePayCloudStore(d.db), finder: d.finder, lifepay: d.lifepay ?? (() => null),
      online: d.lifepayOnline ?? (() => 'offline'), log: d.log, outcomes: this.outcomes, fallback: this.printerChannel,
    });
  }

  async preview(saleRef: SaleRef, lines: RefundLineRequest[]): Promise<RefundPreview> {
    const sale = await this.d.finder.get(saleRef);
    const { refundLines, tenders, total } = this.price(sale, lines);
    const notices: Notice[] = [...(sale.recovered?.notices ?? [])];
    const note = (text: string): void => void notices.push({ text });
    if (sale.remainderFromLocalOnly) note('Нет связи с сервером: остаток к возврату посчитан по данным этой кассы.');
    if (sale.ref.source === 'lifepos' && this.d.lifeposOnline() !== 'online') note('LIFE POS недоступен: возврат будет отправлен в LIFE POS автоматически, когда связь восстановится.');
    // Where each part of the money goes (all to the card, or a mixed split and its rule) is the summary screen's to say, in the cashier's language.
    if (sale.ref.source === 'regos') note('Чек возврата напечатает REGOS VCR.');
    if (sale.ref.source === 'lifepay') note(this.lifePayChannel.wanted()
      ? 'Чек возврата фискализирует облачная касса LIFE PAY: возврат увидят все кассы.'
      : 'Облачная касса LIFE PAY недоступна: чек напечатает принтер этой кассы, и этот возврат будет виден только на ней.');
    const receipts = this.channelFor(sale.ref.source).planReceipts(refundLines, tenders).length;
    if (receipts > 1) {
      notices.push({
        text: `Возврат напечатается ${receipts} чеками подряд (в одном чеке не больше ${MAX_RECEIPT_POSITIONS} позиций): это один возврат, деньги выдайте после последнего чека.`,
        coded: { code: 'preview.severalReceipts', params: { count: receipts, max: MAX_RECEIPT_POSITIONS } },
      });
    }
    return { sale: sale.ref, currency: sale.currency, lines: refundLines, tenders, totalMinor: total, notices };
  }

  /**
   * Answers with the refund in its real state (pending states included); throws only when nothing was
   * recorded. The same refund id again resumes a pending refund instead of answering the stored row.
   */
  confirm(input: ConfirmInput): Promise<Refund> {
    const running = this.confirming.get(input.refundId);
    if (running) return running;
    const started = this.confirmOnce(input).finally(() => this.confirming.delete(input.refundId));
    this.confirming.set(input.refundId, started);
    return started;
  }

  private async confirmOnce(input: ConfirmInput): Promise<Refund> {
    const existing = this.d.store.get(input.refundId);
    if (existing) {
      if (isPendingRefund(existing.state)) await this.serially(() => this.resume(input.refundId, 'retry'));
      return publicRefund(this.d.store.require(input.refundId));
    }
    const lost = this.d.printedBeforeLoss?.(input.refundId);
    if (lost) {
      throw new AppError({
        code: 'refund.printed_before_loss',
        message: `Этот возврат уже пробит: его чек (ФД № ${lost.number}) есть в фискальном накопителе, а база кассы была потеряна и восстановлена. Повторно не пробивайте.`,
        retry: 'permanent',
        detail: input.refundId,
      });
    }
    const channel = input.sale.source === 'lifepay' && this.lifePayChannel.wanted() ? this.lifePayChannel : this.channelFor(input.sale.source);
    await channel.admit();
    // A receipt interrupted earlier is judged by the device before a new one is printed (a REGOS question
    // that may take VCR's timeout is left to the timer: it cannot stand in the ФН).
    if (channel === this.printerChannel) await this.recoverPending(this.printerChannel);
    const sale = await this.d.finder.get(input.sale);
    const recorded = this.record(input, sale, channel);
    refundLog(this.d.log, input.refundId).info('refund confirmed', {
      sale: sale.ref, totalMinor: recorded.totalMinor, lines: recorded.lines.length, receipts: recorded.receiptCount,
      tenders: recorded.tenders.map((t) => ({ kind: t.kind, amountMinor: t.amountMinor })),
    });
    if (recorded.state === 'confirmed') this.d.progress(input.refundId, 'confirmed', 'Возврат подтверждён');
    await channel.start(recorded, sale);
    return publicRefund(this.d.store.require(input.refundId));
  }

  get(id: string): Refund {
    return publicRefund(this.require(id));
  }

  list(states: RefundState[] | undefined, limit: number): Refund[] {
    const all = states ? states.flatMap((s) => this.d.store.inState(s)) : this.d.store.recent(limit);
    return all.slice(0, limit).map(publicRefund);
  }

  /** Whether a recovery pass has anything to do: the timer asks before it starts one. */
  hasPending(): boolean {
    return this.d.store.inState('confirmed').length + this.d.store.inState('fiscalizing').length > 0;
  }

  /**
   * The cashier gives up on a refund that is proven not printed ('confirmed': nothing reached the ФН, or
   * the device said so). Its lines are refundable again. A refund that may be in the ФН is refused.
   */
  cancel(id: string): Refund {
    const r = this.require(id);
    const refusal = cancelRefusal(r.state);
    if (refusal) throw new AppError({ code: 'refund.not_cancellable', message: refusal, retry: 'permanent', detail: `${id}: ${r.state}` });
    if (r.state === 'failed') return publicRefund(r);
    // One statement decides between this cancel and a print starting now: whichever moves it first wins.
    if (!this.d.store.transition(id, 'confirmed', 'failed', { reason: CANCELLED })) {
      throw new AppError({ code: 'refund.not_cancellable', message: 'Принтер как раз начал печатать этот чек: отменить уже нельзя. Дождитесь результата.', retry: 'permanent' });
    }
    refundLog(this.d.log, id).info('refund cancelled by the cashier');
    this.outcomes.announce(id, CANCELLED, null);
    return publicRefund(this.d.store.require(id));
  }

  /** Refunds recovery settled that the cashier has not been shown. */
  recovered(): RecoveredRefund[] {
    return this.d.store.unseenRecovered().flatMap((r) => (r.recovered ? [{ ...publicRefund(r), recovered: r.recovered }] : []));
  }

  acknowledgeRecovered(ids: readonly string[]): void {
    immediateTransaction(this.d.db, () => {
      for (const id of ids) this.d.store.markRecoveredSeen(id);
    });
  }

  /** A copy of the receipt's fiscal data as text lines; the ФН is not touched. */
  async reprint(id: string): Promise<void> {
    const r = this.d.store.require(id);
    if (!r.fiscal) throw new AppError({ code: 'refund.no_receipt', message: 'У этого возврата ещё нет фискального чека' });
    if (r.sale.source === 'regos') throw new AppError({ code: 'refund.regos_copy', message: 'Копию чека REGOS печатает REGOS VCR' });
    this.lifePayChannel.refuseCopy(id);
    const fiscal = r.fiscal;
    await this.d.printer.use((driver) => driver.printText(receiptCopyLines(r, fiscal)));
  }

  /**
   * At start-up, when the printer answers again and on a timer: every pending refund is judged by its
   * device or VCR, interrupted receipts ('fiscalizing') before new ones ('confirmed'), oldest first.
   */
  recoverPending(only?: SettlementChannel): Promise<void> {
    const mine = (r: StoredRefund) => !only || this.channelFor(r.sale.source, r.id) === only;
    return this.serially(async () => {
      for (const r of this.d.store.inState('fiscalizing').filter(mine)) await this.resume(r.id, 'recovery');
      for (const r of this.d.store.inState('confirmed').filter(mine)) await this.resume(r.id, 'recovery');
    });
  }

  /** Resolves when no recovery pass or resumed refund is running (the services wait for it on close). */
  idle(): Promise<void> {
    return this.recovery;
  }

  /** Called by the last LIFE POS job once the deal's status is changed. */
  markSynced(refundId: string): void {
    this.printerChannel.markSynced(refundId);
  }

  private async resume(id: string, by: 'retry' | 'recovery'): Promise<void> {
    // Read afresh: an earlier step of this pass may have settled it.
    const r = this.d.store.require(id);
    if (!isPendingRefund(r.state)) return;
    await this.channelFor(r.sale.source, r.id).resume(r, by);
  }

  private serially(pass: () => Promise<void>): Promise<void> {
    const run = this.recovery.then(pass);
    // The chain only orders passes; each caller gets its own pass's failure.
    this.recovery = run.catch(() => undefined);
    return run;
  }

  /** A recorded refund's channel: a LIFE PAY refund the cloud register owns stays with it (never printed too). */
  private channelFor(source: SaleRef['source'], refundId?: string): SettlementChannel {
    if (source === 'lifepay' && refundId !== undefined && this.lifePayChannel.owns(refundId)) return this.lifePayChannel;
    return source === 'regos' ? this.regosChannel : this.printerChannel;
  }

  private require(id: string): StoredRefund {
    const r = this.d.store.get(id);
    if (!r) throw new AppError({ code: 'refund.not_found', message: 'Возврат не найден', detail: id });
    return r;
  }

  /**
   * Prices and stores the refund in one IMMEDIATE transaction, against the sale as recorded plus every
   * refund committed so far: two tills or two tabs refunding the same sale at once cannot both take
   * the last piece, because the second one prices after the first one's commit.
   */
  private record(input: ConfirmInput, fetched: Sale, channel: SettlementChannel): StoredRefund {
    return immediateTransaction(this.d.db, () => {
      const sale = this.d.finder.current(fetched.ref) ?? fetched;
      const { refundLines, tenders, total } = this.price(sale, input.lines, input.cardRrns);
      this.requireRrns(tenders);
      const receipts = channel.planReceipts(refundLines, tenders);
      this.d.store.insertConfirmed({ id: input.refundId, sale: sale.ref, saleNumber: sale.number, currency: sale.currency, lines: refundLines, tenders, totalMinor: total, receipts });
      channel.recorded?.(input.refundId, sale);
      if (channel.recordAs === 'fiscalizing') this.d.store.setState(input.refundId, 'fiscalizing', { countPrintAttempt: true });
      return this.d.store.require(input.refundId);
    });
  }

  private price(sale: Sale, lines: RefundLineRequest[], rrns: Record<string, string> = {}) {
    refuseUnresolvedRecovered(sale);
    const refundLines = withMarkingCodes(priceRefundLines(sale.lines, lines), sale.lines, lines, {
      takeFromSale: this.d.takeMarkingCodesFromSale?.() ?? false,
      alreadyRefunded: (keys) => this.d.store.marking.refundedKeys(keys),
    });
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
}
