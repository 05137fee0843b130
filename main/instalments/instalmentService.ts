import { AppError, isAppError } from '../appError';
import type { Logger } from '../log/logger';
import type { RegosClient } from '../backends/regos/regosClient';
import { RegosDuplicateCodeError } from '../backends/regos/regosErrors';
import type { RegosVatMode } from '../backends/regos/regosUnits';
import type { RegosReceiptParams } from '../backends/regos/schemas';
import { askVcrByCode, regosAfterLookup, regosAfterSendError, type VcrAsker } from '../backends/regos/vcrExactlyOnce';
import type { Connectivity, CreditReceiptCopy, InstalmentPayInput, InstalmentPayment, InstalmentSale, Sale, SaleRef } from '../../preload/contract';
import { assertInstalmentSale, creditReceiptParams } from './creditReceipt';
import type { InstalmentStore } from './instalmentStore';
import { creditCopyLines } from './creditReceiptCopy';
import { saidError } from '../saidError';

export interface InstalmentDeps {
  store: InstalmentStore;
  /** The production sale lookup (main/refunds/saleFinder.ts), through its public calls only. */
  findSale: (query: string) => Promise<Sale>;
  getSale: (ref: SaleRef) => Promise<Sale>;
  regos: () => RegosClient | null;
  /** A live answer from REGOS now (a real request), not a remembered state. */
  regosReachable: () => Promise<Connectivity>;
  cashierName: () => string;
  regosVatMode: () => RegosVatMode;
  /** Non-fiscal text lines on this till's printer (FiscalDevice.printText over PrinterConnection). */
  printText: (lines: string[]) => Promise<void>;
  log: Logger;
}

export const INSTALMENT_OFFLINE = 'REGOS VCR недоступен: оплату по рассрочке сейчас принять нельзя, ничего не записано. Деньги не принимайте; проверьте связь с VCR и повторите.';
export const INSTALMENT_WAITS =
  'REGOS VCR не ответил, зарегистрирован ли кредитный чек. Программа спрашивает VCR сама каждые несколько секунд и покажет ответ (Enter — спросить сейчас). Не принимайте эту оплату заново.';
const NOT_NOW = 'REGOS VCR сейчас не смог зарегистрировать кредитный чек, оплата не оформлена. Верните деньги покупателю или повторите через минуту.';
const NOT_REGISTERED = 'REGOS VCR ответил, что кредитный чек не зарегистрирован: оплата не оформлена. Верните деньги покупателю или примите оплату заново.';

/** One resend per attempt at most, and only after Receipt.GetInfo said "no such receipt". */
const RESENDS = 1;

/**
 * Instalment part-payments as REGOS credit receipts (seed 003), online only and exactly once by `code`
 * (main/instalments/README.md): nothing is stored unless VCR answered a live probe; the row is written
 * before the request goes; a lost answer is asked about with Receipt.GetInfo by code, on the cashier's
 * key and on a timer, and the request is sent again only after a definite "not registered" with the
 * cashier at the counter (main/backends/regos/vcrExactlyOnce.ts). VCR's duplicate-code check is never
 * relied on: seed 003 says it can be switched off.
 */
export class InstalmentService {
  private readonly busy = new Map<string, Promise<void>>();
  private readonly paying = new Map<string, Promise<InstalmentPayment>>();

  constructor(private readonly d: InstalmentDeps) {}

  async find(query: string): Promise<InstalmentSale> {
    const sale = await this.d.findSale(query);
    assertInstalmentSale(sale);
    return this.saleView(sale);
  }

  async pay(input: InstalmentPayInput): Promise<InstalmentPayment> {
    // A second confirm of the same payment while the first is under way waits for it, then reads it.
    const earlier = this.paying.get(input.paymentId);
    if (earlier) {
      await earlier.catch(() => undefined);
      return this.pay(input);
    }
    const p = this.payOnce(input).finally(() => this.paying.delete(input.paymentId));
    this.paying.set(input.paymentId, p);
    return p;
  }

  private async payOnce(input: InstalmentPayInput): Promise<InstalmentPayment> {
    const stored = this.d.store.get(input.paymentId);
    if (stored) {
      if (stored.view.sale.source !== input.sale.source || stored.view.sale.id !== input.sale.id || stored.view.amountMinor !== input.amountMinor) {
        throw new AppError({ code: 'instalment.id_reused', message: 'Этот номер оплаты уже занят другой оплатой. Начните оплату заново.', retry: 'permanent', detail: input.paymentId });
      }
      // The same payment confirmed again ("Повторить" or a double Enter): ask VCR, never send blindly.
      if (stored.view.state === 'sending') await this.run(stored.view.id, () => this.lookup(stored.view.id, stored.params, 'retry', RESENDS));
      return this.view(input.paymentId);
    }
    const client = this.d.regos();
    if (!client || (await this.d.regosReachable()) !== 'online') {
      // Seed 003 names no offline mode; like refunds through VCR, nothing is stored and nothing queued.
      throw new AppError({ code: 'regos.offline', message: INSTALMENT_OFFLINE, retry: 'transient' });
    }
    const sale = await this.d.getSale(input.sale);
    const params = creditReceiptParams({
      code: input.paymentId, sale, amountMinor: input.amountMinor, tenders: input.tenders, phone: input.phone,
      cashier: this.d.cashierName(), vatMode: this.d.regosVatMode(),
    });
    this.d.store.insert({ id: input.paymentId, sale: sale.ref, saleNumber: sale.number, amountMinor: input.amountMinor, tenders: input.tenders, phone: input.phone, params });
    this.d.log.info('sending REGOS Receipt.Credit', { code: input.paymentId, amountMinor: input.amountMinor });
    await this.run(input.paymentId, () => this.send(input.paymentId, params, 'counter', RESENDS));
    return this.view(input.paymentId);
  }

