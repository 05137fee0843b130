import type { ErrorPayload, PrinterState, Refund } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { PRINTER_TITLE, printerNeedsAction } from '../format/labels';

export const PRINTING_KEYS = [{ key: 'Enter', label: 'Повторить' }] as const;

/** What the printing screen knows: the last progress line, the printer, and how the confirm call ended. */
export type PrintingOutcome =
  | { kind: 'waiting' }
  | { kind: 'error'; error: ErrorPayload }
  | { kind: 'stopped'; refund: Refund };

export function PrintingScreen({ progress, printer, outcome, onRetry }: {
  progress: string;
  printer: PrinterState | undefined;
  outcome: PrintingOutcome;
  onRetry(): void;
}) {
  const trouble = printer && printerNeedsAction(printer) ? printer : null;
  return (
    <section
      className="screen printing-screen"
      aria-labelledby="printing-title"
      tabIndex={-1}
      data-primary
      autoFocus
      aria-busy={outcome.kind === 'waiting'}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' || outcome.kind !== 'error') return;
        e.preventDefault();
        onRetry();
      }}
    >
      <h1 id="printing-title">Печать чека возврата</h1>
      <p className="progress" role="status" aria-live="polite" data-testid="refund-progress">{progress}</p>
      {trouble && (
        <div className={`printer-trouble printer-${trouble.state}`} role="alert" data-testid="printer-trouble">
          <p className="trouble-title">{PRINTER_TITLE[trouble.state]}</p>
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
      {outcome.kind === 'stopped' && (
        <div className="error-box" role="alert">
          <p className="error-message">
            {outcome.refund.state === 'review' ? 'Возврат требует проверки: ' : 'Возврат не выполнен: '}
            {outcome.refund.reason ?? 'причина не указана'}
          </p>
          <p className="error-hint">Esc — к поиску. Этот возврат виден в панели синхронизации (F4).</p>
        </div>
      )}
    </section>
  );
}
