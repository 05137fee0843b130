import { describe, expect, it } from 'vitest';
import type { RefundLine, Sale } from '../../preload/contract';
import { regosRefundParams } from './refundDocuments';

const line: RefundLine = { lineId: 'c:0', name: 'Coca-Cola 1 л', quantityMilli: 1000, amountMinor: 900_000, vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods' };
const sale = (over: Partial<Sale> = {}, label: string | null = null): Sale => ({
  ref: { source: 'regos', id: 'c' }, number: '187', createdAt: '2022-07-18T14:35:04', currency: 'UZS', totalMinor: 900_000,
  lines: [{ ...line, priceMinor: 900_000, refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000, extra: { code: '64963', icps: '02202002001010036', package_code: '1218868', label, unit_name: 'шт' } }],
  payments: [{ paymentPartId: 'c:pay0', kind: 'cash', amountMinor: 900_000, refundedMinor: 0 }],
  remainderFromLocalOnly: false,
  ...over,
});
const params = (s: Sale) => regosRefundParams({ id: 'r1', lines: [line], tenders: [{ paymentPartId: 'c:pay0', kind: 'cash', amountMinor: 900_000, needsCard: false }] }, s, 'Кассир', 'ratePercentTimes100');

describe('REGOS Receipt.Refund params (seed 002)', () => {
  it('leaves refund_info out when the sale has no fiscal data (seed 002: "Необязательный"), never an object of nulls', () => {
    expect(params(sale())).not.toHaveProperty('refund_info');
    expect(params(sale({ fiscal: {} }))).not.toHaveProperty('refund_info');
  });

  it('sends the QR code URL alone when known, else only the fiscal fields the sale has', () => {
    expect(params(sale({ fiscal: { qrCodeUrl: 'https://ofd.soliq.uz/check?t=1', documentNumber: '187', fiscalSign: '853234561062' } })).refund_info)
      .toEqual({ QRCodeURL: 'https://ofd.soliq.uz/check?t=1' });
    expect(params(sale({ fiscal: { documentNumber: 'A-187', fiscalSign: '853234561062' } })).refund_info)
      .toEqual({ ReceiptNo: 'A-187', FiscalSign: '853234561062' });
  });

  it('leaves label out for a line without a marking code and echoes a real one', () => {
    expect(params(sale({}, null)).positions[0]).not.toHaveProperty('label');
    expect(params(sale({}, '')).positions[0]).not.toHaveProperty('label');
    expect(params(sale({}, '0104780001000019215abcDEF')).positions[0]?.label).toBe('0104780001000019215abcDEF');
  });

  it('a line sold at 15 % goes back at 15 %: vat_value 1500 as in seed 003\'s example (rate mode)', () => {
    const fifteen = { ...line, vat: 'vat15' as const };
    const s = sale();
    const p = regosRefundParams({ id: 'r1', lines: [fifteen], tenders: [{ paymentPartId: 'c:pay0', kind: 'cash', amountMinor: 900_000, needsCard: false }] }, { ...s, lines: s.lines.map((l) => ({ ...l, vat: 'vat15' as const })) }, 'Кассир', 'ratePercentTimes100');
    expect(p.positions[0]?.vat_value).toBe(1500);
  });
});
