import { AppError, isAppError } from '../appError';
import { isBackendError, type BackendError } from '../backends/backendError';
import type { LifePayClient } from '../backends/lifepay/lifePayClient';
import type { LifePayTransaction } from '../backends/lifepay/schemas';
import { immediateTransaction, type Database } from '../queue/database';
import { refundLog, type Logger } from '../log/logger';
import type { Connectivity, FiscalDocumentView, RefundLine, RefundTender, Sale } from '../../preload/contract';
import { cloudExtId, cloudRefundReceipt, findCloudRefund, type CloudObstacle } from './lifePayCloud';
import type { LifePayCloudStore } from './lifePayCloudStore';
import type { PlannedReceipt } from './receiptPlan';
import { saidError, type Reason, type RefundOutcomes } from './refundOutcomes';
import type { RefundStore, StoredRefund } from './refundStore';
import type { SaleFinder } from './saleFinder';
import { InFlight, type SettlementChannel } from './settlementChannel';
import type { Trigger } from './settlementDecisions';

/**
 * LIFE PAY sales refunded through LIFE PAY's cloud register (seed 001, "Удаленная фискализация"), so the
 * refund is a LIFE PAY transaction every till reads back (issue 22). Taken only while LIFE PAY answers
 * and its cloud print is not known to be off; otherwise, and whenever LIFE PAY proves it fiscalized
 * nothing (6080 "cloud print is not allowed", 6010, 3896, 3975, a refused request, nothing sent), the
 * same refund goes to the local printer (`fallback`), whose receipt only this till knows.
 *
 * Exactly once (./README.md): the refund is LIFE PAY's from the moment it is recorded (lifepay_cloud_refunds,
 * same transaction), so a resumed one is never printed locally as well. LIFE PAY documents no dedup by
 * ext_id (main/backends/README.md), so a request is never sent twice: a lost answer (or a kill after the
 * refund was recorded) is settled from the transactions list (our ext_id on a refund transaction → done);
 * a list that does not show it proves nothing (the cloud register may still be printing, or the kill came
 * before the request left) and the refund goes to review, never to a resend.
 */
export interface LifePayChannelDeps {
  db: Database;
  store: RefundStore;
  cloud: LifePayCloudStore;
  finder: SaleFinder;
  lifepay: () => LifePayClient | null;
  /** What the connectivity monitor last saw of LIFE PAY. */
  online: () => Connectivity;
  log: Logger;
  outcomes: RefundOutcomes;
  /** The local printer: where a refund LIFE PAY proved it did not fiscalize is printed instead. */
  fallback: SettlementChannel;
  now?: () => number;
}

/** Seed 001's 6080 is the tariff's answer; asked again after this long (support may switch it on). */
const CLOUD_OFF_MS = 60 * 60_000;

export const LIFEPAY_WAITS =
  'LIFE PAY не ответил, фискализирован ли чек возврата в облачной кассе. Программа спросит LIFE PAY сама, как только связь восстановится (Enter — спросить сейчас). Не оформляйте этот возврат заново и не выдавайте деньги до ответа.';

export const LIFEPAY_UNKNOWN =
  'LIFE PAY не подтвердил чек возврата, и в списке операций LIFE PAY его нет: чек мог быть фискализирован облачной кассой позже. Повторно не пробивайте. Старшему кассиру: проверьте операции и чеки в личном кабинете LIFE PAY; если чека нет — оформите возврат заново.';

const WAITS: Reason = { text: LIFEPAY_WAITS, coded: { code: 'lifepay.waits', params: {} } };
const UNKNOWN: Reason = { text: LIFEPAY_UNKNOWN, coded: { code: 'lifepay.unknown', params: {} } };

/** Why LIFE PAY's cloud did not take the refund: no client, a refund no cloud receipt can carry, or its refusal. */
type HandOverWhy = { kind: 'notConnected' } | { kind: CloudObstacle } | { kind: 'refused'; error: AppError };
const WHY_TEXT: Record<Exclude<HandOverWhy['kind'], 'refused'>, string> = {
  notConnected: 'LIFE PAY не подключён',
  noTenderField: 'в облачном чеке нет поля для такой оплаты',
  noVatRate: 'в облачном чеке LIFE PAY нет ставки НДС Узбекистана',
  noExactPrice: 'для весового товара нет цены, которая даёт сумму строки точно до копейки',
};

