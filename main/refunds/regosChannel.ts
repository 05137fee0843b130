import { AppError, isAppError } from '../appError';
import type { Logger } from '../log/logger';
import { refundLog } from '../log/logger';
import type { RegosClient } from '../backends/regos/regosClient';
import { RegosDuplicateCodeError } from '../backends/regos/regosErrors';
import type { RegosVatMode } from '../backends/regos/regosUnits';
import type { RegosFiscalResult, RegosReceiptInfo } from '../backends/regos/schemas';
import type { Connectivity, FiscalDocumentView, RefundLine, RefundTender, Sale } from '../../preload/contract';
import { regosPositionsOf, regosRefundParams } from './refundDocuments';
import { REGOS_MAX_POSITIONS } from '../backends/regos/regosRules';
import { saidError, type Reason, type RefundOutcomes } from './refundOutcomes';
import { planReceipts, type PlannedReceipt } from './receiptPlan';
import type { RefundStore, StoredRefund } from './refundStore';
import type { SaleFinder } from './saleFinder';
import { InFlight, type SettlementChannel } from './settlementChannel';
import { askVcrByCode, regosAfterLookup, regosAfterSendError } from '../backends/regos/vcrExactlyOnce';
import type { Trigger } from './settlementDecisions';

/**
 * REGOS VCR: online only (seed 002), VCR prints and is the record, our refund id is the receipt's
 * `code`. The outcome of a Receipt.Refund whose answer was lost is asked with Receipt.GetInfo by that
 * code; it is sent again only when GetInfo said definitely "no such receipt" — never relying on VCR's
 * duplicate-code check, which seed 002 says can be switched off ("Проверка может быть отключена…").
 */
export interface RegosChannelDeps {
  store: RefundStore;
  finder: SaleFinder;
  regos: () => RegosClient | null;
  /** A live answer from REGOS now (a real request), not a remembered state. */
  regosReachable: () => Promise<Connectivity>;
  cashierName: () => string;
  regosVatMode: () => RegosVatMode;
  log: Logger;
  outcomes: RefundOutcomes;
}

const REGOS_NOT_NOW = 'REGOS VCR сейчас не смог зарегистрировать чек возврата, возврат не оформлен. Повторите его через минуту.';

export const REGOS_WAITS =
  'REGOS VCR не ответил, зарегистрирован ли чек возврата. Программа спрашивает VCR сама каждые несколько секунд и покажет ответ (Enter — спросить сейчас). Не оформляйте этот возврат заново и не выдавайте деньги до ответа.';

const REGOS_NOT_REGISTERED = 'REGOS VCR ответил, что чек возврата не зарегистрирован: возврат не оформлен, деньги по нему не выдавайте. Оформите возврат заново.';

const NOT_NOW: Reason = { text: REGOS_NOT_NOW, coded: { code: 'regos.notNow', params: {} } };
const WAITS: Reason = { text: REGOS_WAITS, coded: { code: 'regos.waits', params: {} } };
const NOT_REGISTERED: Reason = { text: REGOS_NOT_REGISTERED, coded: { code: 'regos.notRegistered', params: {} } };
/** Refused by VCR or before sending: the error's own words (VCR's text stays as VCR said it), said by its code. */
const refused = (e: AppError): Reason => ({ text: e.message, coded: { code: 'refund.refused', params: { error: saidError(e) } } });

/** BACKENDS.md "Limits: at most 150 positions" (seed 002 leaves its «Ограничения» section empty). */
function refuseOverRegosLimit(lines: readonly RefundLine[]): void {
  const positions = lines.reduce((n, l) => n + regosPositionsOf(l), 0);
  if (positions <= REGOS_MAX_POSITIONS) return;
  throw new AppError({
    code: 'refund.regos_too_many_positions',
    message: `В чеке возврата получилось бы ${positions} позиций (маркированный товар идёт в REGOS VCR отдельной позицией на каждую штуку), а REGOS VCR принимает в одном чеке не более ${REGOS_MAX_POSITIONS}. Возврат не оформлен, ничего не отправлено. Оформите возврат частями: сначала товары не более чем на ${REGOS_MAX_POSITIONS} позиций, затем остальные следующим возвратом.`,
    retry: 'permanent',
    detail: `${positions} positions > ${REGOS_MAX_POSITIONS}`,
  });
}

/** One resend per attempt at most, and only after GetInfo said "no such receipt". */
const RESENDS = 1;

export class RegosChannel implements SettlementChannel {
  readonly recordAs = 'fiscalizing';

  /**
   * VCR prints one receipt per refund (our refund id is its `code`), so a refund VCR would refuse for its
   * size is refused here, before it is recorded or sent: a marked line counts one position per piece.
   */
  planReceipts(lines: readonly RefundLine[], tenders: readonly RefundTender[]): PlannedReceipt[] {
    refuseOverRegosLimit(lines);
    return planReceipts(lines, tenders, () => 1, Number.POSITIVE_INFINITY);
  }
  /** Refunds this process is working on right now (printing, reconciling, asking VCR). */
  private readonly inFlight = new InFlight();

