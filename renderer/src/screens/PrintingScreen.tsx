import type { ErrorPayload, MainText, PrinterState, Refund } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { printerNeedsAction } from '../format/labels';
import type { Translate } from '../i18n/catalogue';
import { useLocale } from '../i18n/LocaleProvider';
import { mainText } from '../i18n/mainTexts';
import type { ShownKey } from '../keys/keyBar';


/**
 * What the printing screen knows: the last progress line, the printer, and how the confirm call ended.
 * `pending`: recorded, not printed yet or not yet confirmed by the device (main/refunds/README.md);
 * `stopped`: failed (nothing printed) or in review; `error`: the call failed and nothing was recorded.
 */
export type PrintingOutcome =
  | { kind: 'waiting' }
  | { kind: 'error'; error: ErrorPayload }
  | { kind: 'pending'; refund: Refund }
  | { kind: 'stopped'; refund: Refund };

/** The keys that act on the printing screen now: none while the receipt prints or waits for paper. */
export function printingKeys(outcome: PrintingOutcome): ShownKey[] {
  switch (outcome.kind) {
    case 'waiting': return [];
    case 'error': return [{ key: 'Enter', label: 'keybar.retry' }];
    case 'pending':
      return outcome.refund.state === 'confirmed'
        ? [{ key: 'Enter', label: 'keybar.retry' }, { key: 'Delete', label: 'keybar.cancelRefund' }]
        : [{ key: 'Enter', label: 'keybar.retry' }];
    case 'stopped':
      return outcome.refund.state === 'failed' ? [{ key: 'Enter', label: 'keybar.again' }] : [];
  }
}

/** The one headline of a pending refund: what happened, in the cashier's words. */
const pendingTitle = (r: Refund, t: Translate): string => {
  if (r.sale.source === 'regos') return t('printing.pendingRegos');
  return r.state === 'confirmed' ? t('printing.pendingNotPrinted') : t('printing.pendingMaybePrinted');
};

export function PrintingScreen({ progress, progressText, printer, outcome, cancelError, onRetry, onCancel, onAgain }: {
  progress: string;
  progressText?: MainText | undefined;
  printer: PrinterState | undefined;
  outcome: PrintingOutcome;
  cancelError: ErrorPayload | undefined;
  onRetry(): void;
  onCancel(refund: Refund): void;
  /** A refund that failed (nothing printed): start it again as a new refund from the summary. */
  onAgain(): void;
}) {
  const { t, language } = useLocale();
  // Progress lines, printer messages and reasons come from the main process in Russian (i18n/mainTexts.ts).
  const said = (text: string, coded?: MainText) => mainText(text, language, coded);
  const trouble = printer && printerNeedsAction(printer) ? printer : null;
  const cancellable = outcome.kind === 'pending' && outcome.refund.state === 'confirmed';
  const failed = outcome.kind === 'stopped' && outcome.refund.state === 'failed';
  return (
    <section
      className="screen printing-screen"
      aria-labelledby="printing-title"
      tabIndex={-1}
      data-primary
      autoFocus
      aria-busy={outcome.kind === 'waiting'}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (outcome.kind === 'error' || outcome.kind === 'pending')) {
          e.preventDefault();
          onRetry();
        } else if (e.key === 'Enter' && failed) {
          e.preventDefault();
          onAgain();
        } else if (e.key === 'Delete' && cancellable) {
          e.preventDefault();
          onCancel(outcome.refund);
        }
      }}
    >
      <h1 id="printing-title">{t('printing.title')}</h1>
      <p className="progress" role="status" aria-live="polite" data-testid="refund-progress">{said(progress, progressText)}</p>
      {trouble && outcome.kind === 'waiting' && (
        <div className={`printer-trouble printer-${trouble.state}`} role="alert" data-testid="printer-trouble">
          <p className="trouble-title">{t(`printer.${trouble.state}`)}</p>
          <p className="trouble-message">{said(trouble.message)}</p>
          <p className="trouble-next">{t('printing.troubleNext')}</p>
          {trouble.deviceCode !== undefined && (
            <p className="error-code">{t('printing.deviceCode', { code: trouble.deviceCode, hex: trouble.deviceCode.toString(16).padStart(2, '0') })}</p>
          )}
        </div>
      )}
      {outcome.kind === 'error' && (
        <ErrorBox error={outcome.error} hint={t('printing.errorHint')} />
      )}
      {outcome.kind === 'pending' && (
        <div className={`pending-box pending-${outcome.refund.state}`} role="alert" data-testid="refund-pending" data-state={outcome.refund.state}>
          <p className="pending-title">{pendingTitle(outcome.refund, t)}</p>
          {trouble && <p className="pending-printer">{t(`printer.${trouble.state}`)}: {said(trouble.message)}</p>}
          {(outcome.refund.receiptCount ?? 1) > 1 && (
            <p className="pending-receipts" data-testid="pending-receipts">
              {t('printing.receipts', { count: outcome.refund.receiptCount ?? 1, printed: outcome.refund.receipts?.length ?? 0 })}
            </p>
          )}
          <p className="pending-reason">{outcome.refund.reason ? said(outcome.refund.reason, outcome.refund.reasonText) : t('printing.pendingReason')}</p>
          <p className="pending-next">
            {t('printing.retryNow')} {cancellable ? t('printing.canCancel') : t('printing.cannotCancel')} {t('printing.escToSearch')}
          </p>
          {cancelError && <ErrorBox error={cancelError} />}
        </div>
      )}
      {outcome.kind === 'stopped' && (
        <div className="error-box" role="alert">
          <p className="error-message">
            {outcome.refund.state === 'review' ? t('printing.review') : t('printing.failed')}
            {outcome.refund.reason ? said(outcome.refund.reason, outcome.refund.reasonText) : t('printing.noReason')}
          </p>
          <p className="error-hint">
            {failed ? t('printing.failedHint') : ''}
            {t('printing.stoppedHint')}
          </p>
        </div>
      )}
    </section>
  );
}
