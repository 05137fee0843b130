import type { ErrorPayload, SaleRef } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { SearchBox } from '../components/SearchBox';
import type { SearchChoices } from '../refund/flow';
import { SalePickList } from './SalePickList';

export const SEARCH_KEYS = [{ key: 'Enter', label: 'Найти' }, { key: '↑↓', label: 'Выбор из списка' }] as const;


/** The start screen: the receipt-number field has focus the moment the app opens, or the pick list when a search found several. */
export function SearchScreen({ busy, error, lastQuery, choices, onSearch, onOpen }: {
  busy: boolean;
  error: ErrorPayload | undefined;
  lastQuery: string | null;
  choices: SearchChoices | null;
  onSearch(query: string): void;
  onOpen(ref: SaleRef): void;
}) {
  return (
    <section className="screen search-screen" aria-labelledby="search-title">
      <h1 id="search-title">Возврат: найдите продажу</h1>
      <SearchBox busy={busy} onSearch={onSearch} label="Номер чека или сделки, QR-код чека" primary={choices === null} />
      {choices && <SalePickList key={choices.query} query={choices.query} sales={choices.sales} onOpen={onOpen} />}
      {error && (
        <div data-testid="search-error">
          {lastQuery && <p className="searched">Искали: «{lastQuery}»</p>}
          <ErrorBox error={error} />
        </div>
      )}
      <p className="hint">Номер можно вводить в любой раскладке и без дефиса, или только цифры. F6 — последние продажи по дате. F1 — помощь.</p>
    </section>
  );
}
