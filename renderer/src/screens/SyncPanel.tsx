import { useEffect, useState, type KeyboardEvent } from 'react';
import type { SyncStatus } from '../../../preload/contract';
import { useCall, useEventListener } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { formatDuration, REFUND_STATE_LABEL } from '../format/labels';
import { formatMoney } from '../format/money';

export const SYNC_KEYS = [{ key: '↑↓', label: 'Задание' }, { key: 'Enter', label: 'Повторить задание' }] as const;

/**
 * The outbox as the cashier sees it: what waits to be sent, and what failed for good (retry by hand);
 * and refunds not settled yet (waiting for the printer or VCR, or in review): "all fine" only without them.
 */
export function SyncPanel() {
  const statusCall = useCall('sync.status');
  const unsettledCall = useCall('refunds.list');
  const { run: loadUnsettled } = unsettledCall;
  const retry = useCall('sync.retry');
  const [live, setLive] = useState<SyncStatus>();
  const [cursor, setCursor] = useState(0);
  const { run: load } = statusCall;

  useEffect(() => {
    void load({});
  }, [load]);
  useEventListener('sync.status', setLive);
  const loadRefunds = () => void loadUnsettled({ states: ['confirmed', 'fiscalizing', 'review'], limit: 50 });
  useEffect(loadRefunds, [loadUnsettled]);
  useEventListener('refund.progress', loadRefunds);
  const unsettled = unsettledCall.value ?? [];

  const status = live ?? statusCall.value;
  const dead = status?.dead ?? [];

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => Math.max(0, Math.min(dead.length - 1, c + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const job = dead[cursor];
      if (job && !retry.pending) void retry.run({ jobId: job.id }).then(() => load({}));
    }
  };

  return (
    <section className="panel sync-panel" aria-labelledby="sync-title" tabIndex={-1} data-primary autoFocus onKeyDown={onKeyDown}>
      <h1 id="sync-title">Синхронизация с сервером</h1>
      {statusCall.error && <ErrorBox error={statusCall.error} />}
      {retry.error && <ErrorBox error={retry.error} />}
      {status && (
        <>
          <dl className="sync-counts">
            <div><dt>Ждут отправки</dt><dd data-testid="sync-pending">{status.counts.pending + status.counts.running}</dd></div>
            <div><dt>Отправлено</dt><dd data-testid="sync-done">{status.counts.done}</dd></div>
            <div><dt>Не отправлено (нужна помощь)</dt><dd data-testid="sync-dead">{status.counts.dead}</dd></div>
            {status.oldestPendingAgeMs !== null && <div><dt>Самое старое ждёт</dt><dd>{formatDuration(status.oldestPendingAgeMs)}</dd></div>}
          </dl>
          {dead.length > 0 ? (
            <ul className="dead-jobs" role="listbox" aria-label="Задания, которые не удалось отправить" aria-activedescendant={`dead-${cursor}`}>
              {dead.map((job, i) => (
                <li key={job.id} id={`dead-${i}`} role="option" aria-selected={i === cursor} className={i === cursor ? 'active' : ''}>
                  <span className="dead-reason">{job.reason}</span>
                  <span className="error-code">задание {job.id} · {job.kind} · попыток {job.attempts}{job.refundId ? ` · возврат ${job.refundId}` : ''}</span>
                </li>
              ))}
            </ul>
          ) : unsettled.length === 0 && (
            <p>Все задания в порядке. Отложенные отправятся сами, когда появится связь.</p>
          )}
          {unsettled.length > 0 && (
            <>
              <h2>Возвраты, которые ещё не завершены</h2>
              <ul className="unsettled-refunds" data-testid="unsettled-refunds">
                {unsettled.map((r) => (
                  <li key={r.id} data-state={r.state}>
                    <span>Продажа № {r.saleNumber} · {formatMoney(r.totalMinor, r.currency)} · {REFUND_STATE_LABEL[r.state]}</span>
                    {r.reason && <span className="dead-reason"> — {r.reason}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <p role="status">{retry.pending ? 'Ставлю задание в очередь…' : retry.value ? 'Задание снова в очереди' : ''}</p>
    </section>
  );
}
