/**
 * A calendar day as the till's clock sees it. Sales are stamped in UTC (LIFE POS) or in the shop's local
 * time without a zone (REGOS); a cashier asking for "today" means the till's local day, so a sale at
 * 01:30 Moscow time is today's, not yesterday's in UTC.
 */
export function localDayBounds(date: string): { createdFrom: string; createdTo: string } {
  const start = new Date(`${date}T00:00:00`);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  return { createdFrom: start.toISOString(), createdTo: new Date(end.getTime() - 1).toISOString() };
}

/** The local calendar day (YYYY-MM-DD) of a timestamp; one without a zone is read as local time. */
export function localDayOf(timestamp: string): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return timestamp.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
