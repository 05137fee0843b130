import type { ErrorPayload, RefundPreview } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { TENDER_HOW, TENDER_LABEL } from '../format/labels';
import { formatMoney, formatQuantity } from '../format/money';

export const SUMMARY_KEYS = [{ key: 'Enter', label: 'Провести возврат' }, { key: 'Esc', label: 'Изменить позиции' }] as const;

/** The refund as the receipt will print it, and how the money goes back. */
export function SummaryScreen({ preview, error, busy, blockReason, onConfirm }: {
  preview: RefundPreview;
  error: ErrorPayload | undefined;
  busy: boolean;
  blockReason: string | null;
  onConfirm(): void;
}) {
  const needsCard = preview.tenders.some((t) => t.needsCard);
  return (
    <section
      className="screen summary-screen"
      aria-labelledby="summary-title"
      tabIndex={-1}
      data-primary
      autoFocus
      onKeyDown={(e) => {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        if (!busy && !blockReason) onConfirm();
      }}
    >
      <h1 id="summary-title">Возврат: итог</h1>
      {blockReason && <p className="block-reason" role="alert">{blockReason}</p>}
      {preview.notices.map((n) => <p key={n} className="notice" role="note">{n}</p>)}
      {error && <ErrorBox error={error} />}
      <table className="summary-lines">
        <caption className="sr-only">Позиции возврата</caption>
        <thead><tr><th>Товар</th><th className="num">Кол-во</th><th className="num">Сумма</th></tr></thead>
        <tbody>
          {preview.lines.map((l) => (
            <tr key={l.lineId}>
              <td>{l.name}</td>
              <td className="num">{formatQuantity(l.quantityMilli, preview.currency)}</td>
              <td className="num">{formatMoney(l.amountMinor, preview.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Как вернуть деньги</h2>
      <ul className="tenders" aria-label="Способы возврата">
        {preview.tenders.map((t) => (
          <li key={t.paymentPartId} className={`tender tender-${t.kind}`}>
            <span>{TENDER_LABEL[t.kind]}{TENDER_HOW[t.kind]}</span>
            <span className="num">{formatMoney(t.amountMinor, preview.currency)}</span>
          </li>
        ))}
      </ul>
      <p className="total" data-testid="refund-total">Итого к возврату: <strong>{formatMoney(preview.totalMinor, preview.currency)}</strong></p>
      <p className="next-step" role="status">
        {busy ? 'Подождите…' : blockReason ? 'Возврат сейчас невозможен' : needsCard ? 'Enter — перейти к возврату на карту' : 'Enter — напечатать чек возврата'}
      </p>
    </section>
  );
}
