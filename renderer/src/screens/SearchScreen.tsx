import type { ErrorPayload, SaleRef } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { SearchBox } from '../components/SearchBox';
import type { SearchChoices } from '../refund/flow';
import { useLocale } from '../i18n/LocaleProvider';
import { SalePickList } from './SalePickList';

export const SEARCH_KEYS = [{ key: 'Enter', label: 'keys.find' }, { key: '↑↓', label: 'keys.pickFromList' }, { key: 'Insert', label: 'keys.withoutReceipt' }] as const;


/** The start screen: the receipt-number field has focus the moment the app opens, or the pick list when a search found several. */
export function SearchScreen({ busy, error, lastQuery, choices, onSearch, onOpen, onText }: {
  busy: boolean;
  error: ErrorPayload | undefined;
  lastQuery: string | null;
  choices: SearchChoices | null;
  onSearch(query: string): void;
  onOpen(ref: SaleRef): void;
  onText?(hasText: boolean): void;
}) {
  const { t } = useLocale();
  return (
    <section className="screen search-screen" aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <SearchBox busy={busy} onSearch={onSearch} label={t('search.label')} primary={choices === null} onText={onText} />
      {choices && <SalePickList key={choices.query} query={choices.query} sales={choices.sales} onOpen={onOpen} />}
      {error && (
        <div data-testid="search-error">
          {lastQuery && <p className="searched">{t('search.searched', { query: lastQuery })}</p>}
          <ErrorBox error={error} />
        </div>
      )}
      <p className="hint">{t('search.footer')}</p>
    </section>
  );
}
