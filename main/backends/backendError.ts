import type { z } from 'zod';
import { AppError, type AppErrorInit } from '../appError';
import type { BackendName } from '../../preload/contract/domain';

/**
 * How a back-end call failed, as far as the transport can tell. The connectivity monitor reads it
 * (unreachable/timeout mean offline, 5xx/429 mean degraded); the outbox reads `retry` only.
 */
export type BackendFailure =
  /** Nothing was sent: connection refused, host not found. */
  | 'unreachable'
  /** No answer within the time limit; the server may have acted on the request. */
  | 'timeout'
  /** The connection broke after the request was written. */
  | 'dropped'
  /** The server answered with an HTTP error status. */
  | 'http'
  /** The server answered 2xx but the body is not what the contract says. */
  | 'bad_response'
  /** The service answered and refused on business grounds (LIFE PAY code, REGOS ok=false). */
  | 'rejected'
  /** Our own pre-send check refused the request; nothing was sent. */
  | 'invalid_request'
  /** Our own client-side rate limit held the request back; nothing was sent. */
  | 'throttled';

export interface BackendErrorInit extends AppErrorInit {
  backend: BackendName;
  failure: BackendFailure;
  /** The service's own error number (LIFE PAY `code`, REGOS `result.error`). */
  serviceCode?: number;
  /** The service's own words about it (REGOS `result.description`), quoted as they are in any UI language. */
  serviceText?: string;
}

export class BackendError extends AppError {
  readonly backend: BackendName;
  readonly failure: BackendFailure;
  readonly serviceCode: number | undefined;
  readonly serviceText: string | undefined;

  constructor(init: BackendErrorInit) {
    super(init);
    this.name = 'BackendError';
    this.backend = init.backend;
    this.failure = init.failure;
    this.serviceCode = init.serviceCode;
    this.serviceText = init.serviceText;
  }
}

export function isBackendError(e: unknown): e is BackendError {
  return e instanceof BackendError;
}

export const BACKEND_TITLES: Record<BackendName, string> = {
  lifepos: 'LIFE POS',
  lifepay: 'LIFE PAY',
  regos: 'REGOS VCR',
};

/**
 * Our own request failed its schema before anything was sent: a programming or data error the cashier
 * cannot fix by retrying, reported like every other back-end failure instead of as a raw ZodError.
 */
export function parseRequest<S extends z.ZodType>(backend: BackendName, operation: string, schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new BackendError({
    backend,
    failure: 'invalid_request',
    code: `${backend}.invalid_request`,
    retry: 'permanent',
    message: `Запрос к ${BACKEND_TITLES[backend]} не отправлен: в данных ошибка. Сообщите в поддержку магазина.`,
    detail: `${operation}: ${issues}`,
  });
}
