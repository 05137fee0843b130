import { describe, expect, it } from 'vitest';
import { BackendError } from '../backendError';
import { assertRegosReceipt, regosReceiptProblems } from './regosRules';
import { RegosReceiptParams, RegosRefundParams, type RegosPosition } from './schemas';

/** Seed 002's Receipt.Refund example params, verbatim. */
const seedRefund = RegosRefundParams.parse({
  cashier_name: 'Administrator', code: 'res-000782', phone: '998918935861', pos_id: '1', seller_name: 'Rustam', session_code: '486',
  positions: [{
    amount: 900000, articul: '56394857', barcode: '5449000000996', label: '5784397583956248569', code: '64963', color_name: 'Красный',
    country_name: 'Узбекистан', department_name: 'Напитки', discount: 0, group_name: 'Напитки', name: 'Coca-cola', producer_name: 'Coca Cola co',
    quantity: 1000, size_name: '1l', type_name: 'Товар', unit_name: 'шт', vat_value: 1200, icps: '02202002001010036', package_code: '1218868',
    brand_name: 'Pepsi-Cola', commission_inn: '923409418', owner_type: 'BuyingAndSelling',
  }],
  payments: [{ type: 1, value: 900000 }],
  custom_variables: [{ name: 'gratitude', value: 'thank you for buying :)' }],
  refund_info: {
    DateTime: '2022-07-18 14:35:04', FiscalSign: '853234561062',
    QRCodeURL: 'https://ofd.soliq.uz/check?t=UZ210108170541&r=20&c=20220531161950&s=345411154513', ReceiptNo: '187', TerminalID: 'VG298343428256',
  },
});

/** Seed 003's Receipt.Credit example params (with the Latin card_type; the seed has a Cyrillic "с"). */
const seedCredit = RegosReceiptParams.parse({
  cashier_name: 'Administrator', code: '1-0000782', phone: '998918935861', pos_id: '00027', seller_name: null, session_code: '1-0000086',
  positions: [{
    amount: 900000, articul: '', barcode: '000001', brand_name: null, code: '000001', color_name: null, commission_inn: '923409418',
    country_name: null, department_name: null, discount: 0, group_name: 'Напитки', icps: '02202002001010036', label: '', name: 'Coca-cola',
    package_code: '1218868', producer_name: 'Coca Cola', quantity: 1000, size_name: null, type_name: 'Товар', unit_name: 'шт', vat_value: 1500,
  }],
  payments: [
    { type: 1, value: 500000, payment_id: '4411-563-4236' },
    { type: 2, value: 400000, payment_id: '4341-563-4536', card_type: 2, RRN: '847204678473' },
  ],
  custom_variables: null,
});

const pos = (i: number, over: Partial<RegosPosition> = {}): RegosPosition => ({ name: `Товар ${i}`, amount: 100000, quantity: 1000, vat_value: 1200, ...over });

describe('REGOS pre-send checks', () => {
  it('accepts the seeds\' own examples', () => {
    expect(regosReceiptProblems('refund', seedRefund)).toEqual([]);
    expect(regosReceiptProblems('credit', seedCredit)).toEqual([]);
  });

  it('refuses more than two terminal (type 2) payments', () => {
    const three = { ...seedRefund, payments: [{ type: 2, value: 300000 }, { type: 2, value: 300000 }, { type: 2, value: 300000 }] };
    expect(regosReceiptProblems('refund', three).join(' ')).toContain('не более 2');
    const two = { ...seedRefund, payments: [{ type: 2, value: 450000 }, { type: 2, value: 450000 }] };
    expect(regosReceiptProblems('refund', two)).toEqual([]);
  });

  it('refuses a label repeated within one request, but not empty labels', () => {
    const dup = { ...seedRefund, positions: [pos(1, { label: 'ABC' }), pos(2, { label: 'ABC' })], payments: [{ type: 1, value: 200000 }] };
    expect(regosReceiptProblems('refund', dup).join(' ')).toContain('ABC');
    const empty = { ...dup, positions: [pos(1, { label: '' }), pos(2, { label: '' }), pos(3, { label: null })], payments: [{ type: 1, value: 300000 }] };
    expect(regosReceiptProblems('refund', empty)).toEqual([]);
  });

  it('refuses payment-system tenders on a credit receipt but allows cash and terminal', () => {
    const click = { ...seedCredit, payments: [{ type: 1, value: 500000 }, { type: 3, value: 400000 }] };
    expect(regosReceiptProblems('credit', click).join(' ')).toContain('платёжные системы');
    expect(regosReceiptProblems('refund', click)).toEqual([]);
  });

  it('allows at most 150 positions', () => {
    const many = (n: number) => ({ ...seedRefund, positions: Array.from({ length: n }, (_, i) => pos(i)), payments: [{ type: 1, value: n * 100000 }] });
    expect(regosReceiptProblems('refund', many(150))).toEqual([]);
    expect(regosReceiptProblems('refund', many(151)).join(' ')).toContain('не более 150');
  });

  it('requires payments to match positions within 50 sum (5000 tiyin)', () => {
    const off = (delta: number) => ({ ...seedRefund, payments: [{ type: 1, value: 900000 + delta }] });
    expect(regosReceiptProblems('refund', off(5000))).toEqual([]);
    expect(regosReceiptProblems('refund', off(-5000))).toEqual([]);
    expect(regosReceiptProblems('refund', off(5001)).join(' ')).toContain('допуск 50 сум');
  });

  it('throws a permanent invalid_request error listing every problem', () => {
    const bad = { ...seedRefund, positions: [pos(1, { label: 'X' }), pos(2, { label: 'X' })], payments: [{ type: 2, value: 1 }, { type: 2, value: 1 }, { type: 2, value: 1 }] };
    const e = (() => {
      try {
        assertRegosReceipt('refund', bad);
        return undefined;
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(BackendError);
    expect(e).toMatchObject({ code: 'regos.invalid_receipt', retry: 'permanent', failure: 'invalid_request' });
    expect((e as BackendError).message).toMatch(/терминал.*label|label.*терминал|маркировки/s);
  });
});
