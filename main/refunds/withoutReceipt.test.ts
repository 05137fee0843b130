import { describe, expect, it } from 'vitest';
import { AppError } from '../appError';
import type { ManualLine } from '../../preload/contract';
import { isWithoutReceipt, withoutReceiptSale } from './withoutReceipt';

const line: ManualLine = { name: 'Сыр, кг', priceMinor: 99_999, quantityMilli: 333, vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods' };
const till = { currency: 'RUB' as const, regosOnly: false, now: new Date('2026-12-01T10:00:00Z') };

describe('the pseudo-sale of a refund without a receipt', () => {
  it('prices each typed line to the kopeck, is paid whole by the chosen tender, and is this till\'s own', () => {
    const sale = withoutReceiptSale({ lines: [line, { ...line, quantityMilli: 2000 }], payment: 'card' }, till);
    expect(sale.lines.map((l) => l.amountMinor)).toEqual([33_300, 199_998]);
    expect(sale.totalMinor).toBe(233_298);
    expect(sale.payments).toEqual([expect.objectContaining({ kind: 'card', amountMinor: 233_298 })]);
    expect(isWithoutReceipt(sale.ref)).toBe(true);
    expect(isWithoutReceipt({ source: 'local', id: 'training-1' })).toBe(false);
    expect(isWithoutReceipt({ source: 'lifepos', id: sale.ref.id })).toBe(false);
    expect(withoutReceiptSale({ lines: [line], payment: 'cash' }, till).ref.id).not.toBe(sale.ref.id);
  });

  it('is refused on a REGOS-only till (VCR refunds a sale receipt it knows) and when it comes to zero', () => {
    expect(() => withoutReceiptSale({ lines: [line], payment: 'cash' }, { ...till, regosOnly: true })).toThrow(expect.objectContaining({ code: 'refund.without_receipt_regos' }) as AppError);
    expect(() => withoutReceiptSale({ lines: [{ ...line, priceMinor: 1, quantityMilli: 1 }], payment: 'cash' }, till)).toThrow(expect.objectContaining({ code: 'refund.zero_total' }) as AppError);
  });
});
