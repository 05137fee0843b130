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

/** VAT rates as a receipt names them (tag 1199; QQS in Uzbek): "НДС 20 %", "НДС 20/120", "без НДС". */
const VAT_RATE_TEXT: Record<VatRate, string | null> = {
  none: null, vat0: '0 %', vat5: '5 %', vat7: '7 %', vat10: '10 %', vat12: '12 %', vat15: '15 %', vat20: '20 %', vat22: '22 %',
  vat105: '5/105', vat107: '7/107', vat110: '10/110', vat120: '20/120', vat122: '22/122',
};
export function vatLabel(t: Translate, rate: VatRate): string {
  const text = VAT_RATE_TEXT[rate];
  return text === null ? t('vat.none') : t('vat.rate', { rate: text });
}
