import type { Sale } from '../../preload/contract';
import type { StoredRefund } from './refundStore';
import { sumRefunded } from './refundableRemainder';

/**
 * Adds this terminal's refunds that the back end does not know yet to a sale as the back end described
 * it. A local refund the server already lists (its id is a session's external_id) is counted once, on
 * the server's side; every other one counts here, so an offline refund cannot be refunded again.
 */
export function withLocalRefunds(sale: Sale, local: readonly StoredRefund[], knownToServer: ReadonlySet<string>): Sale {
  const pending = local.filter((r) => !knownToServer.has(r.id));
  if (pending.length === 0) return sale;
  const byLine = sumRefunded(pending.flatMap((r) => r.lines));
  const byPart = new Map<string, number>();
  for (const t of pending.flatMap((r) => r.tenders)) byPart.set(t.paymentPartId, (byPart.get(t.paymentPartId) ?? 0) + t.amountMinor);
  return {
    ...sale,
    lines: sale.lines.map((l) => {
      const add = byLine.get(l.lineId);
      if (!add) return l;
      const refundedMilli = Math.min(l.quantityMilli, l.refundedMilli + add.quantityMilli);
      return {
        ...l,
        refundedMilli,
        refundedMinor: Math.min(l.amountMinor, l.refundedMinor + add.amountMinor),
        refundableMilli: l.quantityMilli - refundedMilli,
      };
    }),
    payments: sale.payments.map((p) => ({ ...p, refundedMinor: Math.min(p.amountMinor, p.refundedMinor + (byPart.get(p.paymentPartId) ?? 0)) })),
  };
}

/** Nothing of the sale is left to refund (as counted: `sale` with the local refunds on top). */
export const fullyRefunded = (sale: Sale): boolean => sale.lines.length > 0 && sale.lines.every((l) => l.refundableMilli === 0);

/**
 * The LIFE POS deal's payment_status after a refund of it (BACKENDS.md, LIFE POS API v6, deal status:
 * "After a refund set payment_status to Refunded or PartiallyRefunded"). Only ever asked once a refund
 * exists, so a sale that still shows nothing refunded (the refund not counted yet) is partly refunded,
 * never back to Paid.
 */
export const dealPaymentStatus = (sale: Sale): 'Refunded' | 'PartiallyRefunded' => (fullyRefunded(sale) ? 'Refunded' : 'PartiallyRefunded');
