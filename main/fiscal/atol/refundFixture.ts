import type { FiscalReceiptInput } from '../receipt';

/** A two-position refund with two tenders, shared by the ATOL driver tests. */
export const refund = (over: Partial<FiscalReceiptInput> = {}): FiscalReceiptInput => ({
  operation: 'refundOfIncome',
  cashier: 'Иванова А.',
  cashierInn: '500100732259',
  positions: [
    { name: 'Чайник №5', priceMinor: 150_000, quantityMilli: 1000, amountMinor: 150_000, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' },
    { name: 'Сахар', priceMinor: 9_990, quantityMilli: 1500, amountMinor: 14_985, vat: 'vat10', paymentMethod: 'fullPayment', itemSign: 'goods' },
  ],
  tenders: { cashMinor: 64_985, electronicMinor: 100_000 },
  ...over,
});
