import { describe, expect, it } from 'vitest';
import { emptyTenderForm, parseSumToTiyin, payInput } from './tenderForm';

const SALE = { source: 'regos', id: 'demo-sale-0003' } as const;
const ID = '0b0e5a5e-1111-4222-8333-444455556666';

describe('instalment tender form', () => {
  it('reads sums as the cashier types them', () => {
    expect(parseSumToTiyin('500 000')).toBe(50_000_000);
    expect(parseSumToTiyin('500000,5')).toBe(50_000_050);
    expect(parseSumToTiyin('12.34')).toBe(1234);
    expect(parseSumToTiyin('')).toBe(0);
    expect(parseSumToTiyin('5e3')).toBeNull();
    expect(parseSumToTiyin('1,234')).toBeNull();
  });

  it('only an amount: all of it in cash', () => {
    expect(payInput({ ...emptyTenderForm, amount: '500000' }, SALE, ID)).toEqual({
      input: { paymentId: ID, sale: SALE, amountMinor: 50_000_000, tenders: [{ kind: 'cash', amountMinor: 50_000_000 }] },
    });
  });

  it('cash and two terminals with RRN and card type, the phone in digits', () => {
    const r = payInput({
      ...emptyTenderForm, amount: '500000', cash: '100000', terminal1: '200000', rrn1: '847204678473', terminal2: '200000', rrn2: '847204678474', card2: 'corporate',
      phone: '+998 91 893-58-61',
    }, SALE, ID);
    expect(r).toEqual({
      input: {
        paymentId: ID, sale: SALE, amountMinor: 50_000_000, phone: '998918935861',
        tenders: [
          { kind: 'cash', amountMinor: 10_000_000 },
          { kind: 'terminal', amountMinor: 20_000_000, rrn: '847204678473', cardType: 'personal' },
          { kind: 'terminal', amountMinor: 20_000_000, rrn: '847204678474', cardType: 'corporate' },
        ],
      },
    });
  });

  it('says what to fix: a terminal part without its RRN, parts that do not add up, no amount, a short phone', () => {
    expect(payInput({ ...emptyTenderForm, amount: '500000', terminal1: '500000', rrn1: '123' }, SALE, ID)).toEqual({ problem: expect.stringContaining('RRN') as string });
    expect(payInput({ ...emptyTenderForm, amount: '500000', cash: '400000' }, SALE, ID)).toEqual({ problem: expect.stringContaining('должны равняться') as string });
    expect(payInput(emptyTenderForm, SALE, ID)).toEqual({ problem: 'Введите принятую сумму.' });
    expect(payInput({ ...emptyTenderForm, amount: '1', phone: '12345' }, SALE, ID)).toEqual({ problem: expect.stringContaining('Телефон') as string });
  });
});
