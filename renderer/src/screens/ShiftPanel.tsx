import { useEffect, useState, type KeyboardEvent } from 'react';
import type { ErrorPayload, FiscalDocumentView, ShiftState } from '../../../preload/contract';
import { useCall, useCashier } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { durationText } from '../format/labels';
import { useLocale } from '../i18n/LocaleProvider';
import { CashOperationView, RefundTotalsView } from '../people/CashView';
import { PeopleView } from '../people/PeopleView';

export const SHIFT_KEYS = [{ key: '↑↓', label: 'shiftPanel.keyAction' }, { key: 'Enter', label: 'shiftPanel.keyRun' }] as const;

type Action = 'open' | 'xReport' | 'close';
const ACTIONS = [
  { action: 'open', label: 'shiftPanel.open' },
  { action: 'xReport', label: 'shiftPanel.xReport' },
  { action: 'close', label: 'shiftPanel.close' },
] as const;

/** Issue 14: the cashier, внесение/выплата, the drawer and the day's refunds by tender live with the shift. */
type PeopleAction = 'cashier' | 'cashIn' | 'cashOut' | 'drawer' | 'totals';
type SubView = Exclude<PeopleAction, 'drawer'>;
const PEOPLE_ACTIONS = [
  { action: 'cashier', label: 'shift.cashier' },
  { action: 'cashIn', label: 'shift.cashIn' },
  { action: 'cashOut', label: 'shift.cashOut' },
  { action: 'drawer', label: 'shift.drawer' },
  { action: 'totals', label: 'shift.totals' },
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export function shiftAgeMs(shift: ShiftState, now: number): number | null {
  if (!shift.openedAt) return null;
  const opened = Date.parse(shift.openedAt);
  return Number.isNaN(opened) ? null : now - opened;
}

export function ShiftPanel({ onChanged }: { onChanged(): void }) {
  const client = useCashier();
  const status = useCall('shift.status');
  const { run: load } = status;
  const [cursor, setCursor] = useState(0);
  const [confirmClose, setConfirmClose] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  // Opening and closing a shift are ФН documents: their number is what the store's IT person checks.
  const [lastDoc, setLastDoc] = useState<FiscalDocumentView | null>(null);
  const [error, setError] = useState<ErrorPayload>();
  const { t, dateTime } = useLocale();
  const [view, setView] = useState<SubView | null>(null);
  // After an X or Z report the day's refunds by tender are shown too; the key reloads them.
  const [reported, setReported] = useState(0);
  const actions: { action: Action | PeopleAction; label: string }[] = [...ACTIONS, ...PEOPLE_ACTIONS].map((a) => ({ action: a.action, label: t(a.label) }));

  // The shift's age is measured when its state was read, not on every render.
  const [readAt, setReadAt] = useState(() => Date.now());
  useEffect(() => {
    void load({}).then(() => setReadAt(Date.now()));
  }, [load]);

  const perform = async (action: Action | PeopleAction) => {
    if (action !== 'open' && action !== 'xReport' && action !== 'close' && action !== 'drawer') return setView(action);
    setBusy(true);
    setError(undefined);
    setResult(null);
    if (action === 'drawer') {
      const opened = await client.call('cash.drawer', {});
      setBusy(false);
      return opened.ok ? setResult(t('cash.drawerOpened')) : setError(opened.error);
    }
    const r = action === 'open' ? await client.call('shift.open', {})
      : action === 'close' ? await client.call('shift.close', {})
      : await client.call('shift.xReport', {});
    setBusy(false);
    if (!r.ok) setError(r.error);
    else {
      setResult(t(action === 'open' ? 'shiftPanel.opened' : action === 'close' ? 'shiftPanel.closed' : 'shiftPanel.xPrinted'));
      if ('number' in r.value) setLastDoc(r.value);
      if (action !== 'open') setReported((n) => n + 1);
    }
    void load({}).then(() => setReadAt(Date.now()));
    onChanged();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (busy) return;
    if (view) {
      // The open form takes its own keys; Esc goes back to the list of actions, not out of the panel.
      if (e.key === 'Escape') { e.preventDefault(); setView(null); onChanged(); }
      return;
    }
    if (confirmClose) {
      if (e.key === 'Enter') { e.preventDefault(); setConfirmClose(false); void perform('close'); }
      if (e.key === 'Escape') { e.preventDefault(); setConfirmClose(false); }
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => (c + (e.key === 'ArrowDown' ? 1 : actions.length - 1)) % actions.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = actions[cursor];
      if (!chosen) return;
      if (chosen.action === 'close') setConfirmClose(true);
      else void perform(chosen.action);
    }
  };

  const shift = status.value;
  const age = shift ? shiftAgeMs(shift, readAt) : null;
  const shownError = error ?? status.error;
  const over24 = shift?.state === 'expired' || (shift?.state === 'open' && age !== null && age > DAY_MS);

  return (
    <section className="panel shift-panel" aria-labelledby="shift-title" tabIndex={-1} data-primary autoFocus onKeyDown={onKeyDown}>
      <h1 id="shift-title">{t('shiftPanel.title')}</h1>
      {shift && (
        <p className="shift-state" data-testid="shift-state">
          {t(`shift.${shift.state}`)}{shift.number !== undefined ? ` № ${shift.number}` : ''}
          {shift.openedAt ? t('shiftPanel.openedAt', { at: dateTime(shift.openedAt) }) : ''}{age !== null && shift.state !== 'closed' ? ` (${durationText(t, age)})` : ''}
        </p>
      )}
      {over24 && (
        <p className="block-reason" role="alert">{t('shiftPanel.over24')}</p>
      )}
      {view === 'cashier' && <PeopleView onChanged={onChanged} />}
      {(view === 'cashIn' || view === 'cashOut') && <CashOperationView kind={view === 'cashIn' ? 'in' : 'out'} />}
      {view === 'totals' && <RefundTotalsView refreshKey={0} />}
      {view === null && (
        <ul className="actions" role="listbox" aria-label={t('shiftPanel.actions')} aria-activedescendant={`shift-action-${cursor}`}>
          {actions.map((a, i) => (
            <li key={a.action} id={`shift-action-${i}`} role="option" aria-selected={i === cursor} className={i === cursor ? 'active' : ''}>{a.label}</li>
          ))}
        </ul>
      )}
      {confirmClose && <p className="confirm" role="alert">{t('shiftPanel.confirmClose')}</p>}
      <p role="status">{busy ? t('shiftPanel.busy') : result ?? ''}</p>
      {lastDoc && (
        <p className="shift-document" data-testid="shift-document">
          {t('shiftPanel.lastDocument')} {t('done.fdNo')} <span data-testid="shift-document-number">{lastDoc.number}</span> · {t('done.fiscalSign')} {lastDoc.fiscalSign} · {dateTime(lastDoc.dateTime)}
        </p>
      )}
      {view === null && reported > 0 && <RefundTotalsView refreshKey={reported} />}
      {shownError && <ErrorBox error={shownError} />}
    </section>
  );
}
