import { useEffect, useState, type KeyboardEvent } from 'react';
import { useLocale } from '../i18n/LocaleProvider';

/**
 * The receipt-number field. A scanner types digits and Enter into it like a fast keyboard; a person
 * does the same slower. Focused whenever a new refund can start.
 */
export function SearchBox({ busy, onSearch, label, primary = true, onText }: {
  busy: boolean;
  onSearch(query: string): void;
  label: string;
  primary?: boolean;
  /** Whether the field holds text: Esc clears it, so the key bar offers Esc. */
  onText?(hasText: boolean): void;
}) {
  const { t } = useLocale();
  const [query, setQuery] = useState('');
  // Enter on an empty field says what it wants instead of doing nothing (issue 19 point 2).
  const [askedEmpty, setAskedEmpty] = useState(false);
  const hasText = query !== '';
  useEffect(() => onText?.(hasText), [onText, hasText]);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && hasText) {
      e.preventDefault();
      setQuery('');
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const q = query.trim();
    if (busy) return;
    if (q === '') return setAskedEmpty(true);
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
        onChange={(e) => { setQuery(e.target.value); setAskedEmpty(false); }}
        onKeyDown={onKeyDown}
      />
      <p id="receipt-query-hint" className={askedEmpty ? 'hint hint-asked' : 'hint'} role="status">
        {busy ? t('search.busy') : askedEmpty ? t('search.emptyAsked') : t('search.hint')}
      </p>
    </div>
  );
}
