import type { ErrorPayload, Refund } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { SearchBox } from '../components/SearchBox';
import { formatDateTime, REFUND_STATE_LABEL, TENDER_LABEL } from '../format/labels';
import { formatMoney } from '../format/money';

export const DONE_KEYS = [{ key: 'Enter', label: 'Найти следующий чек' }] as const;

/** The refund is done; the search field already has focus for the next customer's receipt. */
export function DoneScreen({ refund, busy, reprint, error, onSearch }: {
  refund: Refund;
  busy: boolean;
  reprint: 'idle' | 'printing' | 'done';
  error: ErrorPayload | undefined;
  onSearch(query: string): void;
}) {
  const cash = refund.tenders.filter((t) => t.kind === 'cash').reduce((sum, t) => sum + t.amountMinor, 0);
  return (
    <section className="screen done-screen" aria-labelledby="done-title">
      <h1 id="done-title" data-testid="refund-done">Возврат выполнен</h1>
      <p className="total">Сумма возврата: <strong>{formatMoney(refund.totalMinor, refund.currency)}</strong>
        {cash > 0 && <> · выдайте наличными <strong>{formatMoney(cash, refund.currency)}</strong></>}</p>
      <dl className="fiscal" aria-label="Фискальные данные чека">
        <dt>Продажа</dt><dd>№ {refund.saleNumber}</dd>
        <dt>Состояние</dt><dd data-testid="refund-state">{REFUND_STATE_LABEL[refund.state]}</dd>
        {refund.receipts && refund.receipts.length > 1 ? (
          // One refund printed as several receipts (issue 20): each with its own fiscal data, in print order.
          <div className="fiscal-receipts" data-testid="fiscal-receipts">
            {refund.receipts.map((f, i) => (
              <div key={f.number} className="fiscal-receipt" data-testid="fiscal-receipt">
                <dt>Чек {i + 1} из {refund.receiptCount ?? refund.receipts?.length}</dt>
                <dd>ФД № {f.number} · ФП {f.fiscalSign} · {formatDateTime(f.dateTime)}</dd>
              </div>
            ))}
          </div>
        ) : refund.fiscal && (
          <>
            {refund.fiscal.receiptNo !== undefined
              ? <><dt>Чек №</dt><dd data-testid="fiscal-number">{refund.fiscal.receiptNo}</dd></>
              : <><dt>ФД №</dt><dd data-testid="fiscal-number">{refund.fiscal.number}</dd></>}
            <dt>ФП</dt><dd>{refund.fiscal.fiscalSign}</dd>
            <dt>Время</dt><dd>{formatDateTime(refund.fiscal.dateTime)}</dd>
          </>
        )}
        {refund.tenders.map((t) => (
          <div key={t.paymentPartId} className="fiscal-tender">
            <dt>{TENDER_LABEL[t.kind]}</dt><dd>{formatMoney(t.amountMinor, refund.currency)}{t.rrn ? ` · RRN ${t.rrn}` : ''}</dd>
          </div>
        ))}
      </dl>
      {refund.state === 'fiscalized' && (
        <p className="notice" role="note">Чек напечатан. Данные отправятся на сервер автоматически (F4 — синхронизация).</p>
      )}
      <p role="status">{reprint === 'printing' ? 'Печатаю копию…' : reprint === 'done' ? 'Копия чека напечатана' : ''}</p>
      {error && <ErrorBox error={error} />}
      <SearchBox busy={busy} onSearch={onSearch} label="Следующий возврат: номер чека или сделки" />
    </section>
  );
}
