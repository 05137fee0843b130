import { useState, type KeyboardEvent } from 'react';

/**
 * The receipt-number field. A scanner types digits and Enter into it like a fast keyboard; a person
 * does the same slower. Focused whenever a new refund can start.
 */
export function SearchBox({ busy, onSearch, label, primary = true }: { busy: boolean; onSearch(query: string): void; label: string; primary?: boolean }) {
  const [query, setQuery] = useState('');
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const q = query.trim();
    if (q === '' || busy) return;
    onSearch(q);
    setQuery('');
  };
  return (
    <div className="search-box">
      <label htmlFor="receipt-query">{label}</label>
      <input
        id="receipt-query"
        data-primary={primary ? true : undefined}
        autoFocus={primary}
        autoComplete="off"
        spellCheck={false}
        aria-describedby="receipt-query-hint"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id="receipt-query-hint" className="hint">
        {busy ? 'Ищу продажу…' : 'Отсканируйте QR-код чека или введите номер чека или сделки и нажмите Enter'}
      </p>
    </div>
  );
}
