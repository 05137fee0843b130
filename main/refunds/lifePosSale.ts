import type { Deal, Session } from '../backends/lifepos/schemas';
import { SESSION_TYPE } from '../backends/lifepos/schemas';
import { AppError } from '../appError';
import { Currency, type Sale, type SalePayment } from '../../preload/contract';
import { sumRefunded, type LineRefunded } from './refundableRemainder';
import { tenderKindOfLifePosPart } from './tenderKinds';

/**
 * A LIFE POS deal and its sessions as the refund screen's Sale. What was sold comes from the deal's
 * positions and its sale sessions' payment parts; what was refunded, from its reversal sessions.
 */

/**
 * An archived reversal session no longer shows in accounting, but if it carries a fiscal receipt the
 * money did go back: it still counts. One archived before fiscalization gave nothing back.
 */
export function reversalCounts(s: Session): boolean {
  return s.type_of === SESSION_TYPE.reversal && (!s.archived || s.receipt != null);
}

export interface ServerRefunds {
  byLine: Map<string, LineRefunded>;
  byPaymentPart: Map<string, number>;
  /** Our own refund ids already on the server (the sessions' external_id). */
  externalIds: Set<string>;
}

export function serverRefunds(sessions: readonly Session[]): ServerRefunds {
  const counted = sessions.filter(reversalCounts);
  const byPaymentPart = new Map<string, number>();
  for (const s of counted) {
    for (const p of s.payment_parts) {
      const primary = p.primary_payment_part?.guid;
      if (primary) byPaymentPart.set(primary, (byPaymentPart.get(primary) ?? 0) + p.amount.value);
    }
  }
  return {
    byLine: sumRefunded(counted.flatMap((s) => s.positions.map((p) => ({ lineId: p.position_guid, quantityMilli: p.quantity, amountMinor: p.total_sum.value })))),
    byPaymentPart,
    externalIds: new Set(counted.flatMap((s) => (s.external_id ? [s.external_id] : []))),
  };
}

export function saleFromDeal(deal: Deal, sessions: readonly Session[], refunded: ServerRefunds): Omit<Sale, 'remainderFromLocalOnly'> {
  const payments: SalePayment[] = sessions
    .filter((s) => s.type_of === SESSION_TYPE.sale && !s.archived)
    .flatMap((s) => s.payment_parts.filter((p) => p.status !== 'Draft').map((p) => {
      const rrn = p.transactions.find((t) => t.rrn)?.rrn;
      return {
        paymentPartId: p.guid,
        saleSessionId: s.guid,
        kind: tenderKindOfLifePosPart(p.type_of),
        typeOf: p.type_of,
        amountMinor: p.amount.value,
        refundedMinor: refunded.byPaymentPart.get(p.guid) ?? 0,
        // The acquiring RRN of the sale: the RRN field refuses it for the refund (issue 13 point 5).
        ...(rrn ? { rrn } : {}),
      };
    }));
  return {
    ref: { source: 'lifepos', id: deal.guid },
    number: deal.number,
    createdAt: deal.created_at,
    currency: saleCurrency(deal),
    totalMinor: deal.total_sum.value,
    lines: deal.positions.map((p) => {
      const done = refunded.byLine.get(p.guid) ?? { quantityMilli: 0, amountMinor: 0 };
      return {
        lineId: p.guid,
        name: p.name,
        ...(p.barcode ? { barcode: p.barcode } : {}),
        priceMinor: p.sale_price.value,
        quantityMilli: p.quantity,
        amountMinor: p.total_sum.value,
        vat: p.tax,
        paymentMethod: p.payment_method,
        itemSign: p.item_sign,
        refundedMilli: Math.min(p.quantity, done.quantityMilli),
        refundedMinor: Math.min(p.total_sum.value, done.amountMinor),
        refundableMilli: Math.max(0, p.quantity - done.quantityMilli),
        ...(p.marking_codes ? { marking: { codes: p.marking_codes } } : {}),
      };
    }),
    payments,
  };
}

/**
 * The deal's currency as LIFE POS states it (BACKENDS.md: "amount {value, currency}"), never assumed.
 * A deal whose amounts disagree, or in a currency this till does not refund in, is refused in words.
 */
export function saleCurrency(deal: Deal): Currency {
  const codes = new Set([deal.total_sum.currency, ...deal.positions.map((p) => p.total_sum.currency)]);
  const [code] = codes;
  const parsed = Currency.safeParse(code);
  if (codes.size !== 1 || !parsed.success) {
    throw new AppError({
      code: 'sale.currency',
      message: `Продажа ${deal.number} в валюте ${[...codes].join(', ')}: такой возврат касса не оформляет. Оформите его в LIFE POS.`,
      retry: 'permanent',
      detail: deal.guid,
    });
  }
  return parsed.data;
}
