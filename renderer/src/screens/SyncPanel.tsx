import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { Refund, RefundState, SyncStatus } from '../../../preload/contract';
import { useCall, useCashier, useEventListener } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { durationText } from '../format/labels';
import { useLocale } from '../i18n/LocaleProvider';
import { mainText } from '../i18n/mainTexts';
import type { ShownKey } from '../keys/keyBar';
import { failedStep, stuckRefunds, supportDetail } from '../refund/attention';

/** None until the panel knows whether any refund waits for a resend (it then reports its keys). */
export const SYNC_KEYS: readonly ShownKey[] = [];

/** What the cashier does about a refund that is not settled yet, by its state. */
const UNSETTLED_TODO: Partial<Record<RefundState, 'attention.pendingTodo' | 'attention.reviewTodo'>> = {
  confirmed: 'attention.pendingTodo', fiscalizing: 'attention.pendingTodo', review: 'attention.reviewTodo',
};

/**
 * The outbox as the cashier sees it: what waits to be sent, and what failed for good (retry by hand);
 * and refunds not settled yet (waiting for the printer or VCR, or in review): "all fine" only without them.
 */
export function SyncPanel({ onKeys }: { onKeys?(panel: 'sync', keys: readonly ShownKey[]): void }) {
  const client = useCashier();
  const { t, money, language } = useLocale();
  const statusCall = useCall('sync.status');
  const settings = useCall('settings.get');
  const { run: loadSettings } = settings;
  const [refunds, setRefunds] = useState<Record<string, Refund | null>>({});
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

  useEffect(() => {
    void loadSettings({});
  }, [loadSettings]);

  const status = live ?? statusCall.value;
  const stuck = useMemo(() => stuckRefunds(status?.dead ?? []), [status]);
  // Each stuck refund by its sale number and amount: asked once per refund id.
  const missing = stuck.flatMap((s) => (s.refundId && !(s.refundId in refunds) ? [s.refundId] : [])).join(',');
  useEffect(() => {
    for (const id of missing ? missing.split(',') : []) {
      void client.call('refunds.get', { id }).then((r) => setRefunds((m) => ({ ...m, [id]: r.ok ? r.value : null })));
    }
  }, [client, missing]);
  // Arrows only with more than one refund to move between; Enter while there is one to resend.
  const stuckCount = Math.min(stuck.length, 2);
  useEffect(() => onKeys?.('sync', [
    ...(stuckCount > 1 ? [{ key: '↑↓', label: 'keybar.refund' }] : []),
    ...(stuckCount > 0 ? [{ key: 'Enter', label: 'keybar.resend' }] : []),
  ]), [onKeys, stuckCount]);
  const contact = settings.value?.supportContact ?? '';

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => Math.max(0, Math.min(stuck.length - 1, c + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const item = stuck[cursor];
      if (item && !retry.pending) void Promise.all(item.jobs.map((j) => retry.run({ jobId: j.id }))).then(() => load({}));
    }
  };

  return (
    <section className="panel sync-panel" aria-labelledby="sync-title" tabIndex={-1} data-primary autoFocus onKeyDown={onKeyDown}>
      <h1 id="sync-title">{t('syncPanel.title')}</h1>
      {statusCall.error && <ErrorBox error={statusCall.error} />}
      {retry.error && <ErrorBox error={retry.error} />}
      {status && (
        <>
          <dl className="sync-counts">
            <div><dt>{t('syncPanel.pending')}</dt><dd data-testid="sync-pending">{status.counts.pending + status.counts.running}</dd></div>
            <div><dt>{t('syncPanel.done')}</dt><dd data-testid="sync-done">{status.counts.done}</dd></div>
            <div><dt>{t('syncPanel.dead')}</dt><dd data-testid="sync-dead">{status.counts.dead}</dd></div>
            {status.oldestPendingAgeMs !== null && <div><dt>{t('syncPanel.oldest')}</dt><dd>{durationText(t, status.oldestPendingAgeMs)}</dd></div>}
          </dl>
          {stuck.length > 0 ? (
            <>
              <h2>{t('attention.title')}</h2>
              <ul className="dead-jobs" role="listbox" aria-label={t('attention.title')} aria-activedescendant={`dead-${cursor}`} data-testid="stuck-refunds">
                {stuck.map((item, i) => {
                  const refund = item.refundId ? refunds[item.refundId] : null;
                  return (
                    <li key={item.refundId ?? `job-${item.jobs[0]?.id}`} id={`dead-${i}`} role="option" aria-selected={i === cursor} className={i === cursor ? 'active' : ''}>
                      <span className="stuck-sale">{refund ? t('attention.sale', { number: refund.saleNumber, amount: money(refund.totalMinor, refund.currency) }) : t('attention.unknownSale')}</span>
                      <span className="dead-reason">{t(failedStep(item))}</span>
                      <span className="stuck-todo">{t('attention.todo')} {contact ? t('attention.callSupport', { contact }) : t('attention.noSupport')}</span>
                      <span className="error-code">{t('attention.forIt', { detail: supportDetail(item, t, language) })}</span>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : unsettled.length === 0 && (
            <p>{t('attention.allFine')}</p>
          )}
          {unsettled.length > 0 && (
            <>
              <h2>{t('syncPanel.unsettled')}</h2>
              <ul className="unsettled-refunds" data-testid="unsettled-refunds">
                {unsettled.map((r) => (
                  <li key={r.id} data-state={r.state}>
                    <span>{t('attention.sale', { number: r.saleNumber, amount: money(r.totalMinor, r.currency) })} · {t(`refundState.${r.state}`)}</span>
                    {r.reason && <span className="dead-reason"> — {mainText(r.reason, language, r.reasonText)}</span>}
                    {UNSETTLED_TODO[r.state] && <span className="stuck-todo">{t(UNSETTLED_TODO[r.state] ?? 'attention.pendingTodo')}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <p className="support-contact">{contact ? t('attention.support', { contact }) : t('attention.noSupport')}</p>
      <p role="status">{retry.pending ? t('attention.resending') : retry.value ? t('attention.resent') : ''}</p>
    </section>
  );
}
