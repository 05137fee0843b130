import type { z } from 'zod';
import { isBackendError, parseRequest } from '../backendError';
import { HttpClient, type FetchLike } from '../httpClient';
import { SerialQueue } from '../serialQueue';
import { mayBeDuplicateCode, regosError, RegosDuplicateCodeError, RegosUnconfirmedRejection } from './regosErrors';
import { assertRegosReceipt, type RegosReceiptKind } from './regosRules';
import {
  RegosCreditResult, RegosEnvelope, RegosFiscalResult, RegosReceiptInfo, RegosReceiptParams, RegosRefundParams, RegosRpcError,
  RegosShiftInfo,
} from './schemas';

/** BACKENDS.md: VCR listens on 127.0.0.1:22298 (the IPv4 literal, not "localhost"). */
export const REGOS_DEFAULT_URL = 'http://127.0.0.1:22298';

export interface RegosClientOptions {
  baseUrl: string;
  /** A user with the Cashier role in VCR. */
  login: string;
  password: string;
  timeoutMs: number;
  fetch?: FetchLike;
}

interface RpcOptions {
  /** True when sending it twice cannot register two documents. */
  idempotent: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * REGOS VCR JSON-RPC 2.0 client. Requests go one at a time (VCR wants the next request only after the
 * previous answer). Refunds are never queued by the app: the caller checks connectivity first, and
 * after an unknown outcome asks getInfo(code) before sending again.
 */
export class RegosClient {
  private readonly http: HttpClient;
  private readonly queue = new SerialQueue();
  private readonly auth: string;
  private nextId = 1;

  constructor(opts: RegosClientOptions) {
    // BACKENDS.md: auth = Base64("login:password") of a Cashier user.
    this.auth = Buffer.from(`${opts.login}:${opts.password}`, 'utf8').toString('base64');
    this.http = new HttpClient({
      backend: 'regos',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      fetch: opts.fetch,
      secrets: () => [this.auth, opts.password],
    });
  }

  /** Receipt.Refund (seed 002): online only; `code` is the idempotency key. */
  refund(params: RegosRefundParams, signal?: AbortSignal): Promise<RegosFiscalResult> {
    return this.receipt('refund', 'Receipt.Refund', RegosRefundParams, params, RegosFiscalResult, signal);
  }

  /** Receipt.Credit (seed 003): an instalment receipt, not fiscal, no payment-system tenders. */
  credit(params: RegosReceiptParams, signal?: AbortSignal): Promise<RegosCreditResult> {
    return this.receipt('credit', 'Receipt.Credit', RegosReceiptParams, params, RegosCreditResult, signal);
  }

  /** Receipt.Sale: used to make training data in the emulator and in tests. */
  sale(params: RegosReceiptParams, signal?: AbortSignal): Promise<RegosFiscalResult> {
    return this.receipt('sale', 'Receipt.Sale', RegosReceiptParams, params, RegosFiscalResult, signal);
  }

  /** Receipt.GetInfo by our code: the recovery question after an unknown outcome. Null = no such receipt. */
  async getInfo(code: string, signal?: AbortSignal): Promise<RegosReceiptInfo | null> {
    const result = await this.call('Receipt.GetInfo', { code }, { idempotent: true, signal });
    return result === null ? null : this.parseResult('Receipt.GetInfo', RegosReceiptInfo, result, true);
  }

  /**
   * Receipt.GetInfo by what the customer's receipt shows: its QR code URL (what a scanner reads) or its
   * receipt number in the fiscal module, or by VCR's own id. docs.regos.uz documents these three inputs
   * ("одно из них должно быть заполнено") and a ReceiptInfo answer of fiscal data only, null when not found.
   */
  async receiptInfo(by: { QRCodeURL: string } | { ReceiptNo: string } | { Id: string }, signal?: AbortSignal): Promise<RegosReceiptInfo | null> {
    const result = await this.call('Receipt.GetInfo', by, { idempotent: true, signal });
    return result === null ? null : this.parseResult('Receipt.GetInfo', RegosReceiptInfo, result, true);
  }

