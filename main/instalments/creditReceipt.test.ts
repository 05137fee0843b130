import { describe, expect, it } from 'vitest';
import type { Sale, SaleLine } from '../../preload/contract';
import { creditReceiptParams, type CreditReceiptInput } from './creditReceipt';

const line = (n: number, amountMinor: number, extra: SaleLine['extra'] = {}, vat: SaleLine['vat'] = 'vat12'): SaleLine => ({
  lineId: `s:${n}`, name: `Товар ${n}`, priceMinor: amountMinor, quantityMilli: 1000, amountMinor, vat, paymentMethod: 'fullPayment', itemSign: 'goods',
  refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000, extra,
});

const sale = (lines: SaleLine[], source: Sale['ref']['source'] = 'regos'): Sale => ({
  ref: { source, id: 'sale-1' }, number: '103', createdAt: '2026-12-01T10:00:00', currency: 'UZS', totalMinor: lines.reduce((s, l) => s + l.amountMinor, 0),
  lines, payments: [], remainderFromLocalOnly: false,
});

const input = (over: Partial<CreditReceiptInput> = {}): CreditReceiptInput => ({
  code: 'pay-1', sale: sale([line(1, 900_000, { code: '000001', icps: '02202002001010036', package_code: '1218868', label: '', unit_name: 'шт' })]),
  amountMinor: 900_000, tenders: [{ kind: 'cash', amountMinor: 500_000 }, { kind: 'terminal', amountMinor: 400_000, rrn: '847204678473', cardType: 'personal' }],
  phone: '998918935861', cashier: 'Administrator', vatMode: 'ratePercentTimes100', ...over,
});

describe('credit receipt for one part-payment', () => {
  it('seed 003\'s example: one position of 900000 paid 500000 cash + 400000 terminal (Latin card_type), the phone, no empty label', () => {
    expect(creditReceiptParams(input())).toEqual({
      code: 'pay-1', cashier_name: 'Administrator', phone: '998918935861',
      positions: [{
        amount: 900_000, name: 'Товар 1', quantity: 1000, vat_value: 1200, discount: 0, code: '000001', barcode: null,
        icps: '02202002001010036', package_code: '1218868', unit_name: 'шт',
      }],
      payments: [{ type: 1, value: 500_000 }, { type: 2, value: 400_000, RRN: '847204678473', card_type: 2 }],
    });
  });

  it('a part of the sale: each line its share to the tiyin, positions add up to the payments, a zero share left out', () => {
    const p = creditReceiptParams(input({
      sale: sale([line(1, 2_000_000, { label: 'L1' }), line(2, 1_000_000, { label: 'L2' }), line(3, 1)]),
      amountMinor: 100_001, tenders: [{ kind: 'cash', amountMinor: 100_001 }],
    }));
    expect(p.positions.map((x) => [x.name, x.amount, x.label])).toEqual([['Товар 1', 66_667, 'L1'], ['Товар 2', 33_334, 'L2']]);
    expect(p.positions.reduce((s, x) => s + x.amount, 0)).toBe(100_001);
  });

  it('VAT as an amount follows each share, not the sale line', () => {
    const p = creditReceiptParams(input({ vatMode: 'amountTiyin', amountMinor: 112_000, tenders: [{ kind: 'cash', amountMinor: 112_000 }] }));
    expect(p.positions[0]?.vat_value).toBe(12_000);
  });

  it('refuses what seed 003 forbids, before anything is sent: a payment system, three terminal payments', () => {
    expect(() => creditReceiptParams(input({ tenders: [{ kind: 'paymentSystem', system: 'Payme', amountMinor: 900_000 }] })))
      .toThrow(/По кредитному чеку недоступна оплата через платёжные системы/);
    const t = (rrn: string) => ({ kind: 'terminal' as const, amountMinor: 300_000, rrn, cardType: 'personal' as const });
    expect(() => creditReceiptParams(input({ tenders: [t('111111111111'), t('222222222222'), t('333333333333')] }))).toThrow(/не более 2/);
  });

  it('refuses a sale that is not REGOS, one without lines, tenders that do not add up to the amount, a line without a VAT rate', () => {
    expect(() => creditReceiptParams(input({ sale: sale([line(1, 900_000)], 'lifepos') }))).toThrow(expect.objectContaining({ code: 'instalment.not_regos' }));
    expect(() => creditReceiptParams(input({ sale: sale([]) }))).toThrow(expect.objectContaining({ code: 'instalment.no_lines' }));
    expect(() => creditReceiptParams(input({ amountMinor: 800_000 }))).toThrow(expect.objectContaining({ code: 'instalment.tenders_sum' }));
    expect(() => creditReceiptParams(input({ sale: sale([line(1, 900_000, {}, null)]) }))).toThrow(expect.objectContaining({ code: 'instalment.vat' }));
  });
});