  constructor(private readonly d: RegosChannelDeps) {}

  async admit(): Promise<void> {
    const reachable = this.d.regos() ? await this.d.regosReachable() : 'offline';
    if (reachable !== 'online') {
      // Seed 002: a refund receipt is registered online only. Nothing is stored, nothing queued.
      throw new AppError({ code: 'regos.offline', message: 'REGOS VCR недоступен: возврат по этому чеку сейчас невозможен. Проверьте связь с VCR и повторите.', retry: 'permanent' });
    }
  }

  async start(r: StoredRefund, sale: Sale): Promise<void> {
    await this.inFlight.run(r.id, async () => {
      const params = this.params(r, sale, 'counter');
      if (!params) return;
      refundLog(this.d.log, r.id).info('sending REGOS Receipt.Refund', { code: r.id, totalMinor: r.totalMinor });
      this.d.outcomes.announce(r.id, 'REGOS VCR печатает чек возврата…', null);
      await this.send(r.id, params, 'counter', RESENDS);
    });
  }

  async resume(r: StoredRefund, by: Trigger): Promise<void> {
    await this.inFlight.run(r.id, async () => {
      if (r.state !== 'fiscalizing') return;
      await this.lookup(r.id, by, RESENDS, async () => this.params(r, await this.d.finder.get(r.sale), by));
    });
  }


  private params(r: StoredRefund, sale: Sale, by: Trigger): ReturnType<typeof regosRefundParams> | null {
    try {
      return regosRefundParams(r, sale, this.d.cashierName(), this.d.regosVatMode());
    } catch (e) {
      if (!isAppError(e)) throw e;
      // Refused before anything was sent: nothing registered.
      this.d.outcomes.fail(r.id, refused(e), by);
      return null;
    }
  }

  private async send(id: string, params: ReturnType<typeof regosRefundParams>, by: Trigger, resendsLeft: number): Promise<void> {
    const client = this.d.regos();
    if (!client) {
      this.d.outcomes.wait(id, 'fiscalizing', WAITS);
      return;
    }
    try {
      this.done(id, await client.refund(params), by);
    } catch (e) {
      if (!isAppError(e)) throw e;
      const step = regosAfterSendError(e);
      refundLog(this.d.log, id).warn('REGOS Receipt.Refund failed', { code: e.code, retry: e.retry, step });
      if (step === 'registered' && e instanceof RegosDuplicateCodeError) this.done(id, e.existing, by);
      else if (step === 'lookup') await this.lookup(id, by, resendsLeft, () => Promise.resolve(params));
      else if (step === 'failRepeat') this.d.outcomes.fail(id, NOT_NOW, by);
      else this.d.outcomes.fail(id, refused(e), by);
    }
  }

  /** Receipt.GetInfo by our code decides; the params are built only if a resend is allowed. */
  private async lookup(id: string, by: Trigger, resendsLeft: number, params: () => Promise<ReturnType<typeof regosRefundParams> | null>): Promise<void> {
    const client = this.d.regos();
    const answer = await askVcrByCode(client && ((code) => client.getInfo(code)), id, (e) =>
      refundLog(this.d.log, id).warn('REGOS Receipt.GetInfo failed; the refund waits', { code: e.code, by }));
    const step = regosAfterLookup(answer.found, by, resendsLeft);
    if (step === 'done' && answer.found === 'registered') {
      this.done(id, answer.info, by);
    } else if (step === 'resend') {
      const p = await params();
      if (p) await this.send(id, p, by, resendsLeft - 1);
    } else if (step === 'fail') {
      this.d.outcomes.fail(id, NOT_REGISTERED, by);
    } else if (this.d.store.get(id)?.reason !== REGOS_WAITS) {
      this.d.outcomes.wait(id, 'fiscalizing', WAITS);
    }
  }

  private done(id: string, result: RegosFiscalResult | RegosReceiptInfo, by: Trigger): void {
    const fiscal: FiscalDocumentView = {
      number: /^\d{1,15}$/.test(result.ReceiptNo ?? '') ? Number(result.ReceiptNo) : 0,
      ...(result.ReceiptNo ? { receiptNo: result.ReceiptNo } : {}),
      fiscalSign: result.FiscalSign ?? '',
      dateTime: (result.DateTime ?? '').replace(' ', 'T'),
      ...(result.QRCodeURL ? { qrCodeUrl: result.QRCodeURL } : {}),
    };
    // REGOS is both the printer and the record: registered means synced.
    this.d.store.setState(id, 'synced', { fiscal, reason: null, ...this.d.outcomes.recoveryPatch(id, by) });
    refundLog(this.d.log, id).info('REGOS refund registered', { receiptNo: result.ReceiptNo, fiscalSign: result.FiscalSign, by });
    const receiptNo = result.ReceiptNo ?? '';
    this.d.outcomes.announce(id, { text: `REGOS зарегистрировал чек № ${receiptNo}`, coded: { code: 'regos.registered', params: { receiptNo } } }, by);
  }
}
