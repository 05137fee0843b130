import { describe, expect, it } from 'vitest';
import type { LifePayTransaction } from '../backends/lifepay/schemas';
import { cloudExtId, cloudRefundReceipt, cloudRefundsOf, findCloudRefund, parseCloudExtId } from './lifePayCloud';
import { saleFromTransaction } from './saleSources';
import type { RefundLine, RefundTender } from '../../preload/contract';

const PAY = 'a1f0c3de-0004-4c1b-8f00-00000000lp04';
const payment: LifePayTransaction = {
  uuid: PAY, number: '30454', type: 'payment', status: 'success', created: '2026-12-01 10:00:00', amount: 103_499, method: 'cash',
  purchase: { products: [
    { name: 'Крем для рук', price: 33_333, quantity: 3000, tax: 'vat22', type: 4, item_type: 1 },
    { name: 'Мыло туалетное', price: 15_000, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 },
  ] },
};
const cloudRefund = (refundId: string, products: { name: string; price: number; quantity: number }[], amount: number, saleId = PAY): LifePayTransaction => ({
  uuid: `r-${refundId}`, type: 'refund', status: 'success', created: '2026-12-01 11:00:00', amount, method: 'cash', ext_id: cloudExtId(saleId, refundId),
  purchase: { products: products.map((p) => ({ ...p, tax: 'vat22', type: 4, item_type: 1 })) },
});

describe('LIFE PAY cloud refunds: ext_id', () => {
  it('carries the payment and our refund id, and only a well-formed one is read back', () => {
    expect(parseCloudExtId(cloudExtId(PAY, 'r-1'))).toEqual({ saleId: PAY, refundId: 'r-1' });
    for (const bad of [null, undefined, '', 'order-7781', '/r-1', `${PAY}/`]) expect(parseCloudExtId(bad)).toBeNull();
  });

  it('finds a refund by ext_id only among refunds, and a payment\'s refunds only under its own uuid', () => {
    const mine = cloudRefund('r-1', [{ name: 'Мыло туалетное', price: 13_499, quantity: 1000 }], 13_499);
    const other = cloudRefund('r-2', [{ name: 'Мыло туалетное', price: 13_499, quantity: 1000 }], 13_499, 'another-payment');
    const samePaymentExt = { ...payment, uuid: 'p2', ext_id: cloudExtId(PAY, 'r-3') };
    const list = [payment, mine, other, samePaymentExt];
    expect(findCloudRefund(cloudExtId(PAY, 'r-1'), list)).toBe(mine);
    expect(findCloudRefund(cloudExtId(PAY, 'r-3'), list)).toBeUndefined();
    expect(cloudRefundsOf(PAY, list)).toEqual([mine]);
  });
});

describe('a LIFE PAY sale counts every till\'s cloud refunds', () => {
  it('takes refunded products from the lines of that name, and money from the payment', () => {
    const soap = cloudRefund('r-1', [{ name: 'Мыло туалетное', price: 13_499, quantity: 1000 }], 13_499);
    const cream = cloudRefund('r-2', [{ name: 'Крем для рук', price: 30_000, quantity: 2000 }], 60_000);
    const { sale, knownToServer } = saleFromTransaction(payment, [payment, soap, cream]);
    expect(sale.lines.map((l) => [l.refundedMilli, l.refundableMilli])).toEqual([[2000, 1000], [1000, 0]]);
    expect(sale.lines[1]?.refundedMinor).toBe(13_499);
    expect(sale.payments[0]?.refundedMinor).toBe(73_499);
    expect([...knownToServer].sort()).toEqual(['r-1', 'r-2']);
  });

  it('never counts more than a line sold, nor more money than was paid', () => {
    const twice = cloudRefund('r-1', [{ name: 'Мыло туалетное', price: 15_000, quantity: 2000 }], 200_000);
    const { sale } = saleFromTransaction(payment, [twice]);
    expect(sale.lines[1]).toMatchObject({ refundedMilli: 1000, refundableMilli: 0 });
    expect(sale.payments[0]?.refundedMinor).toBe(103_499);
  });

  it('without a list (or with only other payments\' refunds) the sale is as paid', () => {
    const { sale } = saleFromTransaction(payment, [cloudRefund('r-9', [{ name: 'Крем для рук', price: 1, quantity: 1000 }], 1, 'other')]);
    expect(sale.lines.every((l) => l.refundedMilli === 0)).toBe(true);
    expect(sale.payments[0]?.refundedMinor).toBe(0);
  });
});

