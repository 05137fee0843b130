import { z } from 'zod';
import { parseRequest, type BackendError } from '../backendError';
import { decimalFromMilli, decimalFromMinor } from '../decimalUnits';
import { HttpClient, type FetchLike, type HttpErrorContext, type HttpRequest } from '../httpClient';
import { lifePayError } from './lifePayErrors';
import { ServerPause } from './serverPause';
import {
  CreateReceiptAnswer, ITEM_SIGN_CODE, LifePayEnvelopeError, LifePayRefundReceipt, PAYMENT_METHOD_CODE, TransactionsAnswer,
  type CreateReceiptRequest, type LifePayTransaction,
} from './schemas';

export interface LifePayClientOptions {
  /** https://api.life-pay.ru for the transactions API. */
  baseUrl: string;
  /** https://sapi.life-pay.ru for cloud printing; defaults to baseUrl (the emulator serves both). */
  cloudPrintBaseUrl?: string;
  /** The phone number registered in ЛК LIFE PAY. */
  login: string;
  /** From ЛК → Настройки → Разработчикам; never logged. */
  apiKey: string;
  timeoutMs: number;
  fetch?: FetchLike;
  now?: () => number;
}

export interface TransactionQuery {
  /** "YYYY-MM-DD": all transactions of that day. */
  date?: string;
  /** "YYYY-MM-DD HH:MM:SS" bounds. */
  from?: string;
  to?: string;
  /** The employee as LIFE PAY names them (phone or name). */
  employee?: string;
}

type LifePayAnswer<T> = { code: 0; message?: string | undefined; data: T } | { code: number; message: string; data?: never };

export class LifePayClient {
  private readonly api: HttpClient;
  private readonly print: HttpClient;
  private readonly pause: ServerPause;
  private readonly opts: LifePayClientOptions;

  constructor(opts: LifePayClientOptions) {
    this.opts = opts;
    const common = {
      backend: 'lifepay' as const,
      timeoutMs: opts.timeoutMs,
      fetch: opts.fetch,
      secrets: () => [opts.apiKey],
    };
    this.api = new HttpClient({ ...common, baseUrl: opts.baseUrl, interpretHttpError: (ctx) => this.httpError(ctx) });
    this.print = new HttpClient({ ...common, baseUrl: opts.cloudPrintBaseUrl ?? opts.baseUrl, interpretHttpError: (ctx) => this.httpError(ctx) });
    this.pause = new ServerPause(opts.now);
  }

  /** Seed 001: transactions of a date or of an employee, to find the sale being refunded. */
  async listTransactions(query: TransactionQuery, signal?: AbortSignal): Promise<LifePayTransaction[]> {
    return this.send(this.api, {
      method: 'GET',
      path: '/v1/transactions',
      operation: 'listTransactions',
      schema: TransactionsAnswer,
      query: { apikey: this.opts.apiKey, login: this.opts.login, date: query.date, from: query.from, to: query.to, employee: query.employee },
      signal,
    });
  }

  /**
   * Cloud fiscalization of a refund receipt (type "refund"). LIFE PAY documents no deduplication by
   * ext_id, so a timeout here is 'unknown-outcome' and must go to review, never to a blind resend.
   */
  async fiscalizeRefund(receipt: LifePayRefundReceipt, signal?: AbortSignal): Promise<{ uuid: string }> {
    const r = parseRequest('lifepay', 'fiscalizeRefund', LifePayRefundReceipt, receipt);
    const body: z.input<typeof CreateReceiptRequest> = {
      apikey: this.opts.apiKey,
      login: this.opts.login,
      test: r.test ? 1 : 0,
      type: 'refund',
      mode: r.mode,
      ext_id: r.extId,
      purchase: {
        products: r.products.map((p) => ({
          name: p.name,
          price: decimalFromMinor(p.priceMinor),
          quantity: decimalFromMilli(p.quantityMilli),
          tax: p.vat,
          type: PAYMENT_METHOD_CODE[p.paymentMethod],
          item_type: ITEM_SIGN_CODE[p.itemSign],
        })),
      },
      card_amount: decimalFromMinor(r.cardMinor),
      ...(r.prepaymentMinor > 0 ? { prepayment_amount: decimalFromMinor(r.prepaymentMinor) } : {}),
      ...(r.taxSystem ? { tax_system: r.taxSystem } : {}),
      ...(r.customerEmail ? { customer_email: r.customerEmail } : {}),
      ...(r.customerPhone ? { customer_phone: r.customerPhone } : {}),
      ...(r.targetSerial ? { target_serial: r.targetSerial } : {}),
    };
    return this.send(this.print, {
      method: 'POST', path: '/cloud-print/create-receipt', operation: 'fiscalizeRefund', schema: CreateReceiptAnswer, body, signal,
    });
  }

  /**
   * Connectivity probe without credentials, sent even during a 429 pause: any HTTP answer from the host
   * means the network path works.
   */
  async probe(signal: AbortSignal, timeoutMs: number): Promise<void> {
    await this.api.request({ method: 'GET', path: '/', operation: 'probe', schema: z.unknown(), signal, timeoutMs });
  }

  /** Nothing is sent while LIFE PAY's last 429 to this operation asks to wait; a 429 inside a 200 answer pauses too. */
  private async send<T>(http: HttpClient, req: HttpRequest<z.ZodType<LifePayAnswer<T>>>): Promise<T> {
    this.pause.check(req.operation);
    const answer = await http.request(req);
    if (answer.code !== 0 || answer.data === undefined) {
      if (answer.code === 429) this.pause.pauseFor(req.operation, undefined);
      throw lifePayError({
        serviceCode: answer.code, serverMessage: http.clean(answer.message ?? ''), operation: req.operation,
        detail: http.clean(`${req.method} ${req.path} → code ${answer.code}: ${answer.message ?? ''}`),
      });
    }
    return answer.data;
  }

  /** LIFE PAY puts its code in error bodies too; a bare 429 is seed 001's "too often", honoured with its Retry-After. */
  private httpError(ctx: HttpErrorContext): BackendError | undefined {
    const body = LifePayEnvelopeError.safeParse(ctx.body);
    const serviceCode = body.success ? body.data.code : ctx.status === 429 ? 429 : undefined;
    if (serviceCode === undefined) return undefined;
    if (serviceCode === 429) this.pause.pauseFor(ctx.operation, ctx.retryAfterMs);
    return lifePayError({
      serviceCode,
      serverMessage: body.success ? this.api.clean(body.data.message) : undefined,
      httpStatus: ctx.status,
      retryAfterMs: ctx.retryAfterMs,
      operation: ctx.operation,
      detail: `HTTP ${ctx.status}: ${ctx.rawBody}`,
    });
  }
}
