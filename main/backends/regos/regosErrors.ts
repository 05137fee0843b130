import type { RetryClass } from '../../appError';
import { BackendError } from '../backendError';
import type { RegosReceiptInfo } from './schemas';

interface RegosErrorInfo {
  message: string;
  retry: RetryClass;
}

/** Error codes reported for REGOS VCR (BACKENDS.md), with what the cashier or IT should do. */
export const REGOS_ERRORS: Readonly<Record<number, RegosErrorInfo>> = {
  701003: { message: 'REGOS отклонил чек: неверные данные. Проверьте позиции, суммы и оплаты.', retry: 'permanent' },
  703000: { message: 'REGOS не понял запрос (неверный формат). Сообщите в поддержку магазина.', retry: 'permanent' },
  703002: { message: 'REGOS: неверный формат данных авторизации. Администратору: проверьте логин и пароль кассира в настройках.', retry: 'permanent' },
  704000: { message: 'Ошибка фискального модуля REGOS. Проверьте, что фискальный модуль подключён, и повторите.', retry: 'transient' },
  704010: { message: 'В REGOS не открыта смена. Откройте смену и повторите возврат.', retry: 'permanent' },
  704101: { message: 'В REGOS не открыта смена. Откройте смену и повторите возврат.', retry: 'permanent' },
  704019: { message: 'REGOS более 24 часов без связи с сервером времени. Администратору: восстановите интернет на компьютере с VCR.', retry: 'permanent' },
  704025: { message: 'REGOS более 24 часов без связи с сервером лицензий. Администратору: восстановите интернет на компьютере с VCR.', retry: 'permanent' },
  705000: { message: 'REGOS не принял логин или пароль кассира. Администратору: проверьте их в настройках.', retry: 'permanent' },
  705002: { message: 'REGOS не видит принтер. Проверьте, что принтер включён и подключён, и повторите.', retry: 'transient' },
  705511: { message: 'REGOS: не прошла проверка кода товара (ИКПУ/MXIK). Проверьте код ИКПУ товара в карточке.', retry: 'permanent' },
};

/** Codes whose cause is known and has nothing to do with the receipt's `code` being taken. */
const NOT_A_DUPLICATE = new Set([703002, 704000, 704010, 704101, 704019, 704025, 705000, 705002, 705511]);

export function mayBeDuplicateCode(errorCode: number): boolean {
  return !NOT_A_DUPLICATE.has(errorCode);
}

export function regosError(errorCode: number, description: string, operation: string): BackendError {
  const info = REGOS_ERRORS[errorCode] ?? { message: `REGOS вернул ошибку ${errorCode}.`, retry: 'permanent' as const };
  return new BackendError({
    backend: 'regos',
    failure: 'rejected',
    code: `regos.${errorCode}`,
    serviceCode: errorCode,
    ...(description === '' ? {} : { serviceText: description }),
    retry: info.retry,
    message: description === '' ? info.message : `${info.message} (${description})`,
    detail: `${operation}: error ${errorCode}: ${description}`,
  });
}

/**
 * VCR refused the receipt and a receipt with the same `code` is already in its base: the earlier attempt
 * (whose answer was lost) most likely registered it. Reported apart from other rejections so the saga
 * records that receipt instead of printing again.
 */
export class RegosDuplicateCodeError extends BackendError {
  readonly existing: RegosReceiptInfo;
  readonly receiptCode: string;

  constructor(receiptCode: string, existing: RegosReceiptInfo, rejection: BackendError) {
    super({
      backend: 'regos',
      failure: 'rejected',
      code: 'regos.duplicate_code',
      serviceCode: rejection.serviceCode,
      retry: 'permanent',
      message: `Чек с этим кодом (${receiptCode}), вероятно, уже зарегистрирован — проверьте его в REGOS`
        + `${existing.ReceiptNo ? ` (чек № ${existing.ReceiptNo})` : ''} и не пробивайте повторно.`,
      detail: `${rejection.detail ?? ''}; Receipt.GetInfo found id ${existing.id}`,
      cause: rejection,
    });
    this.name = 'RegosDuplicateCodeError';
    this.existing = existing;
    this.receiptCode = receiptCode;
  }
}

/**
 * VCR refused the receipt with a code that may mean "this code is taken", and Receipt.GetInfo could not say
 * whether an earlier attempt registered it: the outcome is unknown, so the caller looks again later.
 */
export class RegosUnconfirmedRejection extends BackendError {
  constructor(receiptCode: string, rejection: BackendError, lookupError: unknown) {
    super({
      backend: 'regos',
      failure: 'rejected',
      code: 'regos.unconfirmed_rejection',
      serviceCode: rejection.serviceCode,
      retry: 'unknown-outcome',
      message: `REGOS отклонил чек (${rejection.message}), но проверить, не зарегистрирован ли он раньше, не удалось. `
        + 'Чек ждёт ответа REGOS — не пробивайте повторно.',
      detail: `${rejection.detail ?? ''}; Receipt.GetInfo for ${receiptCode} failed: ${lookupError instanceof Error ? lookupError.message : String(lookupError)}`,
      cause: rejection,
    });
    this.name = 'RegosUnconfirmedRejection';
  }
}
