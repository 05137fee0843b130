import type { ErrorPayload } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { SearchBox } from '../components/SearchBox';

export const SEARCH_KEYS = [{ key: 'Enter', label: 'Найти' }] as const;

/** The start screen: the receipt-number field has focus the moment the app opens. */
export function SearchScreen({ busy, error, lastQuery, onSearch }: {
  busy: boolean;
  error: ErrorPayload | undefined;
  lastQuery: string | null;
  onSearch(query: string): void;
}) {
  return (
    <section className="screen search-screen" aria-labelledby="search-title">
      <h1 id="search-title">Возврат: найдите продажу</h1>
      <SearchBox busy={busy} onSearch={onSearch} label="Номер чека или сделки" />
      {error && (
        <div data-testid="search-error">
          {lastQuery && <p className="searched">Искали: «{lastQuery}»</p>}
          <ErrorBox error={error} />
        </div>
      )}
      <p className="hint">F6 — последние продажи по дате. F1 — помощь.</p>
    </section>
  );
}
