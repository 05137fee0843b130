import type { EnteredLine } from '../../../preload/contract';
import { parseQuantity } from '../format/money';
import type { Translate } from '../i18n/catalogue';

/** One line as the cashier types it from the paper receipt, before it is checked. */
export interface DraftLine {
  name: string;
  icps: string;
  quantity: string;
  sum: string;
  vat: EnteredLine['vat'];
}

export const emptyDraft: DraftLine = { name: '', icps: '', quantity: '1', sum: '', vat: 'vat12' };

/** "9 000", "9000,50", "9000.5" sum → tiyin; null when it is not an amount with at most two decimals. */
export function parseSum(text: string): number | null {
  const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** The line, or why it cannot be one (what to fix, in the UI's language). */
export function checkDraft(d: DraftLine, t: Translate): { line: EnteredLine } | { problem: string } {
  if (d.name.trim() === '') return { problem: t('entry.noName') };
  if (!/^\d{17}$/.test(d.icps)) return { problem: t('entry.badIcps', { typed: d.icps.length }) };
  const quantityMilli = parseQuantity(d.quantity);
  if (quantityMilli === null || quantityMilli === 0) return { problem: t('entry.badQuantity', { text: d.quantity }) };
  const amountMinor = parseSum(d.sum);
  if (amountMinor === null || amountMinor === 0) return { problem: t('entry.badSum', { text: d.sum }) };
  return { line: { name: d.name.trim(), icps: d.icps, quantityMilli, amountMinor, vat: d.vat } };
}
