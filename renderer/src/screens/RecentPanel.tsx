import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { SaleRef } from '../../../preload/contract';
import { useCall } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { formatWallTime, newestFirst, saleWallTime } from '../format/saleTime';
import { useLocale } from '../i18n/LocaleProvider';
import type { ShownKey } from '../keys/keyBar';

export const RECENT_KEYS = [{ key: '↑↓', label: 'recentPanel.keySale' }, { key: 'Enter', label: 'recentPanel.keyOpen' }] as const;
const DATE_KEYS = [{ key: '0–9', label: 'keybar.saleDate' }] as const;

const today = (timeZone: string | undefined) => new Date().toLocaleDateString('sv-SE', timeZone ? { timeZone } : {});

/**
 * Recent sales of a day, for a customer without a receipt: type the date, pick with arrows. Newest first,
 * times on the till's clock (`timeZone`: the till's setting; absent, the system's), each row in its own currency.
 */
export function RecentPanel({ onOpen, timeZone, onKeys }: { onOpen(ref: SaleRef): void; timeZone?: string | undefined; onKeys?(panel: 'recent', keys: readonly ShownKey[]): void }) {
  const recent = useCall('sales.recent');
  const { t, money } = useLocale();
  const { run } = recent;
  const [date, setDate] = useState(() => today(timeZone));
  const [cursor, setCursor] = useState(0);
  const sales = useMemo(
    () => newestFirst(recent.value ?? [], (s) => saleWallTime(s.createdAt, timeZone)).map((s) => ({ ...s, wall: saleWallTime(s.createdAt, timeZone) })),
    [recent.value, timeZone],
  );
  // The list's keys only while there is a list (issue 19 point 2); the date field always takes digits.
  const listed = Math.min(sales.length, 2);
  useEffect(() => onKeys?.('recent', listed === 0 ? DATE_KEYS : listed === 1 ? RECENT_KEYS.filter((k) => k.key === 'Enter') : RECENT_KEYS), [onKeys, listed]);

  useEffect(() => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) void run({ date, limit: 100 });
  }, [date, run]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => Math.max(0, Math.min(sales.length - 1, c + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const sale = sales[cursor];
      if (sale) onOpen(sale.ref);
    }
  };

  return (
    <section className="panel recent-panel" aria-labelledby="recent-title" onKeyDown={onKeyDown}>
      <h1 id="recent-title">{t('recentPanel.title')}</h1>
      <label htmlFor="recent-date">{t('recentPanel.date')}</label>
      <input id="recent-date" type="date" data-primary autoFocus value={date} onChange={(e) => { setDate(e.target.value); setCursor(0); }} />
      {recent.error && <ErrorBox error={recent.error} />}
      {recent.pending && <p role="status">{t('recentPanel.loading')}</p>}
      <ul className="recent-list" role="listbox" aria-label={t('recentPanel.listLabel')} aria-activedescendant={sales[cursor] ? `recent-${cursor}` : undefined}>
        {sales.map((s, i) => (
          <li key={`${s.ref.source}:${s.ref.id}`} id={`recent-${i}`} role="option" aria-selected={i === cursor} className={`${i === cursor ? 'active' : ''}${s.fullyRefunded ? ' done' : ''}`}>
            <span>№ {s.number}</span>
            <span className="sale-time">{formatWallTime(s.wall, s.createdAt)}</span>
            <span className="num" data-currency={s.currency}>{money(s.totalMinor, s.currency)}</span>
            <span>{s.fullyRefunded ? t('recentPanel.refunded') : ''}</span>
          </li>
        ))}
      </ul>
      {!recent.pending && recent.value && sales.length === 0 && <p>{t('recentPanel.none')}</p>}
    </section>
  );
}
