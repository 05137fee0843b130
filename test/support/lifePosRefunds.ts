import type { NewReversalSession } from '../../main/backends/lifepos/schemas';

/** The demo LIFE POS seed's cash basket (deal А-1001): its deal and its sale session. */
export const DEAL_CASH = '6f1c2a10-0001-4a8e-9d01-000000000001';
export const SALE_CASH = '5e5510e0-0001-4000-8000-000000000001';

/** Returning one of the two bottles of milk of the cash basket, paid in cash (kopecks, thousandths). */
export function milkRefund(externalId: string, totalMinor = 8990): NewReversalSession {
  const amount = { value: totalMinor, currency: 'RUB' };
  return {
    external_id: externalId,
    positions: [{ position_guid: 'p-1001-1', quantity: 1000, total_sum: amount }],
    payment_parts: [{
      type_of: 'Cash', amount,
      primary_payment_part: { guid: 'pp-1001-cash', type_of: 'Cash' },
      primary_sale_session: { guid: SALE_CASH, type_of: 'Sale' },
    }],
  };
}