  /** Receipt.FullRefund: refunds a whole sale by its QR code URL. */
  async fullRefund(qrCodeUrl: string, code: string, signal?: AbortSignal): Promise<RegosFiscalResult> {
    const result = await this.call('Receipt.FullRefund', { QRCodeURL: qrCodeUrl, code }, { idempotent: false, signal });
    return this.parseResult('Receipt.FullRefund', RegosFiscalResult, result, false);
  }

  async shiftInfo(signal?: AbortSignal): Promise<RegosShiftInfo> {
    return this.parseResult('ZReport.GetInfo', RegosShiftInfo, await this.call('ZReport.GetInfo', {}, { idempotent: true, signal }), true);
  }

  async openShift(signal?: AbortSignal): Promise<RegosShiftInfo> {
    return this.parseResult('ZReport.Open', RegosShiftInfo, await this.call('ZReport.Open', {}, { idempotent: false, signal }), false);
  }

  async closeShift(signal?: AbortSignal): Promise<RegosShiftInfo> {
    return this.parseResult('ZReport.Close', RegosShiftInfo, await this.call('ZReport.Close', {}, { idempotent: false, signal }), false);
  }

  /** Connectivity probe: the cheapest read VCR has. */
  async probe(signal: AbortSignal, timeoutMs: number): Promise<void> {
    await this.call('ZReport.GetInfo', {}, { idempotent: true, signal, timeoutMs });
  }

  private async receipt<P extends RegosReceiptParams, R>(
    kind: RegosReceiptKind, method: string, schema: z.ZodType<P>, params: P, resultSchema: z.ZodType<R, unknown>, signal?: AbortSignal,
  ): Promise<R> {
    const valid = parseRequest('regos', method, schema, params);
    assertRegosReceipt(kind, valid);
    let result: unknown;
    try {
      result = await this.call(method, valid, { idempotent: false, signal });
    } catch (e) {
      throw await this.explainRejection(e, valid.code, signal);
    }
    return this.parseResult(method, resultSchema, result, false);
  }

  /**
   * The seeds: a receipt whose code is already in VCR's base is rejected. When a rejection could be that,
   * ask Receipt.GetInfo: if the code exists, the earlier attempt registered it.
   */
  private async explainRejection(e: unknown, code: string, signal?: AbortSignal): Promise<unknown> {
    if (!isBackendError(e) || e.failure !== 'rejected' || e.serviceCode === undefined || !mayBeDuplicateCode(e.serviceCode)) return e;
    let existing: RegosReceiptInfo | null;
    try {
      existing = await this.getInfo(code, signal);
    } catch (lookupError) {
      // The rejection may be VCR refusing a code an earlier attempt registered: without GetInfo's answer
      // that is unknown, and a refund whose receipt may be in VCR must wait, not fail (main/refunds/README.md).
      return new RegosUnconfirmedRejection(code, e, lookupError);
    }
    return existing === null ? e : new RegosDuplicateCodeError(code, existing, e);
  }

  private call(method: string, params: unknown, opts: RpcOptions): Promise<unknown> {
    return this.queue.run(async () => {
      const id = this.nextId++;
      const answer = await this.http.request({
        method: 'POST',
        path: '',
        operation: method,
        schema: RegosEnvelope,
        body: { id, jsonrpc: '2.0', method, params, auth: this.auth },
        idempotent: opts.idempotent,
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
      });
      if (String(answer.id) !== String(id)) {
        throw this.http.badResponse(method, opts.idempotent, `answer id ${String(answer.id)} for request id ${id}`);
      }
      if (answer.ok) return answer.result;
      const err = RegosRpcError.safeParse(answer.result);
      if (!err.success) {
        throw this.http.badResponse(method, opts.idempotent, `ok=false without {error, description}: ${this.http.clean(JSON.stringify(answer.result) ?? '')}`);
      }
      throw regosError(err.data.error, this.http.clean(err.data.description), method);
    });
  }

  private parseResult<R>(method: string, schema: z.ZodType<R, unknown>, result: unknown, idempotent: boolean): R {
    const parsed = schema.safeParse(result);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw this.http.badResponse(method, idempotent, `result schema mismatch (${issues}): ${this.http.clean(JSON.stringify(result) ?? '')}`);
  }
}
