/**
 * The till's time zone (issue 15): the setting, or the system's own when it is empty. A store in Tashkent
 * whose terminal clock runs on UTC sets 'Asia/Tashkent', and "today", REGOS receipt times and the journal
 * follow the store's day instead of the machine's.
 */
export function tillTimeZone(setting: string): string {
  return setting !== '' ? setting : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The zone's offset from UTC at `instant`, in minutes (Tashkent: +300). */
export function zoneOffsetMinutes(zone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock time without a zone ("2026-03-01 14:05:00", as REGOS VCR writes receipt times) read as
 * the time on the till's clock in `zone`. The offset is taken at the guessed instant and checked once
 * more, so a time next to a daylight-saving change still lands on the right hour.
 */
export function wallTimeToInstant(wall: { year: number; month: number; day: number; hour: number; minute: number; second: number }, zone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const first = asUtc - zoneOffsetMinutes(zone, new Date(asUtc)) * 60_000;
  return new Date(asUtc - zoneOffsetMinutes(zone, new Date(first)) * 60_000);
}

const VCR_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * REGOS VCR writes receipt times as "YYYY-MM-DD HH:MM:SS" without a zone (seed 003, Receipt.GetInfo): the
 * store's wall clock, where VCR runs. Read in the till's zone they become an instant ("…Z"), so a till whose
 * system clock is on UTC shows a Tashkent sale at its Tashkent time, not five hours off (issue 15).
 * Anything else is passed on as it came.
 */
export function vcrTimeToIso(dateTime: string | null | undefined, zone: string): string {
  const m = VCR_TIME.exec(dateTime ?? '');
  if (!m) return dateTime ?? '';
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return wallTimeToInstant({ year, month, day, hour, minute, second }, zone).toISOString();
}
