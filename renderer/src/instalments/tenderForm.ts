import type { InstalmentPayInput, InstalmentTender, SaleRef } from '../../../preload/contract';

/** What the cashier typed on the instalment screen, as typed. Sums are in sum (UZS), not tiyin. */
export interface TenderForm {
  amount: string;
  cash: string;
  terminal1: string;
  rrn1: string;
  card1: 'personal' | 'corporate';
  terminal2: string;
  rrn2: string;
  card2: 'personal' | 'corporate';
  phone: string;
}

export const emptyTenderForm: TenderForm = {
  amount: '', cash: '', terminal1: '', rrn1: '', card1: 'personal', terminal2: '', rrn2: '', card2: 'personal', phone: '',
};

const SUM = /^(\d{1,12})(?:[.,](\d{1,2}))?$/;

/** "500 000" or "500000,50" sum as tiyin; blank is 0; anything else null. */
export function parseSumToTiyin(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return 0;
  const m = SUM.exec(t);
  if (!m?.[1]) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/**
 * The pay request, or the first thing the cashier must fix, in Russian. The amount defaults to the sum
 * of the tenders typed; with one tender only the amount, the whole amount is cash.
 */
export function payInput(form: TenderForm, sale: SaleRef, paymentId: string): { input: InstalmentPayInput } | { problem: string } {
  const amount = parseSumToTiyin(form.amount);
  const cash = parseSumToTiyin(form.cash);
  const t1 = parseSumToTiyin(form.terminal1);
  const t2 = parseSumToTiyin(form.terminal2);
  if (amount === null || cash === null || t1 === null || t2 === null) return { problem: 'Суммы вводятся цифрами, копейки (тийины) — через запятую: 500000 или 500000,50.' };
  if (amount <= 0) return { problem: 'Введите принятую сумму.' };
  const tenders: InstalmentTender[] = [];
  const onlyAmount = cash === 0 && t1 === 0 && t2 === 0;
  if (cash > 0 || onlyAmount) tenders.push({ kind: 'cash', amountMinor: onlyAmount ? amount : cash });
  for (const [value, rrn, card, n] of [[t1, form.rrn1, form.card1, 1], [t2, form.rrn2, form.card2, 2]] as const) {
    if (value === 0) continue;
    if (!/^\d{12}$/.test(rrn.trim())) return { problem: `Терминал ${n}: RRN — 12 цифр с чека терминала.` };
    tenders.push({ kind: 'terminal', amountMinor: value, rrn: rrn.trim(), cardType: card });
  }
  const paid = tenders.reduce((s, t) => s + t.amountMinor, 0);
  if (paid !== amount) return { problem: 'Наличные и оплаты по терминалу вместе должны равняться принятой сумме.' };
  const phone = form.phone.replace(/\D/g, '');
  if (phone !== '' && !/^\d{9,15}$/.test(phone)) return { problem: 'Телефон — от 9 до 15 цифр с кодом страны, например 998918935861.' };
  return { input: { paymentId, sale, amountMinor: amount, tenders, ...(phone ? { phone } : {}) } };
}
