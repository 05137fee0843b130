import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { SaleRef, SaleSummary } from '../../../preload/contract';
import { useLocale } from '../i18n/LocaleProvider';

/**
 * Several sales answer the query (digits only, a QR whose back end keeps no fiscal numbers): the cashier
 * compares time and total with the customer's receipt and picks one with the arrows and Enter. Focus
 * starts here; Esc goes back to the search field.
 */
export function SalePickList({ query, sales, onOpen }: { query: string; sales: readonly SaleSummary[]; onOpen(ref: SaleRef): void }) {
  const { t, money, dateTime } = useLocale();
  const [cursor, setCursor] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  // React's autoFocus covers form fields only; the list takes focus itself when it appears.
  useEffect(() => listRef.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => Math.max(0, Math.min(sales.length - 1, c + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      setCursor(e.key === 'Home' ? 0 : sales.length - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const sale = sales[cursor];
      if (sale) onOpen(sale.ref);
    }
  };
  return (
    <div className="pick-list" data-testid="sale-choices">
      <h2 id="choices-title">{t('pick.title', { query, count: sales.length })}</h2>
      <ul
        className="recent-list"
        role="listbox"
        ref={listRef}
        tabIndex={0}
        data-primary
        aria-labelledby="choices-title"
        aria-activedescendant={`choice-${cursor}`}
        onKeyDown={onKeyDown}
      >
        {sales.map((s, i) => (
          <li key={`${s.ref.source}:${s.ref.id}`} id={`choice-${i}`} role="option" aria-selected={i === cursor} className={`${i === cursor ? 'active' : ''}${s.fullyRefunded ? ' done' : ''}`}>
            <span>№ {s.number}</span>
            <span>{dateTime(s.createdAt)}</span>
            <span className="num">{money(s.totalMinor, s.currency)}</span>
            <span>{t(`source.${s.ref.source}`)}{s.fullyRefunded ? t('pick.refunded') : ''}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
