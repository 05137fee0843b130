import { BackendName, type AppStatus, type ErrorPayload } from '../../../preload/contract';
import { RestartNotice } from './RestartNotice';
import { BACKEND_LABEL, CONNECTIVITY_LABEL, PRINTER_TITLE, SHIFT_LABEL, printerNeedsAction } from '../format/labels';

export function StatusHeader({ status, error }: { status: AppStatus | undefined; error: ErrorPayload | undefined }) {
  return (
    <header className="status-header" aria-label="Состояние кассы">
      {status?.trainingMode && (
        <div className="training-banner" role="note">УЧЕБНЫЙ РЕЖИМ — чеки не фискальные, данные учебные</div>
      )}
      {status?.settingsProblem && (
        <div className="settings-problem" role="alert" data-testid="settings-problem">{status.settingsProblem}</div>
      )}
      <RestartNotice notice={status?.restartNotice} />
      <div className="status-row">
        <span className="app-title">Касса возвратов</span>
        {status ? (
          <>
            <ul className="backends" aria-label="Связь с серверами">
              {BackendName.options.map((b) => (
                <li key={b} className={`conn conn-${status.backends[b] ?? 'unknown'}`} data-backend={b}>
                  {BACKEND_LABEL[b]}: {CONNECTIVITY_LABEL[status.backends[b] ?? 'unknown']}
                </li>
              ))}
            </ul>
            <span className={`printer printer-${status.printer.state}${printerNeedsAction(status.printer) ? ' needs-action' : ''}`} data-testid="printer-state">
              {PRINTER_TITLE[status.printer.state]}
            </span>
            <span className={`shift shift-${status.shift.state}`}>
              {SHIFT_LABEL[status.shift.state]}{status.shift.number !== undefined ? ` № ${status.shift.number}` : ''}
            </span>
            <span className="version" data-testid="app-version">версия {status.version}</span>
          </>
        ) : error ? (
          <span className="status-error" role="alert">{error.message}</span>
        ) : (
          <span className="status-loading">Подключение…</span>
        )}
      </div>
    </header>
  );
}
