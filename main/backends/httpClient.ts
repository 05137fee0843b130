import type { z } from 'zod';
import type { BackendName } from '../../preload/contract/domain';
import type { RetryClass } from '../appError';
import { BACKEND_TITLES, BackendError } from './backendError';
import { redactSecrets, truncateForDetail } from './redact';
import { parseRetryAfterMs } from './retryAfter';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpClientOptions {
  backend: BackendName;
  baseUrl: string;
  timeoutMs: number;
  /** Values that must never appear in errors or logs (tokens, API keys, Basic credentials). */
  secrets: () => readonly string[];
  headers?: () => Record<string, string>;
  fetch?: FetchLike;
  /**
   * A back end's own reading of an HTTP error body (LIFE PAY codes, LIFE POS messages). Returning
   * undefined falls back to the status-based rules below.
   */
  interpretHttpError?: (ctx: HttpErrorContext) => BackendError | undefined;
}

export interface HttpErrorContext {
  status: number;
  body: unknown;
  /** Already redacted and truncated. */
  rawBody: string;
  retryAfterMs: number | undefined;
  operation: string;
}

export interface HttpRequest<S extends z.ZodType> {
  method: HttpMethod;
  path: string;
  /** Short name of the call for codes and logs ("createReversalSession"). */
  operation: string;
  schema: S;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * True when repeating the request cannot duplicate an effect. Defaults to GET only. A timeout or a
   * dropped connection on a non-idempotent request is 'unknown-outcome': the server may have acted.
   */
  idempotent?: boolean;
}

/** undici reports these when no byte of the request reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * One fetch per call, bounded by a timeout, with the body parsed by the caller's zod schema. Every
 * failure becomes a BackendError with a retry class, so no caller parses strings or sees a raw
 * TypeError. 204 and empty bodies are parsed as `undefined`, so an endpoint that answers nothing
 * declares `z.undefined()`.
 */
export class HttpClient {
  private readonly opts: HttpClientOptions;
  private readonly fetchImpl: FetchLike;
  private readonly title: string;

  constructor(opts: HttpClientOptions) {
    this.opts = opts;
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.title = BACKEND_TITLES[opts.backend];
  }

