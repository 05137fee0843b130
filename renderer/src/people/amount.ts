/** An amount typed by the cashier ("5000", "5000,5", "5 000,00") in minor units, or null when it is not one. */
export function parseAmount(text: string): number | null {
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
