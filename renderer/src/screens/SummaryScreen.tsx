import type { ErrorPayload, RefundPreview } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { useLocale } from '../i18n/LocaleProvider';
import { mainText } from '../i18n/mainTexts';
import { moneyWhere } from '../refund/moneyWhere';

export const SUMMARY_KEYS = [{ key: 'Enter', label: 'keys.doRefund' }, { key: 'Esc', label: 'keys.changeLines' }] as const;

/** The refund as the receipt will print it, and how the money goes back. */
export function SummaryScreen({ preview, error, busy, blockReason, onConfirm }: {
  preview: RefundPreview;
  error: ErrorPayload | undefined;
  busy: boolean;
  blockReason: string | null;
  onConfirm(): void;
}) {
  const { t, money, quantity, language } = useLocale();
  const needsCard = preview.tenders.some((p) => p.needsCard);
  const viaVcr = preview.tenders.length > 0 && preview.sale.source === 'regos';
  const where = moneyWhere(preview.tenders);
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
      <h1 id="summary-title">{t('summary.title')}</h1>
      {blockReason && <p className="block-reason" role="alert">{blockReason}</p>}
      {preview.notices.map((n) => <p key={n.text} className="notice" role="note">{mainText(n.text, language, n.coded)}</p>)}
      {error && <ErrorBox error={error} />}
      <table className="summary-lines">
        <caption className="sr-only">{t('summary.linesCaption')}</caption>
        <thead><tr><th>{t('sale.colName')}</th><th className="num">{t('summary.colQty')}</th><th className="num">{t('summary.colAmount')}</th></tr></thead>
        <tbody>
          {preview.lines.map((l) => (
            <tr key={l.lineId}>
              <td>{l.name}</td>
              <td className="num">{quantity(l.quantityMilli, preview.currency)}</td>
              <td className="num">{money(l.amountMinor, preview.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('summary.howTitle')}</h2>
      {where && (
        <p className="money-where" data-testid="money-where">
          {where.key === 'money.allOne' ? t(where.key, { tender: `${t(`tender.${where.kind}`)}${t(`tenderHow.${where.kind}`)}` }) : t(where.key)}
        </p>
      )}
      <ul className="tenders" aria-label={t('summary.tendersLabel')}>
        {preview.tenders.map((p) => (
          <li key={p.paymentPartId} className={`tender tender-${p.kind}`}>
            <span>{t(`tender.${p.kind}`)}{t(`tenderHow.${p.kind}`)}</span>
            <span className="num">{money(p.amountMinor, preview.currency)}</span>
          </li>
        ))}
      </ul>
      <p className="total" data-testid="refund-total">{t('summary.total')} <strong>{money(preview.totalMinor, preview.currency)}</strong></p>
      <p className="next-step" role="status">
        {busy ? t('common.wait') : blockReason ? t('summary.impossible') : needsCard ? t('summary.enterCard') : viaVcr ? t('summary.enterVcr') : t('summary.enterPrint')}
      </p>
    </section>
  );
}
