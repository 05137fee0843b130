/**
 * Dates as both languages write them on a till: dd.mm.yyyy and 24-hour HH:MM, in the till's time zone
 * (the setting, or the system's when it is undefined). Built from Intl's numeric parts, which every
 * engine's ICU has (Chromium's trimmed data has no Uzbek date patterns, issue 15).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function numericParts(d: Date, timeZone: string | undefined): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    formatters.set(key, f);
  }
  const parts = f.formatToParts(d);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

const parse = (iso: string): Date | null => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "01.03.2025 15:04"; a text that is not a time is shown as it came. */
export function formatDateTime(iso: string, timeZone: string | undefined): string {
  const d = parse(iso);
  if (!d) return iso;
  const p = numericParts(d, timeZone);
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** "01.03.2025". */
export function formatDate(iso: string, timeZone: string | undefined): string {
  const d = parse(iso);
  if (!d) return iso;
  const p = numericParts(d, timeZone);
  return `${p.day}.${p.month}.${p.year}`;
}

/** The calendar day at `now` in the zone, as the contract's dates are written: "2025-03-01". */
export function isoDay(now: Date, timeZone: string | undefined): string {
  const p = numericParts(now, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}
