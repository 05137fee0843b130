/**
 * Sale times as the till's clock reads them (issue 19 point 5). A time with an offset ("…Z", "+03:00")
 * is an instant: it is shown in the till's zone, so a sale made in another zone is never in the future.
 * A time without one ("2026-03-01T14:05:00", as REGOS VCR writes it) is already a wall-clock time and is
 * shown as written. Both become the same sortable "YYYY-MM-DD HH:MM:SS" wall string.
 */
const HAS_OFFSET = /(Z|[+-]\d\d:?\d\d)$/i;
const WALL = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d))?/;

export function saleWallTime(createdAt: string, timeZone: string | undefined): string | null {
  if (HAS_OFFSET.test(createdAt)) {
    const instant = new Date(createdAt);
    if (Number.isNaN(instant.getTime())) return null;
    const parts = new Intl.DateTimeFormat('en-US', {
      ...(timeZone ? { timeZone } : {}), hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(instant);
    const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '00';
    return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')}`;
  }
  const m = WALL.exec(createdAt);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}` : null;
}

/** "01.03.2026 14:05" (as format/dateTime.ts writes times) from a wall string; what cannot be read is shown as the back end wrote it. */
export function formatWallTime(wall: string | null, raw: string): string {
  const m = wall ? WALL.exec(wall) : null;
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : raw;
}

/** Newest first; a time that cannot be read goes last rather than pretending to be a date. */
export function newestFirst<T>(items: readonly T[], wallOf: (item: T) => string | null): T[] {
  return items
    .map((item) => ({ item, wall: wallOf(item) ?? '' }))
    .sort((a, b) => (a.wall === b.wall ? 0 : a.wall < b.wall ? 1 : -1))
    .map((x) => x.item);
}
