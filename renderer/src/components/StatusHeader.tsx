import { BackendName, type AppStatus, type ErrorPayload } from '../../../preload/contract';
import { RestartNotice } from './RestartNotice';
import { CashierBadge } from '../people/CashierBadge';
import { BACKEND_LABEL, printerNeedsAction } from '../format/labels';
import { useLocale } from '../i18n/LocaleProvider';
import { mainText } from '../i18n/mainTexts';

/**
 * A REGOS-only till (issue 15) has no fiscal printer and no shift of its own: the header shows REGOS VCR and
 * whether it answers, since every refund there goes through VCR online.
 */
const regosOnly = (status: AppStatus) => status.till === 'regosOnly';

/** `attention`: refunds that need a person (F4); the header keeps a marker while there are any (issue 19). */
export function StatusHeader({ status, error, attention = 0 }: { status: AppStatus | undefined; error: ErrorPayload | undefined; attention?: number }) {
  const { t, error: errorText, language } = useLocale();
  return (
    <header className="status-header" aria-label={t('header.region')}>
      {status?.trainingMode && (
        <div className="training-banner" role="note">{t('header.training')}</div>
      )}
      {status?.settingsProblem && (
        <div className="settings-problem" role="alert" data-testid="settings-problem">{mainText(status.settingsProblem, language)}</div>
      )}
      <RestartNotice notice={status?.restartNotice} />
      <div className="status-row">
        <span className="app-title">{t('app.title')}</span>
        {attention > 0 && <span className="attention-marker" role="status" data-testid="attention-marker">{t('attention.header', { count: attention })}</span>}
        {status && regosOnly(status) ? (
          <>
            <span className={`conn vcr conn-${status.backends.regos ?? 'unknown'}`} data-backend="regos" data-testid="vcr-state">
              {t('header.vcr')}: {t(`conn.${status.backends.regos ?? 'unknown'}`)}
            </span>
            <CashierBadge cashier={status.cashier} />
            <span className="version" data-testid="app-version">{t('header.version', { version: status.version })}</span>
          </>
        ) : status ? (
          <>
            <ul className="backends" aria-label={t('header.backends')}>
              {BackendName.options.map((b) => (
                <li key={b} className={`conn conn-${status.backends[b] ?? 'unknown'}`} data-backend={b}>
                  {BACKEND_LABEL[b]}: {t(`conn.${status.backends[b] ?? 'unknown'}`)}
                </li>
              ))}
            </ul>
            <span className={`printer printer-${status.printer.state}${printerNeedsAction(status.printer) ? ' needs-action' : ''}`} data-testid="printer-state">
              {t(`printer.${status.printer.state}`)}
            </span>
            <span className={`shift shift-${status.shift.state}`}>
              {t(`shift.${status.shift.state}`)}{status.shift.number !== undefined ? t('header.shiftNumber', { number: status.shift.number }) : ''}
            </span>
            <CashierBadge cashier={status.cashier} />
            <span className="version" data-testid="app-version">{t('header.version', { version: status.version })}</span>
          </>
        ) : error ? (
          <span className="status-error" role="alert">{errorText(error).message}</span>
        ) : (
          <span className="status-loading">{t('header.connecting')}</span>
        )}
      </div>
    </header>
  );
}
