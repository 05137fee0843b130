import { describe, expect, it } from 'vitest';
import type { RefundLine, RefundTender, Sale, SalePayment, TenderKind } from '../../preload/contract';
import { TenderKind as TenderKinds } from '../../preload/contract';
import { fiscalRefundReceipt, lifePosReversal, regosRefundParams } from './refundDocuments';
import { tenderKindOfLifePayMethod } from './saleSources';
import { splitTenders } from './tenderSplit';
import { tenderKindOfLifePosPart, TENDER_RULES } from './tenderKinds';

const line: RefundLine = { lineId: 'l1', name: 'Чайник', quantityMilli: 1000, amountMinor: 10_000, vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods' };
const payment = (kind: TenderKind, typeOf: string): SalePayment => ({ paymentPartId: `pp-${kind}`, saleSessionId: 's1', kind, typeOf, amountMinor: 10_000, refundedMinor: 0 });
const tender = (kind: TenderKind, rrn?: string): RefundTender => ({ paymentPartId: `pp-${kind}`, kind, amountMinor: 10_000, needsCard: TENDER_RULES[kind].needsCard, ...(rrn ? { rrn } : {}) });
const saleWith = (p: SalePayment): Sale => ({
  ref: { source: 'lifepos', id: 'd1' }, number: '1', createdAt: '2026-12-01T10:00:00Z', currency: 'RUB', totalMinor: 10_000,
  lines: [], payments: [p], remainderFromLocalOnly: false,
});

/** Each kind: the LIFE POS type_of it comes from, whether it needs the card, and its FF45 slot (PROTOCOL.md). */
const EXPECTED: Record<TenderKind, { typeOf: string; needsCard: boolean; slot: 'cashMinor' | 'electronicMinor' | 'prepaymentMinor' | 'creditMinor' }> = {
  cash: { typeOf: 'Cash', needsCard: false, slot: 'cashMinor' },
  card: { typeOf: 'Card', needsCard: true, slot: 'electronicMinor' },
  sbp: { typeOf: 'QuickPayment', needsCard: false, slot: 'electronicMinor' },
  transfer: { typeOf: 'Cashless', needsCard: false, slot: 'electronicMinor' },
  link: { typeOf: 'Link', needsCard: false, slot: 'electronicMinor' },
  bnpl: { typeOf: 'Bnpl', needsCard: false, slot: 'electronicMinor' },
  prepayment: { typeOf: 'Prepayment', needsCard: false, slot: 'prepaymentMinor' },
  credit: { typeOf: 'Credit', needsCard: false, slot: 'creditMinor' },
};

describe('payment kinds', () => {
  it('covers every kind of the contract', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...TenderKinds.options].sort());
  });

  it.each(TenderKinds.options)('%s: refunds the way its type requires and lands in its FF45 slot', (kind) => {
    const want = EXPECTED[kind];
    const [t] = splitTenders([payment(kind, want.typeOf)], 10_000);
    expect(t).toMatchObject({ kind, needsCard: want.needsCard, amountMinor: 10_000 });
    const receipt = fiscalRefundReceipt({ id: 'r1', lines: [line], tenders: [tender(kind, '123456789012')] }, 'Кассир');
    expect(receipt.tenders).toEqual({ cashMinor: 0, electronicMinor: 0, prepaymentMinor: 0, creditMinor: 0, [want.slot]: 10_000 });
    // Only an acquiring refund sends an RRN to LIFE POS, whatever the cashier may have typed.
    const body = lifePosReversal({ id: 'r1', lines: [line], tenders: [tender(kind, '123456789012')] }, saleWith(payment(kind, want.typeOf)));
    expect(body.payment_parts[0]?.transactions).toEqual(want.needsCard ? [{ rrn: '123456789012', amount: { value: 10_000, currency: 'RUB' } }] : undefined);
    expect(body.payment_parts[0]?.type_of).toBe(want.typeOf);
  });

  it('LIFE POS type_of (BACKENDS.md) maps to the kinds; an unknown type is refunded by transfer, never by card', () => {
    for (const kind of ['cash', 'card', 'sbp', 'transfer', 'link', 'bnpl'] as const) expect(tenderKindOfLifePosPart(EXPECTED[kind].typeOf)).toBe(kind);
    expect(tenderKindOfLifePosPart('SomethingNew')).toBe('transfer');
  });

  it('LIFE PAY methods: cash, card, СБП and invoices; an unknown method is a card only with an RRN', () => {
    expect(tenderKindOfLifePayMethod('cash', null)).toBe('cash');
    expect(tenderKindOfLifePayMethod('card', '512345678901')).toBe('card');
    expect(tenderKindOfLifePayMethod('SBP', null)).toBe('sbp');
    expect(tenderKindOfLifePayMethod('invoice', null)).toBe('link');
    expect(tenderKindOfLifePayMethod('other', '1')).toBe('card');
    expect(tenderKindOfLifePayMethod('other', null)).toBe('transfer');
  });

  it('REGOS takes cash as type 1 and card as type 2 (BACKENDS.md), and refuses the rest in Russian before sending', () => {
    const sale = { ...saleWith(payment('cash', 'Cash')), currency: 'UZS' as const, ref: { source: 'regos' as const, id: 'c1' }, lines: [{ ...line, priceMinor: 10_000, refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000 }] };
    const params = (kind: TenderKind) => regosRefundParams({ id: 'r1', lines: [line], tenders: [tender(kind, kind === 'card' ? '612345678901' : undefined)] }, sale, 'Кассир', 'ratePercentTimes100');
    expect(params('cash').payments).toEqual([{ type: 1, value: 10_000 }]);
    expect(params('card').payments).toEqual([{ type: 2, value: 10_000, RRN: '612345678901' }]);
    for (const kind of ['sbp', 'transfer', 'link', 'bnpl', 'prepayment', 'credit'] as const) {
      expect(() => params(kind)).toThrow(/REGOS принимает возврат только наличными или через терминал/);
    }
  });
});
