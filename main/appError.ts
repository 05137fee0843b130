/**
 * One error type crosses every boundary in main/: a stable code for logs and the store's IT person,
 * a Russian message the cashier can act on, and how a retry should treat it. The outbox worker decides
 * retries only from `retry`, so a back-end client or the fiscal driver classifies its own failures once.
 */
export type RetryClass =
  /** Try again later: network down, 5xx, 429, device busy. */
  | 'transient'
  /** Trying again cannot help: 4xx validation, bad credentials, a business rule. */
  | 'permanent'
  /** The request may or may not have taken effect (timeout after sending, dropped response). */
  | 'unknown-outcome';

export interface AppErrorInit {
  code: string;
  message: string;
  retry?: RetryClass;
  detail?: string;
  httpStatus?: number;
  retryAfterMs?: number;
  deviceCode?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly retry: RetryClass;
  readonly detail: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly deviceCode: number | undefined;

  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AppError';
    this.code = init.code;
    this.retry = init.retry ?? 'permanent';
    this.detail = init.detail;
    this.httpStatus = init.httpStatus;
    this.retryAfterMs = init.retryAfterMs;
    this.deviceCode = init.deviceCode;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