  get(id: string): InstalmentPayment {
    return this.view(id);
  }

  list(limit: number): InstalmentPayment[] {
    return this.d.store.recent(limit).map((s) => s.view);
  }

  hasPending(): boolean {
    return this.d.store.sending().length > 0;
  }

  /** The timer's pass: every credit receipt whose outcome is unknown is asked about once. */
  async recheck(): Promise<void> {
    for (const s of this.d.store.sending()) await this.run(s.view.id, () => this.lookup(s.view.id, s.params, 'recovery', 0));
  }

  /** Resolves when nothing is being sent or asked (before the database closes). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy.values()]);
  }

  /**
   * A copy of a registered credit receipt (README "Reprint"): printed as text marked КОПИЯ on this till's
   * printer; a till without one (REGOS only) or a printer that fails gets the same lines on screen.
   */
  async reprint(id: string): Promise<CreditReceiptCopy> {
    const payment = this.view(id);
    if (payment.state !== 'registered') {
      throw new AppError({ code: 'instalment.not_registered', message: 'Этот кредитный чек не зарегистрирован в REGOS VCR: копии нет.', retry: 'permanent', detail: `${id} is ${payment.state}` });
    }
    const saleQrCodeUrl = await this.d.getSale(payment.sale).then((s) => s.fiscal?.qrCodeUrl, (e: unknown) => {
      if (!isAppError(e)) throw e;
      this.d.log.warn('instalment sale not read for the copy', { id, code: e.code });
      return undefined;
    });
    const lines = creditCopyLines(payment, saleQrCodeUrl);
    const shown = { lines, ...(saleQrCodeUrl ? { saleQrCodeUrl } : {}) };
    try {
      await this.d.printText(lines);
      return { printed: true, ...shown };
    } catch (e) {
      if (!isAppError(e)) throw e;
      // A REGOS-only till has no printer: the copy is the screen, and that is no problem.
      if (e.code === 'FISCAL_NOT_CONFIGURED') return { printed: false, ...shown };
      this.d.log.warn('credit receipt copy not printed', { id, code: e.code });
      return { printed: false, ...shown, printerProblem: `Копия не напечатана: ${e.message} Данные чека — на экране.` };
    }
  }

  private async saleView(sale: Sale): Promise<InstalmentSale> {
    const payments = this.d.store.forSale(sale.ref).map((s) => s.view);
    const registered = payments.filter((p) => p.state === 'registered');
    const phone = [...payments].reverse().find((p) => p.phone)?.phone;
    return { sale, payments, creditedMinor: registered.reduce((s, p) => s + p.amountMinor, 0), ...(phone ? { phone } : {}) };
  }

  private view(id: string): InstalmentPayment {
    const s = this.d.store.get(id);
    if (!s) throw new AppError({ code: 'instalment.not_found', message: 'Оплата по рассрочке не найдена на этой кассе.', retry: 'permanent', detail: id });
    return s.view;
  }

  /** One operation per receipt at a time: a second asker waits for the first and reads its result. */
  private async run(id: string, fn: () => Promise<void>): Promise<void> {
    const running = this.busy.get(id);
    if (running) return running;
    const p = fn().finally(() => this.busy.delete(id));
    this.busy.set(id, p);
    return p;
  }

  private async send(id: string, params: RegosReceiptParams, by: VcrAsker, resendsLeft: number): Promise<void> {
    const client = this.d.regos();
    if (!client) return this.d.store.markWaiting(id, INSTALMENT_WAITS);
    try {
      this.registered(id, (await client.credit(params)).id, by);
    } catch (e) {
      if (!isAppError(e)) throw e;
      const step = regosAfterSendError(e);
      this.d.log.warn('REGOS Receipt.Credit failed', { id, code: e.code, retry: e.retry, step });
      if (step === 'registered' && e instanceof RegosDuplicateCodeError) this.registered(id, e.existing.id, by);
      else if (step === 'lookup') await this.lookup(id, params, by, resendsLeft);
      else if (step === 'failRepeat') this.d.store.markFailed(id, NOT_NOW);
      else this.d.store.markFailed(id, `${e.message} Оплата не оформлена.`, { code: 'instalment.refused', params: { error: saidError(e) } });
    }
  }

  /** Receipt.GetInfo by our code decides; the stored request is sent again only when that is allowed. */
  private async lookup(id: string, params: RegosReceiptParams, by: VcrAsker, resendsLeft: number): Promise<void> {
    const client = this.d.regos();
    const answer = await askVcrByCode(client && ((code) => client.getInfo(code)), id, (e) =>
      this.d.log.warn('REGOS Receipt.GetInfo failed; the credit receipt waits', { id, code: e.code, by }));
    const step = regosAfterLookup(answer.found, by, resendsLeft);
    if (step === 'done' && answer.found === 'registered') this.registered(id, answer.info.id, by);
    else if (step === 'resend') await this.send(id, params, by, resendsLeft - 1);
    else if (step === 'fail') this.d.store.markFailed(id, NOT_REGISTERED);
    else this.d.store.markWaiting(id, INSTALMENT_WAITS);
  }

  private registered(id: string, vcrId: string, by: VcrAsker): void {
    this.d.store.markRegistered(id, vcrId);
    this.d.log.info('REGOS credit receipt registered', { id, vcrId, by });
  }
}
