import type { ErrorPayload, PrinterState, Refund } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { printerNeedsAction } from '../format/labels';
import { useLocale } from '../i18n/LocaleProvider';
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
const pendingTitle = (r: Refund): string => {
  if (r.sale.source === 'regos') return 'Ждём ответа REGOS VCR: зарегистрирован ли чек возврата';
  return r.state === 'confirmed' ? 'Чек возврата ещё не напечатан: возврат ждёт принтер' : 'Ждём ответа принтера: чек мог напечататься';
};

export function PrintingScreen({ progress, printer, outcome, cancelError, onRetry, onCancel, onAgain }: {
  progress: string;
  printer: PrinterState | undefined;
  outcome: PrintingOutcome;
  cancelError: ErrorPayload | undefined;
  onRetry(): void;
  onCancel(refund: Refund): void;
  /** A refund that failed (nothing printed): start it again as a new refund from the summary. */
  onAgain(): void;
}) {
  const { t } = useLocale();
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
      <p className="progress" role="status" aria-live="polite" data-testid="refund-progress">{progress}</p>
      {trouble && outcome.kind === 'waiting' && (
        <div className={`printer-trouble printer-${trouble.state}`} role="alert" data-testid="printer-trouble">
          <p className="trouble-title">{t(`printer.${trouble.state}`)}</p>
          <p className="trouble-message">{trouble.message}</p>
          <p className="trouble-next">Чек продолжит печататься сам, когда принтер будет готов. Не начинайте возврат заново.</p>
          {trouble.deviceCode !== undefined && (
            <p className="error-code">Код устройства для IT: {trouble.deviceCode} (0x{trouble.deviceCode.toString(16).padStart(2, '0')})</p>
          )}
        </div>
      )}
      {outcome.kind === 'error' && (
        <ErrorBox error={outcome.error} hint="Enter — повторить (это тот же возврат, второй чек не напечатается). Esc — вернуться к итогу." />
      )}
      {outcome.kind === 'pending' && (
        <div className={`pending-box pending-${outcome.refund.state}`} role="alert" data-testid="refund-pending" data-state={outcome.refund.state}>
          <p className="pending-title">{pendingTitle(outcome.refund)}</p>
          {trouble && <p className="pending-printer">{t(`printer.${trouble.state}`)}: {trouble.message}</p>}
          {(outcome.refund.receiptCount ?? 1) > 1 && (
            <p className="pending-receipts" data-testid="pending-receipts">
              Чеков в этом возврате: {outcome.refund.receiptCount}, напечатано: {outcome.refund.receipts?.length ?? 0}. Напечатанные повторно не печатаются.
            </p>
          )}
          <p className="pending-reason">{outcome.refund.reason ?? 'Программа ждёт ответа устройства и завершит возврат сама.'}</p>
          <p className="pending-next">
            Enter — повторить сейчас (это тот же возврат, второй чек не напечатается).
            {cancellable ? ' Delete — отменить возврат: чек не печатался, позиции снова можно будет вернуть.' : ' Отменить нельзя, пока устройство не ответит.'}
            {' '}Esc — к поиску: возврат завершится сам, результат появится на экране.
          </p>
          {cancelError && <ErrorBox error={cancelError} />}
        </div>
      )}
      {outcome.kind === 'stopped' && (
        <div className="error-box" role="alert">
          <p className="error-message">
            {outcome.refund.state === 'review' ? 'Возврат требует проверки: ' : 'Возврат не выполнен: '}
            {outcome.refund.reason ?? 'причина не указана'}
          </p>
          <p className="error-hint">
            {failed ? 'Чек не печатался, деньги не выдавайте. Enter — оформить возврат заново. ' : ''}
            Esc — к поиску. Этот возврат виден в панели синхронизации (F4).
          </p>
        </div>
      )}
    </section>
  );
}
