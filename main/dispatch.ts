import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { calls, isCallName, type CallName, type CallResult, type ErrorPayload, type Handlers } from '../preload/contract';
import { isAppError } from './appError';

/**
 * The single place where a call from outside main/ is checked and run. The Electron IPC handlers and
 * the HTTP bridge both go through it, so validation, error shape and logging cannot drift apart.
 */
export type DispatchOutcome =
  | { kind: 'unknown-call'; error: ErrorPayload }
  | { kind: 'bad-input'; error: ErrorPayload }
  | { kind: 'result'; result: CallResult<CallName> };

export interface DispatchLog {
  error(message: string, fields: Record<string, unknown>): void;
}

export async function dispatch(handlers: Handlers, name: string, payload: unknown, log: DispatchLog): Promise<DispatchOutcome> {
  if (!isCallName(name)) {
    return { kind: 'unknown-call', error: { code: 'contract.unknown_call', message: `Неизвестная команда: ${name}` } };
  }
  const parsed = calls[name].input.safeParse(payload ?? {});
  if (!parsed.success) {
    return {
      kind: 'bad-input',
      error: { code: 'contract.bad_input', message: 'Неверные данные запроса', detail: z.prettifyError(parsed.error) },
    };
  }
  const handler = handlers[name] as (input: unknown) => Promise<unknown>;
  try {
    const value = await handler(parsed.data);
    const checked = calls[name].output.safeParse(value);
    if (!checked.success) {
      // A handler that breaks the contract is our bug: say so plainly rather than send the UI a guess.
      log.error('contract output mismatch', { call: name, issues: z.prettifyError(checked.error) });
      return { kind: 'result', result: { ok: false, error: { code: 'contract.bad_output', message: 'Внутренняя ошибка программы: неверный ответ', detail: name } } };
    }
    return { kind: 'result', result: { ok: true, value: checked.data } as CallResult<CallName> };
  } catch (e) {
    return { kind: 'result', result: { ok: false, error: toErrorPayload(e, name, log) } };
  }
}

export function toErrorPayload(e: unknown, call: string, log: DispatchLog): ErrorPayload {
  if (isAppError(e)) {
    return {
      code: e.code,
      message: e.message,
      ...(e.detail === undefined ? {} : { detail: e.detail }),
      ...(e.deviceCode === undefined ? {} : { deviceCode: e.deviceCode }),
    };
  }
  return internalError(log, 'unexpected error in call', { call }, e);
}

/**
 * An error we did not expect says nothing of itself to the caller (its text may hold a path, a query or
 * a value): a fixed Russian message and an id; the detail is logged under that id for the IT person.
 */
export function internalError(log: DispatchLog, message: string, fields: Record<string, unknown>, e: unknown): ErrorPayload {
  const correlationId = randomBytes(4).toString('hex').toUpperCase();
  log.error(message, { ...fields, correlationId, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  return {
    code: 'internal',
    message: `Внутренняя ошибка программы (код ${correlationId}). Повторите действие; если ошибка повторится, сообщите администратору этот код.`,
    correlationId,
  };
}
