import { useEffect, useState, type KeyboardEvent } from 'react';
import type { SaleRef } from '../../../preload/contract';
import { useCall } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { formatDateTime } from '../format/labels';
import { formatMoney } from '../format/money';

export const RECENT_KEYS = [{ key: '↑↓', label: 'Продажа' }, { key: 'Enter', label: 'Открыть' }] as const;

const today = () => new Date().toLocaleDateString('sv-SE');

/** Recent sales of a day, for a customer without a receipt: type the date, pick with arrows. */
export function RecentPanel({ onOpen }: { onOpen(ref: SaleRef): void }) {
  const recent = useCall('sales.recent');
  const { run } = recent;
  const [date, setDate] = useState(today);
  const [cursor, setCursor] = useState(0);
  const sales = recent.value ?? [];

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
      <h1 id="recent-title">Последние продажи</h1>
      <label htmlFor="recent-date">Дата продажи</label>
      <input id="recent-date" type="date" data-primary autoFocus value={date} onChange={(e) => { setDate(e.target.value); setCursor(0); }} />
      {recent.error && <ErrorBox error={recent.error} />}
      {recent.pending && <p role="status">Загружаю…</p>}
      <ul className="recent-list" role="listbox" aria-label="Продажи за день" aria-activedescendant={sales[cursor] ? `recent-${cursor}` : undefined}>
        {sales.map((s, i) => (
          <li key={`${s.ref.source}:${s.ref.id}`} id={`recent-${i}`} role="option" aria-selected={i === cursor} className={`${i === cursor ? 'active' : ''}${s.fullyRefunded ? ' done' : ''}`}>
            <span>№ {s.number}</span>
            <span>{formatDateTime(s.createdAt)}</span>
            <span className="num">{formatMoney(s.totalMinor, s.currency)}</span>
            <span>{s.fullyRefunded ? 'возвращена' : ''}</span>
          </li>
        ))}
      </ul>
      {!recent.pending && recent.value && sales.length === 0 && <p>За этот день продаж нет.</p>}
    </section>
  );
}
