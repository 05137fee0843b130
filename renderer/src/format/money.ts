import type { Currency, UiLanguage } from '../../../preload/contract';

/**
 * Money and quantities from integer minor units / thousandths, formatted by Intl without ever passing a
 * fractional Number through it: Intl formats BigInt integers exactly, and the fraction digits are cut
 * from the integer's decimal string. So 9 007 199 254 740 991 kopecks print to the last kopeck.
 */
const LOCALE: Record<Currency, string> = { RUB: 'ru-RU', UZS: 'uz-UZ' };
/** The UI's language: used where the engine lacks a currency's home locale. */
const FALLBACK_LOCALE = 'ru-RU';
/** Kopecks and tiyin: both currencies have two minor digits (ISO 4217). */
const MINOR_DIGITS = 2;
const QUANTITY_DIGITS = 3;

/**
 * Chromium's trimmed ICU data (Debian's build, and Chrome's own icudtl.dat that Electron ships) has no
 * Uzbek number patterns, yet claims uz-UZ in supportedLocalesOf and silently formats the English way
 * ("UZS 9,000.00"). A locale whose output equals en-US's has no data of its own; in a Russian UI the
 * Russian pattern ("9 000,00 UZS") then reads right.
 */
export function pickLocale(preferred: string, isSupported: (locale: string) => boolean): string {
  return isSupported(preferred) ? preferred : FALLBACK_LOCALE;
}
const resolved = new Map<Currency, string>();

export function localeFor(currency: Currency): string {
  let locale = resolved.get(currency);
  if (!locale) {
    const probe = (l: string) => new Intl.NumberFormat(l, { style: 'currency', currency }).format(1234567n);
    locale = pickLocale(LOCALE[currency], (l) => l.startsWith('en') || probe(l) !== probe('en-US'));
    resolved.set(currency, locale);
  }
  return locale;
}

interface Split { negative: boolean; whole: bigint; fraction: string }

function split(value: number, digits: number): Split {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const negative = value < 0;
  const digitsText = Math.abs(value).toString().padStart(digits + 1, '0');
  return {
    negative,
    whole: BigInt(digitsText.slice(0, digitsText.length - digits)),
    fraction: digitsText.slice(digitsText.length - digits),
  };
}

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(key: string, locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/**
 * The sign, currency symbol and separators come from formatting ±1 with the locale's pattern; the
 * grouped integer digits come from formatting the exact BigInt whole part; the fraction is ours.
 */
function assemble(pattern: Intl.NumberFormat, grouping: Intl.NumberFormat, { negative, whole, fraction }: Split): string {
  const groupedWhole = grouping.format(whole);
  return pattern
    .formatToParts(negative ? -1n : 1n)
    .map((part) => {
      if (part.type === 'integer') return groupedWhole;
      if (part.type === 'fraction') return fraction;
      if (part.type === 'decimal' && fraction === '') return '';
      return part.value;
    })
    .join('');
}

/** The sum's name in each UI language (Uzbek Latin writes oʻ with U+02BB). */
const UZS_UNIT: Record<UiLanguage, string> = { ru: 'сум', uz: 'soʻm' };
const NBSP = '\u00a0';

/**
 * Sums the way Uzbek tills show them (issue 15): "1 250 000 soʻm" / "1 250 000 сум", digits grouped by
 * three with (no-break) spaces, tiyin only when there are some ("1 250 000,50 soʻm"). Our own: no ICU
 * build has this, and Chromium's has no Uzbek at all.
 */
function formatSum(minor: number, language: UiLanguage): string {
  const { negative, whole, fraction } = split(minor, MINOR_DIGITS);
  const grouped = whole.toString().replace(/\B(?=(\d{3})+$)/g, NBSP);
  return `${negative ? '-' : ''}${grouped}${fraction === '00' ? '' : `,${fraction}`}${NBSP}${UZS_UNIT[language]}`;
}

export function formatMoney(minor: number, currency: Currency, language: UiLanguage = 'ru'): string {
  if (currency === 'UZS') return formatSum(minor, language);
  const locale = localeFor(currency);
  const pattern = formatter(`m:${currency}`, locale, {
    style: 'currency', currency, minimumFractionDigits: MINOR_DIGITS, maximumFractionDigits: MINOR_DIGITS,
  });
  const grouping = formatter(`g:${locale}`, locale, { maximumFractionDigits: 0 });
  return assemble(pattern, grouping, split(minor, MINOR_DIGITS));
}

/** 1000 → "1", 1500 → "1,5", 250 → "0,25": trailing zeros of the thousandths are dropped. */
export function formatQuantity(milli: number, currency: Currency): string {
  const locale = localeFor(currency);
  const parts = split(milli, QUANTITY_DIGITS);
  const fraction = parts.fraction.replace(/0+$/, '');
  const pattern = formatter(`q:${locale}`, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const grouping = formatter(`g:${locale}`, locale, { maximumFractionDigits: 0 });
  return assemble(fraction === '' ? grouping : pattern, grouping, { ...parts, fraction });
}

/**
 * Reads a quantity the cashier typed ("2", "0,25", "1.5") into thousandths, without floats.
 * Null when it is not a quantity with at most three decimals.
 */
export function parseQuantity(text: string): number | null {
  const m = /^(\d{1,9})(?:[.,](\d{0,3}))?$/.exec(text.trim());
  if (!m) return null;
  const whole = Number(m[1]);
  const fraction = Number((m[2] ?? '').padEnd(QUANTITY_DIGITS, '0'));
  return whole * 1000 + fraction;
}
