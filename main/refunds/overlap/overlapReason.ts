import { minorText, quantityText } from '../../decimalText';
import type { MainText } from '../../../preload/contract/mainText';
import type { OverlapRefund } from '../../../preload/contract/overlaps';
import type { FoundOverlap } from './overRefund';

/** "01.12.2026 14:05" from an ISO time, as the back end wrote it (no time zone guessing). */
const when = (iso: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : iso;
};

const money = (r: OverlapRefund): string => `${minorText(r.totalMinor)} ${r.currency === 'RUB' ? '₽' : 'сум'}`;

const who = (r: OverlapRefund): string => {
  if (r.thisTill) return 'эта касса';
  const till = r.till ? `касса с ФН № ${r.till}` : 'другая касса';
  return r.fiscalDocumentNumber !== null ? `${till}, чек ФД № ${r.fiscalDocumentNumber}` : till;
};

/**
 * The cashier's and the senior cashier's words for an overlap (shown in F4 as the refund's reason): what
 * was sold and refunded, every refund with its till, time and amount, and what to do now. Both receipts
 * were printed and stand; nothing is undone by the program.
 */
export function overlapReason(saleNumber: string, o: FoundOverlap): string {
  const lines = o.lines.map((l) => `«${l.name}»: продано ${quantityText(l.soldMilli)}, возвращено ${quantityText(l.refundedMilli)}`).join('; ');
  const refunds = o.refunds.map((r) => `${who(r)} — ${when(r.at)}, ${money(r)}`).join('; ');
  const text = `Продажа ${saleNumber} возвращена больше, чем продано (возвраты на разных кассах без связи): ${lines}. `
    + `Возвраты: ${refunds}. Оба чека напечатаны и остаются в силе; возврат этой кассы записан в LIFE POS. `
    + 'Старшему кассиру: проверьте, не выданы ли деньги дважды, и решите это в LIFE POS. Повторно ничего не пробивайте.';
  // The contract's text limit; the full list stays in refunds.overlaps.
  return text.length <= 2000 ? text : `${text.slice(0, 1990)}…`;
}

/** The same facts as a code with values, said in the UI's language (its first 50 lines and refunds, as the text's limit cuts it). */
export function overlapText(saleNumber: string, o: FoundOverlap): Extract<MainText, { code: 'overlap.flagged' }> {
  return {
    code: 'overlap.flagged',
    params: {
      saleNumber,
      lines: o.lines.slice(0, 50).map((l) => ({ name: l.name, soldMilli: l.soldMilli, refundedMilli: l.refundedMilli })),
      refunds: o.refunds.slice(0, 50).map((r) => ({ thisTill: r.thisTill, till: r.till, fd: r.fiscalDocumentNumber, at: when(r.at), totalMinor: r.totalMinor, currency: r.currency })),
    },
  };
}