const handedOver = (why: HandOverWhy): Reason => ({
  text: `LIFE PAY не фискализировал чек (${why.kind === 'refused' ? why.error.message : WHY_TEXT[why.kind]}): чек возврата печатает принтер этой кассы.`,
  coded: { code: 'lifepay.handedOver', params: { why: why.kind === 'refused' ? { kind: 'refused', error: saidError(why.error) } : why } },
});

/** LIFE PAY said no, or nothing left this till: nothing was fiscalized in the cloud. */
function provenNotFiscalized(e: BackendError): boolean {
  if (e.failure === 'unreachable' || e.failure === 'rejected' || e.failure === 'invalid_request' || e.failure === 'throttled') return true;
  // A 4xx is a refusal; a 5xx or 408 after a write may have done its work.
  return e.failure === 'http' && e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus < 500 && e.httpStatus !== 408;
}

/** LIFE PAY's time format ("YYYY-MM-DD HH:MM:SS"); the day before the refund, so no time zone can hide it. */
const dayBefore = (iso: string): string => `${new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10)} 00:00:00`;

export class LifePayChannel implements SettlementChannel {
  readonly recordAs = 'fiscalizing';
  private readonly inFlight = new InFlight();
  private cloudOffUntil = 0;

  constructor(private readonly d: LifePayChannelDeps) {}

  /** A new LIFE PAY refund goes to the cloud only while LIFE PAY answers and its cloud print is not known to be off. */
  wanted(): boolean {
    return this.d.lifepay() !== null && this.d.online() === 'online' && (this.d.now ?? Date.now)() >= this.cloudOffUntil;
  }

  /** A copy of a cloud receipt is LIFE PAY's to give: the local printer has no document of it. */
  refuseCopy(refundId: string): void {
    if (!this.owns(refundId)) return;
    throw new AppError({ code: 'refund.cloud_copy', message: 'Чек этого возврата фискализировала облачная касса LIFE PAY: копию чека найдите в личном кабинете LIFE PAY.', retry: 'permanent' });
  }

  owns(refundId: string): boolean {
    return this.d.cloud.get(refundId) !== undefined;
  }

  planReceipts(lines: readonly RefundLine[], tenders: readonly RefundTender[]): PlannedReceipt[] {
    // The printer's plan: a refund LIFE PAY turns down is printed locally exactly as planned.
    return this.d.fallback.planReceipts(lines, tenders);
  }

  recorded(refundId: string, sale: Sale): void {
    this.d.cloud.add(refundId, cloudExtId(sale.ref.id, refundId));
  }

  admit(): Promise<void> {
    return Promise.resolve();
  }

  async start(r: StoredRefund, sale: Sale): Promise<void> {
    await this.inFlight.run(r.id, () => this.send(r, sale, 'counter'));
  }

  async resume(r: StoredRefund, by: Trigger): Promise<void> {
    await this.inFlight.run(r.id, async () => {
      const cloud = this.d.cloud.get(r.id);
      if (!cloud || r.state !== 'fiscalizing') return;
      await this.readBack(r.id, cloud.extId, by);
    });
  }

