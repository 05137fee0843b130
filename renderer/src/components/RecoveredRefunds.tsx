import type { RecoveredRefund, UiLanguage } from '../../../preload/contract';
import type { Translate } from '../i18n/catalogue';
import { mainText } from '../i18n/mainTexts';
import { useLocale } from '../i18n/LocaleProvider';

/**
 * Refunds the app settled by itself with nobody watching — after a restart, or while the cashier was on
 * another screen — shown once, until the cashier says "Понятно" (main/refunds/README.md).
 */
const outcomeText = (r: RecoveredRefund, t: Translate, language: UiLanguage): string => {
  if (r.state === 'fiscalized' || r.state === 'synced') {
    return t('recoveredRefund.printed', { fd: r.fiscal ? t('recoveredRefund.fd', { number: r.fiscal.number }) : '' });
  }
  const reason = r.reason === undefined ? undefined : mainText(r.reason, language, r.reasonText);
  if (r.state === 'review') return t('recoveredRefund.review', { reason: reason ?? t('recoveredRefund.checkReport') });
  return t('recoveredRefund.failed', { reason: reason ?? t('recoveredRefund.notPrinted') });
};

export function RecoveredRefunds({ refunds, onAcknowledge }: { refunds: RecoveredRefund[]; onAcknowledge(ids: string[]): void }) {
  const { t, money, language } = useLocale();
  if (refunds.length === 0) return null;
  return (
    <div className="recovered-refunds" role="alert" data-testid="recovered-refunds">
      <ul>
        {refunds.map((r) => (
          <li key={r.id} data-refund-id={r.id} data-state={r.state}>
            {r.recovered === 'restart' ? t('recoveredRefund.afterRestart') : t('recoveredRefund.meanwhile')}: {t('recoveredRefund.line', { sale: r.saleNumber, total: money(r.totalMinor, r.currency) })} — {outcomeText(r, t, language)}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onAcknowledge(refunds.map((r) => r.id))}>{t('common.understood')}</button>
      <span className="recovered-hint">{t('recoveredRefund.escHint')}</span>
    </div>
  );
}
