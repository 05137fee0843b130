import type { RecoveredRefund } from '../../../preload/contract';
import { formatMoney } from '../format/money';

/**
 * Refunds the app settled by itself with nobody watching — after a restart, or while the cashier was on
 * another screen — shown once, until the cashier says "Понятно" (main/refunds/README.md).
 */
const outcomeText = (r: RecoveredRefund): string => {
  if (r.state === 'fiscalized' || r.state === 'synced') {
    return `чек возврата напечатан${r.fiscal ? ` (ФД № ${r.fiscal.number})` : ''}. Если покупатель ещё ждёт, выдайте деньги.`;
  }
  if (r.state === 'review') return `нужна проверка: ${r.reason ?? 'сверьте с отчётом принтера'}`;
  return `не выполнен: ${r.reason ?? 'чек не напечатан'}`;
};

export function RecoveredRefunds({ refunds, onAcknowledge }: { refunds: RecoveredRefund[]; onAcknowledge(ids: string[]): void }) {
  if (refunds.length === 0) return null;
  return (
    <div className="recovered-refunds" role="alert" data-testid="recovered-refunds">
      <ul>
        {refunds.map((r) => (
          <li key={r.id} data-refund-id={r.id} data-state={r.state}>
            {r.recovered === 'restart' ? 'После перезапуска программы' : 'Пока вы были на другом экране'}: возврат по продаже № {r.saleNumber} на {formatMoney(r.totalMinor, r.currency)} — {outcomeText(r)}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onAcknowledge(refunds.map((r) => r.id))}>Понятно</button>
      <span className="recovered-hint"> (Esc на экране поиска)</span>
    </div>
  );
}