describe('a refund as a cloud receipt', () => {
  const line = (over: Partial<RefundLine> = {}): RefundLine => ({
    lineId: `${PAY}:0`, name: 'Крем для рук', quantityMilli: 3000, amountMinor: 90_002, vat: 'vat22', paymentMethod: 'fullPayment', itemSign: 'goods', ...over,
  });
  const tender = (kind: RefundTender['kind'], amountMinor: number): RefundTender => ({ paymentPartId: PAY, kind, amountMinor, needsCard: kind === 'card' });

  it('keeps quantity and money exact (a discounted line as two prices a kopeck apart), non-cash in card_amount', () => {
    const built = cloudRefundReceipt({ id: 'r-1', lines: [line()], tenders: [tender('cash', 50_000), tender('sbp', 40_002)] }, PAY);
    const receipt = 'receipt' in built ? built.receipt : undefined;
    expect(receipt?.extId).toBe(cloudExtId(PAY, 'r-1'));
    const products = receipt?.products ?? [];
    expect(products.reduce((s, p) => s + p.quantityMilli, 0)).toBe(3000);
    expect(products.reduce((s, p) => s + (p.priceMinor * p.quantityMilli) / 1000, 0)).toBe(90_002);
    expect(receipt).toMatchObject({ cardMinor: 40_002, prepaymentMinor: 0 });
  });

  it('an advance goes in prepayment_amount; a postpayment has no field in seed 001, so no cloud receipt, and that is the reason given', () => {
    const one = line({ quantityMilli: 1000, amountMinor: 1000 });
    expect(cloudRefundReceipt({ id: 'r', lines: [one], tenders: [tender('prepayment', 1000)] }, PAY))
      .toMatchObject({ receipt: { cardMinor: 0, prepaymentMinor: 1000 } });
    expect(cloudRefundReceipt({ id: 'r', lines: [one], tenders: [tender('cash', 400), tender('credit', 600)] }, PAY)).toStrictEqual({ obstacle: 'noTenderField' });
  });

  it('a line with an Uzbek VAT rate (12 %, 15 %) has no rate in seed 001: no cloud receipt, and that is the reason given, even beside a line that fits', () => {
    for (const vat of ['vat12', 'vat15'] as const) {
      const lines = [line({ quantityMilli: 1000, amountMinor: 1000 }), line({ quantityMilli: 1000, amountMinor: 1000, vat })];
      expect(cloudRefundReceipt({ id: 'r', lines, tenders: [tender('cash', 2000)] }, PAY)).toStrictEqual({ obstacle: 'noVatRate' });
    }
  });

  it('a weighed line gets one price when one rounds to its money, and none when none does', () => {
    // 1,254 kg for 1 630,07 ₽: 1 299,90 ₽/kg × 1,254 = 1 630,0746 → 1 630,07.
    const cheese = cloudRefundReceipt({ id: 'r', lines: [line({ quantityMilli: 1254, amountMinor: 163_007 })], tenders: [tender('cash', 163_007)] }, PAY);
    expect(cheese).toMatchObject({ receipt: { products: [expect.objectContaining({ priceMinor: 129_990, quantityMilli: 1254 })] } });
    // 2,5 kg for 0,04 ₽: 0,01 ₽/kg gives 0,03 (0,025 half up), 0,02 ₽/kg gives 0,05: no price is exact.
    expect(cloudRefundReceipt({ id: 'r', lines: [line({ quantityMilli: 2500, amountMinor: 4 })], tenders: [tender('cash', 4)] }, PAY)).toStrictEqual({ obstacle: 'noExactPrice' });
  });
});
