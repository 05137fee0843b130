import { randomUUID } from 'node:crypto';
import { AppError } from '../appError';
import type { Sale, SaleRef, WithoutReceiptInput } from '../../preload/contract';

/** The pseudo-sale of a refund without a receipt is this till's own ('local'), never a back end's sale. */
const ID_PREFIX = 'noreceipt-';

export function isWithoutReceipt(ref: SaleRef): boolean {
  return ref.source === 'local' && ref.id.startsWith(ID_PREFIX);
}

/**
 * The typed lines as a sale of their own, refunded whole (issue 14 point 5). It is printed by this till's
 * printer like a local sale (main/refunds/README.md, "Refund without a receipt"): nothing goes to LIFE POS
 * or LIFE PAY, which have no sale to hang it on. A REGOS-only till is refused: a VCR refund receipt must
 * carry the sale receipt's RefundInfo (../backends/README.md, "RefundInfo"), and there is none.
 */
export function withoutReceiptSale(input: WithoutReceiptInput, till: { currency: Sale['currency']; regosOnly: boolean; now: Date }): Sale {
  if (till.regosOnly) {
    throw new AppError({
      code: 'refund.without_receipt_regos', retry: 'permanent',
      message: 'Возврат без чека на кассе REGOS невозможен: REGOS VCR возвращает только продажу по её чеку. Попросите у покупателя чек или оформите возврат в бэк-офисе.',
    });
  }
  const id = `${ID_PREFIX}${randomUUID()}`;
  const lines = input.lines.map((l, i) => {
    const amountMinor = Math.round((l.priceMinor * l.quantityMilli) / 1000);
    return {
      lineId: `${id}:${i}`, name: l.name, priceMinor: l.priceMinor, quantityMilli: l.quantityMilli, amountMinor, vat: l.vat,
      paymentMethod: l.paymentMethod, itemSign: l.itemSign, refundedMilli: 0, refundedMinor: 0, refundableMilli: l.quantityMilli,
    };
  });
  const totalMinor = lines.reduce((s, l) => s + l.amountMinor, 0);
  if (totalMinor <= 0) throw new AppError({ code: 'refund.zero_total', retry: 'permanent', message: 'Сумма возврата без чека — ноль: проверьте цену и количество.' });
  return {
    ref: { source: 'local', id },
    number: 'без чека',
    createdAt: till.now.toISOString(),
    currency: till.currency,
    totalMinor,
    lines,
    payments: [{ paymentPartId: `${id}:${input.payment}`, kind: input.payment, amountMinor: totalMinor, refundedMinor: 0 }],
    remainderFromLocalOnly: false,
  };
}
