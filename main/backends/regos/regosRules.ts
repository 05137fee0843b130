import { BackendError } from '../backendError';
import { formatSum } from './regosUnits';
import { REGOS_PAYMENT_TYPE, type RegosReceiptParams } from './schemas';

export type RegosReceiptKind = 'sale' | 'refund' | 'credit';

/** BACKENDS.md: at most 150 positions per receipt. */
export const REGOS_MAX_POSITIONS = 150;
/** Seeds 002/003: "Нельзя добавить более двух объектов с типом оплаты - терминал type=2". */
export const REGOS_MAX_TERMINAL_PAYMENTS = 2;
/** BACKENDS.md: payments must equal positions within 50 sum, otherwise VCR answers 701003. */
export const REGOS_PAYMENT_TOLERANCE_TIYIN = 50 * 100;

/**
 * What the documents forbid, checked before anything is sent, as Russian sentences for the cashier.
 * An empty list means the receipt may go.
 */
export function regosReceiptProblems(kind: RegosReceiptKind, params: RegosReceiptParams): string[] {
  const problems: string[] = [];
  if (params.positions.length === 0) problems.push('В чеке нет ни одной позиции.');
  if (params.positions.length > REGOS_MAX_POSITIONS) {
    problems.push(`В чеке ${params.positions.length} позиций, REGOS принимает не более ${REGOS_MAX_POSITIONS}. Разделите возврат на несколько чеков.`);
  }
  const terminal = params.payments.filter((p) => p.type === REGOS_PAYMENT_TYPE.terminal).length;
  if (terminal > REGOS_MAX_TERMINAL_PAYMENTS) {
    problems.push(`Оплат через терминал ${terminal}, REGOS допускает не более ${REGOS_MAX_TERMINAL_PAYMENTS} в одном чеке.`);
  }
  // An empty label is "no marking code" (seed 003's example sends ""), so only real codes must differ.
  const labels = params.positions.map((p) => p.label ?? '').filter((l) => l !== '');
  const repeated = [...new Set(labels.filter((l, i) => labels.indexOf(l) !== i))];
  if (repeated.length > 0) problems.push(`Код маркировки (label) повторяется в чеке: ${repeated.join(', ')}. Каждый код должен быть уникален.`);
  if (kind === 'credit') {
    const systems = params.payments.filter((p) => p.type !== REGOS_PAYMENT_TYPE.cash && p.type !== REGOS_PAYMENT_TYPE.terminal);
    if (systems.length > 0) {
      problems.push('По кредитному чеку нельзя принимать оплату через платёжные системы (Click, Payme и т. п.): только наличные или терминал.');
    }
  }
  const positionsTotal = params.positions.reduce((s, p) => s + p.amount, 0);
  const paymentsTotal = params.payments.reduce((s, p) => s + p.value, 0);
  if (Math.abs(positionsTotal - paymentsTotal) > REGOS_PAYMENT_TOLERANCE_TIYIN) {
    problems.push(`Сумма оплат ${formatSum(paymentsTotal)} сум не совпадает с суммой позиций ${formatSum(positionsTotal)} сум (допуск 50 сум).`);
  }
  return problems;
}

export function assertRegosReceipt(kind: RegosReceiptKind, params: RegosReceiptParams): void {
  const problems = regosReceiptProblems(kind, params);
  if (problems.length === 0) return;
  throw new BackendError({
    backend: 'regos',
    failure: 'invalid_request',
    code: 'regos.invalid_receipt',
    retry: 'permanent',
    message: `Чек не отправлен в REGOS: ${problems.join(' ')}`,
    detail: `${kind} ${params.code}: ${problems.length} problem(s)`,
  });
}