  async request<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.infer<S>> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    const where = `${req.method} ${req.path}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...this.opts.headers?.(), ...req.headers };
    if (req.body !== undefined) headers['Content-Type'] ??= 'application/json';

    let status: number;
    let text: string;
    let retryAfterHeader: string | null;
    try {
      const res = await this.fetchImpl(this.url(req), {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
      });
      status = res.status;
      retryAfterHeader = res.headers.get('retry-after');
      text = await res.text();
    } catch (e) {
      throw this.transportError(e, req.operation, where, idempotent, timeout.aborted, timeoutMs);
    }

    const rawBody = this.clean(text);
    if (status >= 200 && status < 300) return this.parseSuccess(req, status, text, rawBody, idempotent, where);

    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const retryAfterMs = parseRetryAfterMs(retryAfterHeader);
    const ctx: HttpErrorContext = { status, body, rawBody, retryAfterMs, operation: req.operation };
    throw this.opts.interpretHttpError?.(ctx) ?? this.httpError(ctx, where, idempotent);
  }

  /** Redacts secrets from any text before it can reach an error or a log. */
  clean(text: string): string {
    return truncateForDetail(redactSecrets(text, this.opts.secrets()));
  }

  private url(req: HttpRequest<z.ZodType>): string {
    const base = this.opts.baseUrl.replace(/\/+$/, '');
    const url = new URL(base + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    return url.toString();
  }

  private parseSuccess<S extends z.ZodType>(
    req: HttpRequest<S>, status: number, text: string, rawBody: string, idempotent: boolean, where: string,
  ): z.infer<S> {
    let json: unknown;
    if (status === 204 || text.trim() === '') {
      json = undefined;
    } else {
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw this.badResponse(req.operation, idempotent, `${where} → HTTP ${status}: not JSON (${String(e)}): ${rawBody}`);
      }
    }
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw this.badResponse(req.operation, idempotent, `${where} → HTTP ${status}: schema mismatch (${issues}): ${rawBody}`);
    }
    return parsed.data;
  }

  /**
   * A 2xx answer we cannot read: for a read, retrying will not fix a contract mismatch; for a write,
   * the server said "done" in a form we cannot check, so the effect may exist.
   */
  badResponse(operation: string, idempotent: boolean, detail: string): BackendError {
    return new BackendError({
      backend: this.opts.backend,
      failure: 'bad_response',
      code: `${this.opts.backend}.bad_response`,
      message: idempotent
        ? `${this.title} прислал ответ, который программа не понимает. Сообщите в поддержку магазина.`
        : `${this.title} ответил непонятно: операция могла выполниться. Программа проверит это перед повтором.`,
      retry: idempotent ? 'permanent' : 'unknown-outcome',
      detail: `${operation}: ${this.clean(detail)}`,
    });
  }

  /**
   * "Программа повторит сама" only for writes: those run as outbox jobs, which do retry. A read is the
   * cashier's own search; nothing repeats it, so its message says when to repeat it.
   */
  private httpError(ctx: HttpErrorContext, where: string, idempotent: boolean): BackendError {
    const { status } = ctx;
    const serverMessage = this.clean(extractServerMessage(ctx.body) ?? '');
    const detail = `${ctx.operation}: ${where} → HTTP ${status}: ${ctx.rawBody}`;
    const base = { backend: this.opts.backend, failure: 'http' as const, httpStatus: status, detail };
    if (status === 429 || status === 408 || status >= 500) {
      return new BackendError({
        ...base,
        code: status === 429 ? `${this.opts.backend}.rate_limited` : `${this.opts.backend}.server_error`,
        message: `${status === 429 ? `${this.title} просит подождать: слишком много запросов.` : `${this.title} временно не отвечает (ошибка ${status}).`} ${
          idempotent ? repeatAfter(ctx.retryAfterMs) : 'Программа повторит сама.'}`,
        retry: 'transient',
        retryAfterMs: ctx.retryAfterMs,
      });
    }
    if (status === 401 || status === 403) {
      return new BackendError({
        ...base,
        code: `${this.opts.backend}.unauthorized`,
        message: `${this.title} не принял учётные данные (ошибка ${status}). Проверьте ключ или токен в настройках.`,
        retry: 'permanent',
      });
    }
    const suffix = serverMessage === '' ? '' : `: ${serverMessage}`;
    return new BackendError({
      ...base,
      code: status === 404 ? `${this.opts.backend}.not_found` : `${this.opts.backend}.rejected`,
      message: status === 404
        ? `${this.title}: не найдено (ошибка 404)${suffix}`
        : `${this.title} отклонил запрос (ошибка ${status})${suffix}`,
      retry: 'permanent',
    });
  }

  private transportError(
    e: unknown, operation: string, where: string, idempotent: boolean, timedOut: boolean, timeoutMs: number,
  ): BackendError {
    const backend = this.opts.backend;
    const unsure: RetryClass = idempotent ? 'transient' : 'unknown-outcome';
    const causeCode = errorCode(e);
    const technical = this.clean(`${operation}: ${where}: ${describeError(e)}`);
    if (timedOut) {
      return new BackendError({
        backend, failure: 'timeout', code: `${backend}.timeout`, retry: unsure, cause: e,
        message: idempotent
          ? `${this.title} не ответил за ${Math.round(timeoutMs / 100) / 10} с. Проверьте связь.`
          : `${this.title} не ответил вовремя: операция могла выполниться. Программа проверит это перед повтором.`,
        detail: technical,
      });
    }
    if (causeCode !== undefined && NOT_SENT_CODES.has(causeCode)) {
      return new BackendError({
        backend, failure: 'unreachable', code: `${backend}.unreachable`, retry: 'transient', cause: e,
        message: idempotent ? `Нет связи с ${this.title}. Проверьте интернет и повторите.` : `Нет связи с ${this.title}. Проверьте интернет; программа повторит сама.`,
        detail: technical,
      });
    }
    if (e instanceof Error && e.name === 'AbortError') {
      return new BackendError({
        backend, failure: 'dropped', code: `${backend}.aborted`, retry: unsure, cause: e,
        message: `Запрос к ${this.title} прерван.`,
        detail: technical,
      });
    }
    return new BackendError({
      backend, failure: 'dropped', code: `${backend}.connection_lost`, retry: unsure, cause: e,
      message: idempotent
        ? `Связь с ${this.title} оборвалась. Повторите.`
        : `Связь с ${this.title} оборвалась: операция могла выполниться. Программа проверит это перед повтором.`,
      detail: technical,
    });
  }
}

/** What a cashier is told for a read the server asked to wait for: its Retry-After, else a minute. */
function repeatAfter(retryAfterMs: number | undefined): string {
  return retryAfterMs === undefined ? 'Повторите через минуту.' : `Повторите через ${Math.max(1, Math.ceil(retryAfterMs / 1000))} с.`;
}

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 4; cur = cur.cause, depth++) {
    const code = (cur as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function describeError(e: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = e, depth = 0; cur !== undefined && depth < 4; depth++) {
    if (cur instanceof Error) {
      const code = (cur as Error & { code?: unknown }).code;
      parts.push(`${cur.name}: ${cur.message}${typeof code === 'string' ? ` (${code})` : ''}`);
      cur = cur.cause;
    } else {
      parts.push(String(cur));
      cur = undefined;
    }
  }
  return parts.join(' ← ');
}

/** Error bodies of all three services carry a human text under one of these names. */
export function extractServerMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const key of ['message', 'description', 'error_description', 'error', 'detail']) {
    const v = (body as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}
