import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/catalogue';
import { checkManualDraft, emptyManualDraft, manualAmount } from './manualLines';

const t = translator('ru');

describe('a typed line of a refund without a receipt', () => {
  it('becomes a line in minor units and thousandths with the chosen VAT and sign', () => {
    const checked = checkManualDraft({ ...emptyManualDraft('RUB'), name: ' Чайник ', price: '1 499,9', quantity: '2', vat: 'vat20', sign: 'prepayment100' }, t);
    expect(checked).toEqual({ line: { name: 'Чайник', priceMinor: 149_990, quantityMilli: 2000, vat: 'vat20', paymentMethod: 'prepayment100', itemSign: 'goods' } });
    if ('line' in checked) expect(manualAmount(checked.line)).toBe(299_980);
    expect(emptyManualDraft('UZS').vat).toBe('vat12');
  });

  it('says what to fix: no name, a bad or zero price, a bad quantity', () => {
    const draft = { ...emptyManualDraft('RUB'), name: 'Чайник', price: '100' };
    expect(checkManualDraft({ ...draft, name: ' ' }, t)).toEqual({ problem: 'Введите наименование товара' });
    expect(checkManualDraft({ ...draft, price: '10,999' }, t)).toEqual({ problem: expect.stringMatching(/^Неверная цена: «10,999»/) });
    expect(checkManualDraft({ ...draft, price: '0' }, t)).toEqual({ problem: expect.stringMatching(/^Неверная цена/) });
    expect(checkManualDraft({ ...draft, quantity: 'два' }, t)).toEqual({ problem: 'Неверное количество: «два»' });
  });
});
