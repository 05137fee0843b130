import type { BackendName, PrinterState, VatRate } from '../../../preload/contract';
import type { Translate } from '../i18n/catalogue';

export const BACKEND_LABEL: Record<BackendName, string> = { lifepos: 'LIFE POS', lifepay: 'LIFE PAY', regos: 'REGOS' };

/** States that need the cashier's hands on the printer. */
export const printerNeedsAction = (p: PrinterState): boolean =>
  p.state === 'paperOut' || p.state === 'coverOpen' || p.state === 'offline' || p.state === 'error';

/** "5 ч 12 мин" / "5 soat 12 daq" for how long a shift has been open or a job has waited. */
export function durationText(t: Translate, ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? t('duration.hoursMinutes', { h, m }) : t('duration.minutes', { m });
}

/** VAT rates as a Russian receipt names them (tag 1199). */
export const VAT_LABEL: Record<VatRate, string> = {
  none: 'без НДС', vat0: 'НДС 0 %', vat5: 'НДС 5 %', vat7: 'НДС 7 %', vat10: 'НДС 10 %', vat12: 'НДС 12 %', vat15: 'НДС 15 %',
  vat20: 'НДС 20 %', vat22: 'НДС 22 %', vat105: 'НДС 5/105', vat107: 'НДС 7/107', vat110: 'НДС 10/110',
  vat120: 'НДС 20/120', vat122: 'НДС 22/122',
};
