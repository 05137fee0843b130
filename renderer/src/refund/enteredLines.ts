import type { EnteredLine } from '../../../preload/contract';
import { parseQuantity } from '../format/money';

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

/** The line, or why it cannot be one (Russian, what to fix). */
export function checkDraft(d: DraftLine): { line: EnteredLine } | { problem: string } {
  if (d.name.trim() === '') return { problem: 'Введите наименование товара, как в чеке' };
  if (!/^\d{17}$/.test(d.icps)) return { problem: `ИКПУ — 17 цифр из чека, введено ${d.icps.length}` };
  const quantityMilli = parseQuantity(d.quantity);
  if (quantityMilli === null || quantityMilli === 0) return { problem: `Неверное количество: «${d.quantity}»` };
  const amountMinor = parseSum(d.sum);
  if (amountMinor === null || amountMinor === 0) return { problem: `Неверная сумма: «${d.sum}». Сумма строки из чека, например 9000 или 9000,50` };
  return { line: { name: d.name.trim(), icps: d.icps, quantityMilli, amountMinor, vat: d.vat } };
}
