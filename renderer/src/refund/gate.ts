import type { AppStatus, Sale } from '../../../preload/contract';

/**
 * Whether a refund may start now, decided from the sale and the live status. REGOS refunds are never
 * queued (the register must answer now), and a shift over 24 hours must be closed before any receipt.
 * Null means "go ahead"; otherwise the Russian reason to show instead of the Enter key.
 */
export function refundBlockReason(sale: Sale, status: AppStatus | undefined): string | null {
  if (sale.lines.every((l) => l.refundableMilli === 0)) return 'По этой продаже всё уже возвращено.';
  if (!status) return null;
  if (status.shift.state === 'expired') return 'Смена открыта больше 24 часов: закройте смену (F3), затем продолжите возврат.';
  if (sale.ref.source === 'regos' && status.backends.regos !== 'online') {
    return 'Нет связи с REGOS: возврат по чеку REGOS делается только при связи с сервером, отложить его нельзя. Проверьте интернет и повторите.';
  }
  return null;
}

/** What the cashier should know before picking lines, though nothing stops the refund. */
export function saleNotices(sale: Sale, status: AppStatus | undefined): string[] {
  const notices: string[] = [];
  if (sale.remainderFromLocalOnly) notices.push('Остаток к возврату посчитан по данным этой кассы: сервер сейчас недоступен.');
  if (status && (sale.ref.source === 'lifepos' || sale.ref.source === 'local') && status.backends.lifepos !== 'online' && status.backends.lifepos !== 'unknown') {
    notices.push('Нет связи с LIFE POS: чек напечатается сейчас, а возврат будет отправлен в LIFE POS позже, когда появится связь.');
  }
  return notices;
}