  private async send(r: StoredRefund, sale: Sale, by: Trigger): Promise<void> {
    const log = refundLog(this.d.log, r.id);
    const client = this.d.lifepay();
    if (!client) {
      await this.handOver(r, sale, { kind: 'notConnected' }, by);
      return;
    }
    const cloud = cloudRefundReceipt(r, sale.ref.id);
    if ('obstacle' in cloud) {
      await this.handOver(r, sale, { kind: cloud.obstacle }, by);
      return;
    }
    const { receipt } = cloud;
    log.info('sending the refund to LIFE PAY cloud fiscalization', { extId: receipt.extId, totalMinor: r.totalMinor, by });
    this.d.outcomes.announce(r.id, 'Облачная касса LIFE PAY фискализирует чек возврата…', null);
    let uuid: string;
    try {
      ({ uuid } = await client.fiscalizeRefund(receipt));
    } catch (e) {
      // Only what LIFE PAY's client says of the request is judged; anything else leaves the refund the cloud's.
      if (!isBackendError(e)) throw e;
      log.warn('LIFE PAY create-receipt failed', { code: e.code, retry: e.retry });
      if (provenNotFiscalized(e)) {
        if (e.serviceCode === 6080) this.cloudOffUntil = (this.d.now ?? Date.now)() + CLOUD_OFF_MS;
        await this.handOver(r, sale, { kind: 'refused', error: e }, by);
      } else {
        await this.readBack(r.id, receipt.extId, by);
      }
      return;
    }
    // LIFE PAY fiscalized it: a failure to record that here (a read-only disk) is no refusal of LIFE PAY's and
    // never a reason to print locally; the refund stays the cloud's and the recheck reads it back.
    this.done(r.id, uuid, undefined, by);
  }

  /** The answer was lost: LIFE PAY's list of operations says whether the refund is there. */
  private async readBack(id: string, extId: string, by: Trigger): Promise<void> {
    const client = this.d.lifepay();
    const r = this.d.store.require(id);
    let list: LifePayTransaction[];
    try {
      if (!client) throw new Error('LIFE PAY is not configured');
      list = await client.listTransactions({ from: dayBefore(r.createdAt) });
    } catch (e) {
      refundLog(this.d.log, id).warn('LIFE PAY transactions not read; the refund waits', { error: isAppError(e) ? e.code : String(e), by });
      if (this.d.store.get(id)?.reason !== LIFEPAY_WAITS) this.d.outcomes.wait(id, 'fiscalizing', WAITS);
      return;
    }
    const found = findCloudRefund(extId, list);
    if (found) this.done(id, found.uuid, found, by);
    else this.d.outcomes.review(id, `no refund transaction with ext_id ${extId} in LIFE PAY's list after a lost answer`, by, UNKNOWN);
  }

  /** LIFE PAY is both the register and the record: fiscalized in the cloud means settled. */
  private done(id: string, uuid: string, tx: LifePayTransaction | undefined, by: Trigger): void {
    const fiscal: FiscalDocumentView = {
      // Not a document of this till's ФН: number 0, so nothing here is taken for one (history rebuild, copies).
      number: 0,
      receiptNo: (tx?.number ?? uuid).slice(0, 64),
      fiscalSign: '',
      dateTime: tx ? tx.created.replace(' ', 'T') : new Date((this.d.now ?? Date.now)()).toISOString(),
    };
    immediateTransaction(this.d.db, () => {
      this.d.cloud.setUuid(id, uuid);
      this.d.store.setState(id, 'synced', { fiscal, reason: null, ...this.d.outcomes.recoveryPatch(id, by) });
    });
    refundLog(this.d.log, id).info('LIFE PAY cloud refund fiscalized', { uuid, by });
    this.d.outcomes.announce(id, 'Чек возврата фискализирован облачной кассой LIFE PAY: возврат виден на всех кассах.', by);
  }

  /** Proven not in the cloud: the same refund, the same lines, printed by this till's printer. */
  private async handOver(r: StoredRefund, sale: Sale, why: HandOverWhy, by: Trigger): Promise<void> {
    const moved = immediateTransaction(this.d.db, () => {
      if (!this.d.store.transition(r.id, 'fiscalizing', 'confirmed', { reason: null })) return false;
      this.d.cloud.remove(r.id);
      return true;
    });
    if (!moved) return;
    const said = handedOver(why);
    refundLog(this.d.log, r.id).warn('LIFE PAY cloud refused; printing locally', { why: said.text, by });
    this.d.outcomes.announce(r.id, said, null);
    const now = this.d.store.require(r.id);
    if (by === 'counter') await this.d.fallback.start(now, sale);
    else await this.d.fallback.resume(now, by);
  }
}
