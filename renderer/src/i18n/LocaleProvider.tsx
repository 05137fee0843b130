import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import type { Currency, ErrorPayload, UiLanguage } from '../../../preload/contract';
import { formatDate, formatDateTime, isoDay } from '../format/dateTime';
import { formatMoney, formatQuantity } from '../format/money';
import { translator, type Translate } from './catalogue';
import { errorText } from './errorTexts';

/** Everything a screen needs to speak the till's language and show its money and times. */
export interface Locale {
  language: UiLanguage;
  t: Translate;
  money(minor: number, currency: Currency): string;
  quantity(milli: number, currency: Currency): string;
  /** "01.03.2025 15:04" in the till's time zone. */
  dateTime(iso: string): string;
  date(iso: string): string;
  /** Today in the till's time zone, "2025-03-01". */
  today(): string;
  error(e: ErrorPayload): { message: string; original?: string };
}

/** `timeZone` undefined: the engine's own (the system's). */
export function makeLocale(language: UiLanguage, timeZone: string | undefined): Locale {
  return {
    language,
    t: translator(language),
    money: (minor, currency) => formatMoney(minor, currency, language),
    quantity: (milli, currency) => formatQuantity(milli, currency),
    dateTime: (iso) => formatDateTime(iso, timeZone),
    date: (iso) => formatDate(iso, timeZone),
    today: () => isoDay(new Date(), timeZone),
    error: (e) => errorText(e, language),
  };
}

/** Russian on the system's zone until the first app.status says otherwise (and in tests without a provider). */
const LocaleContext = createContext<Locale>(makeLocale('ru', undefined));

export function LocaleProvider({ language, timeZone, children }: { language: UiLanguage; timeZone: string | undefined; children: ReactNode }) {
  const locale = useMemo(() => makeLocale(language, timeZone), [language, timeZone]);
  // Screen readers and the browser's hyphenation read the page in the cashier's language.
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}
