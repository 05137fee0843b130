import type { ErrorPayload, Refund } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { SearchBox } from '../components/SearchBox';
import { useLocale } from '../i18n/LocaleProvider';

export const DONE_KEYS = [{ key: 'Enter', label: 'keys.nextReceipt' }] as const;

/** The refund is done; the search field already has focus for the next customer's receipt. */
export function DoneScreen({ refund, busy, reprint, error, onSearch }: {
  refund: Refund;
  busy: boolean;
  reprint: 'idle' | 'printing' | 'done';
  error: ErrorPayload | undefined;
  onSearch(query: string): void;
}) {
  const { t, money, dateTime } = useLocale();
  const cash = refund.tenders.filter((t) => t.kind === 'cash').reduce((sum, t) => sum + t.amountMinor, 0);
  return (
    <section className="screen done-screen" aria-labelledby="done-title">
      <h1 id="done-title" data-testid="refund-done">{t('done.title')}</h1>
      <p className="total">{t('done.sum')} <strong>{money(refund.totalMinor, refund.currency)}</strong>
        {cash > 0 && <> · {t('done.giveCash')} <strong>{money(cash, refund.currency)}</strong></>}</p>
      <dl className="fiscal" aria-label={t('done.fiscalLabel')}>
        <dt>{t('done.sale')}</dt><dd>№ {refund.saleNumber}</dd>
        <dt>{t('done.state')}</dt><dd data-testid="refund-state">{t(`refundState.${refund.state}`)}</dd>
        {refund.receipts && refund.receipts.length > 1 ? (
          // One refund printed as several receipts (issue 20): each with its own fiscal data, in print order.
          <div className="fiscal-receipts" data-testid="fiscal-receipts">
            {refund.receipts.map((f, i) => (
              <div key={f.number} className="fiscal-receipt" data-testid="fiscal-receipt">
                <dt>{t('done.receiptOf', { n: i + 1, of: refund.receiptCount ?? refund.receipts?.length ?? 0 })}</dt>
                <dd>{t('done.fdNo')} {f.number} · {t('done.fiscalSign')} {f.fiscalSign} · {dateTime(f.dateTime)}</dd>
              </div>
            ))}
          </div>
        ) : refund.fiscal && (
          <>
            {refund.fiscal.receiptNo !== undefined
              ? <><dt>{t('done.receiptNo')}</dt><dd data-testid="fiscal-number">{refund.fiscal.receiptNo}</dd></>
              : <><dt>{t('done.fdNo')}</dt><dd data-testid="fiscal-number">{refund.fiscal.number}</dd></>}
            <dt>{t('done.fiscalSign')}</dt><dd>{refund.fiscal.fiscalSign}</dd>
            <dt>{t('done.time')}</dt><dd>{dateTime(refund.fiscal.dateTime)}</dd>
          </>
        )}
        {refund.tenders.map((p) => (
          <div key={p.paymentPartId} className="fiscal-tender">
            <dt>{t(`tender.${p.kind}`)}</dt><dd>{money(p.amountMinor, refund.currency)}{p.rrn ? ` · RRN ${p.rrn}` : ''}</dd>
          </div>
        ))}
      </dl>
      {refund.state === 'fiscalized' && (
        <p className="notice" role="note">{t('done.willSync')}</p>
      )}
      <p role="status">{reprint === 'printing' ? t('done.printingCopy') : reprint === 'done' ? t('done.copyPrinted') : ''}</p>
      {error && <ErrorBox error={error} />}
      <SearchBox busy={busy} onSearch={onSearch} label={t('search.labelNext')} />
    </section>
  );
}
