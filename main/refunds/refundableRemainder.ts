import { AppError } from '../appError';
import { quantityText } from '../decimalText';
import type { RefundLine, RefundLineRequest, SaleLine } from '../../preload/contract';

/**
 * What is left to refund on each line, and the money a partial refund of it is worth.
 *
 * A line's remaining money is its printed total minus every refund already taken from it (server-side
 * reversal sessions and this terminal's refunds not yet synced). A partial refund takes the share of the
 * remaining money that its quantity is of the remaining quantity, rounded half up; refunding the whole
 * remaining quantity takes exactly the remaining money. So however a line is split across refunds the
 * parts add up to its total to the kopeck: nothing is created, nothing is lost.
 */
export interface LineRefunded {
  quantityMilli: number;
  amountMinor: number;
}

export interface SoldLine {
  lineId: string;
  quantityMilli: number;
  amountMinor: number;
}

export function remainingOf(line: SoldLine, refunded: LineRefunded): LineRefunded {
  return {
    quantityMilli: Math.max(0, line.quantityMilli - refunded.quantityMilli),
    amountMinor: Math.max(0, line.amountMinor - refunded.amountMinor),
  };
}

/** Share of the remaining money for `quantityMilli` of the remaining quantity, half up, in exact integers. */
export function partialAmount(remaining: LineRefunded, quantityMilli: number): number {
  if (quantityMilli === remaining.quantityMilli) return remaining.amountMinor;
  const num = 2n * BigInt(remaining.amountMinor) * BigInt(quantityMilli) + BigInt(remaining.quantityMilli);
  return Number(num / (2n * BigInt(remaining.quantityMilli)));
}

/** Sums what each line has already given back, from any number of refund records. */
export function sumRefunded(records: Iterable<{ lineId: string; quantityMilli: number; amountMinor: number }>): Map<string, LineRefunded> {
  const out = new Map<string, LineRefunded>();
  for (const r of records) {
    const prev = out.get(r.lineId) ?? { quantityMilli: 0, amountMinor: 0 };
    out.set(r.lineId, { quantityMilli: prev.quantityMilli + r.quantityMilli, amountMinor: prev.amountMinor + r.amountMinor });
  }
  return out;
}


/**
 * Turns the cashier's choice into priced refund lines, refusing anything above the remainder with a
 * message that names the line and what is left.
 */
export function priceRefundLines(saleLines: readonly SaleLine[], requested: readonly RefundLineRequest[]): RefundLine[] {
  const seen = new Set<string>();
  return requested.map((req) => {
    if (seen.has(req.lineId)) {
      throw new AppError({ code: 'refund.duplicate_line', message: 'Одна и та же позиция указана дважды' });
    }
    seen.add(req.lineId);
    const line = saleLines.find((l) => l.lineId === req.lineId);
    if (!line) throw new AppError({ code: 'refund.unknown_line', message: 'Позиции нет в этой продаже', detail: req.lineId });
    if (line.vat === null) {
      throw new AppError({
        code: 'refund.no_vat_rate',
        message: `«${line.name}»: в данных продажи нет ставки НДС. Возврат печатается по ставке исходного чека, угадывать её нельзя. Верните эту позицию через кассу, где была продажа, или попросите администратора указать ставку в учётной системе.`,
        detail: `sale line ${line.lineId} has no VAT rate`,
      });
    }
    const remaining = remainingOf(line, { quantityMilli: line.refundedMilli, amountMinor: line.refundedMinor });
    if (req.quantityMilli > remaining.quantityMilli) {
      throw new AppError({
        code: 'refund.over_refund',
        message: remaining.quantityMilli === 0
          ? `«${line.name}»: уже возвращено полностью`
          : `«${line.name}»: можно вернуть не больше ${quantityText(remaining.quantityMilli)}`,
      });
    }
    return {
      lineId: line.lineId,
      name: line.name,
      quantityMilli: req.quantityMilli,
      amountMinor: partialAmount(remaining, req.quantityMilli),
      vat: line.vat,
      paymentMethod: line.paymentMethod,
      itemSign: line.itemSign,
    };
  });
}
