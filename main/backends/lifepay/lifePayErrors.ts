import type { RetryClass } from '../../appError';
import { BackendError, type BackendFailure } from '../backendError';

/** Who can fix it: the cashier at the till, or the store's IT person / LIFE PAY support. */
export type LifePayAudience = 'cashier' | 'it';

export interface LifePayErrorInfo {
  message: string;
  retry: RetryClass;
  audience: LifePayAudience;
}

/**
 * Seed 001's error table, in words a cashier or the store's IT person can act on. The meaning of each
 * code is the seed's; the advice follows the seed's "Ответ" column.
 */
export const LIFE_PAY_ERRORS: Readonly<Record<number, LifePayErrorInfo>> = {
  6010: {
    message: 'LIFE PAY не принял логин или API-ключ. Администратору: проверьте логин (телефон из личного кабинета LIFE PAY) '
      + 'и заново скопируйте API-ключ из личного кабинета: Настройки → Разработчикам.',
    retry: 'permanent', audience: 'it',
  },
  6080: {
    message: 'В LIFE PAY отключена удалённая (облачная) фискализация. Администратору: обратитесь в службу поддержки LIFE PAY, '
      + 'чтобы подключить эту услугу.',
    retry: 'permanent', audience: 'it',
  },
  429: {
    message: 'LIFE PAY просит подождать: слишком частые запросы. Подождите минуту и повторите поиск.',
    retry: 'transient', audience: 'cashier',
  },
  3896: {
    message: 'LIFE PAY: сумма безналичной оплаты больше суммы чека. Проверьте, сколько возвращается на карту, '
      + 'и суммы позиций; исправьте и отправьте чек заново.',
    retry: 'permanent', audience: 'cashier',
  },
  3975: {
    message: 'LIFE PAY: фискальный накопитель отверг параметры чека. Администратору: проверьте систему налогообложения (СНО) '
      + 'и ставки НДС в настройках. Частая причина — СНО «ОСН» при ФН на 36 месяцев.',
    retry: 'permanent', audience: 'it',
  },
  6050: {
    message: 'LIFE PAY: неверная структура данных запроса. Администратору: сверьте версию программы с документацией LIFE PAY '
      + 'и сообщите разработчикам.',
    retry: 'permanent', audience: 'it',
  },
  6051: {
    message: 'LIFE PAY: у категории или товара не указан идентификатор (id) во внешней системе. Администратору: заполните '
      + 'уникальный id для каждой категории и товара.',
    retry: 'permanent', audience: 'it',
  },
  6052: {
    message: 'LIFE PAY: у категории или товара не указано наименование. Администратору: заполните наименование (name).',
    retry: 'permanent', audience: 'it',
  },
  6053: {
    message: 'LIFE PAY: не указана торговая точка. Администратору: укажите торговую точку (trade_point_uuid) в настройках.',
    retry: 'permanent', audience: 'it',
  },
  6054: {
    message: 'LIFE PAY: такой каталог или товары уже существуют. Администратору: для перезаписи укажите параметр force.',
    retry: 'permanent', audience: 'it',
  },
  6055: {
    message: 'LIFE PAY: ошибка сохранения каталога. Администратору: подробности — в описании ошибки ниже.',
    retry: 'permanent', audience: 'it',
  },
  6056: {
    message: 'LIFE PAY: ошибка сохранения товара. Администратору: подробности — в описании ошибки ниже.',
    retry: 'permanent', audience: 'it',
  },
};

export function lifePayErrorInfo(code: number): LifePayErrorInfo {
  return LIFE_PAY_ERRORS[code] ?? {
    message: `LIFE PAY вернул ошибку ${code}. Администратору: проверьте описание ошибки и настройки LIFE PAY.`,
    retry: 'permanent',
    audience: 'it',
  };
}

/**
 * A LIFE PAY error as a BackendError. The server's own text (6055/6056 carry the product's problem)
 * goes after the advice; it has already passed the redaction of the HTTP layer.
 */
export function lifePayError(init: {
  serviceCode: number; serverMessage?: string; httpStatus?: number; retryAfterMs?: number; detail: string; operation: string;
}): BackendError {
  const info = lifePayErrorInfo(init.serviceCode);
  const tail = init.serverMessage && (init.serviceCode === 6055 || init.serviceCode === 6056 || !(init.serviceCode in LIFE_PAY_ERRORS))
    ? ` (${init.serverMessage})` : '';
  const failure: BackendFailure = init.serviceCode === 429 ? 'http' : 'rejected';
  return new BackendError({
    backend: 'lifepay',
    failure,
    code: init.serviceCode === 429 ? 'lifepay.rate_limited' : `lifepay.${init.serviceCode}`,
    serviceCode: init.serviceCode,
    message: init.serviceCode === 429 && init.retryAfterMs !== undefined
      ? `LIFE PAY просит подождать: слишком частые запросы. Повторите через ${Math.max(1, Math.ceil(init.retryAfterMs / 1000))} с.`
      : `${info.message}${tail}`,
    retry: info.retry,
    httpStatus: init.httpStatus,
    retryAfterMs: init.retryAfterMs,
    detail: `${init.operation}: ${init.detail}`,
  });
}
