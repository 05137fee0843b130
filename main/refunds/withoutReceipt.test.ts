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

  it('names its lines and payment part by the pseudo-sale, says «без чека», and what this till printed is all that was refunded (issue 11 point 7)', () => {
    const sale = withoutReceiptSale({ lines: [line, line], payment: 'card' }, till);
    expect(sale.number).toBe('без чека');
    expect(sale.lines.map((l) => l.lineId)).toEqual([`${sale.ref.id}:0`, `${sale.ref.id}:1`]);
    expect(sale.payments.map((p) => p.paymentPartId)).toEqual([`${sale.ref.id}:card`]);
    // No back end holds this sale: its remainder is never narrowed to this till's records only.
    expect(sale.remainderFromLocalOnly).toBe(false);
  });

  it('says in Russian why it is refused, for good (StrykerJS survivors withoutReceipt.ts 21-34)', () => {
    const refusal = (input: Parameters<typeof withoutReceiptSale>[0], t: typeof till & { regosOnly: boolean }) => {
      try {
        withoutReceiptSale(input, t);
      } catch (e) {
        if (e instanceof AppError) return e;
        throw e;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal({ lines: [line], payment: 'cash' }, { ...till, regosOnly: true })).toMatchObject({
      retry: 'permanent',
      message: 'Возврат без чека на кассе REGOS невозможен: REGOS VCR возвращает только продажу по её чеку. Попросите у покупателя чек или оформите возврат в бэк-офисе.',
    });
    expect(refusal({ lines: [{ ...line, priceMinor: 1, quantityMilli: 1 }], payment: 'cash' }, till)).toMatchObject({
      retry: 'permanent',
      message: 'Сумма возврата без чека — ноль: проверьте цену и количество.',
    });
  });
});
