import { describe, expect, it } from 'vitest';
import type { Sale } from '../../../preload/contract';
import { translator } from '../i18n/catalogue';
import { refundBlockReason, saleNotices } from './gate';

const RECEIPT = { fd: 7, at: '02.03.2026 12:00', totalMinor: 8990, currency: 'RUB' as const, positions: [{ name: 'Молоко', quantityMilli: 1000 }] };

/** A sale opened after a lost database (Sale.recovered, main/refunds/README.md "Recovered refunds"). */
const sale = (undecided: boolean): Sale => ({
  ref: { source: 'lifepay', id: 'p-1' }, number: '601', createdAt: '2026-03-01 10:00:00', currency: 'RUB', totalMinor: 17_980,
  lines: [{ lineId: 'a', name: 'Молоко', priceMinor: 8990, quantityMilli: 2000, amountMinor: 17_980, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 1000, refundedMinor: 8990, refundableMilli: 1000 }],
  payments: [], remainderFromLocalOnly: false,
  recovered: {
    notices: [{ text: 'По данным фискального накопителя по этой продаже уже пробит возврат… ФД № 7', coded: { code: 'recovered.counted', params: { receipts: [RECEIPT] } } }],
    receipts: [{ fnNumber: '9999078900000001', number: 7, text: 'ФД № 7', coded: { code: 'recovered.receipt', params: RECEIPT }, undecided }],
  },
});

describe('refund gate: receipts rebuilt from the ФН', () => {
  it('shows what the ФН says was refunded, and lets a counted receipt through', () => {
    expect(saleNotices(sale(false), undefined)[0]).toMatch(/^По данным фискального накопителя по этой продаже уже пробит возврат, которого нет в базе кассы: ФД № 7 от 02\.03\.2026 12:00 на 89,90\s₽: «Молоко» 1\. Эти товары/);
    const uz = saleNotices(sale(false), undefined, 'uz')[0] ?? '';
    expect(uz).toMatch(/^Fiskal jamgʻargich maʼlumotiga koʻra, .*FH № 7, 02\.03\.2026 12:00, .*«Молоко»/);
    expect(uz.replace(/«[^»]*»/g, '')).not.toMatch(/[А-Яа-яЁё]/);
    expect(refundBlockReason(sale(false), undefined)).toBeNull();
  });

  it('stops the refund while a receipt waits for the cashier, in the UI language', () => {
    expect(refundBlockReason(sale(true), undefined)).toMatch(/Укажите в списке ниже/);
    expect(refundBlockReason(sale(true), undefined, translator('uz'))).toMatch(/roʻyxatda/);
  });
});
