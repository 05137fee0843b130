import { describe, expect, it } from 'vitest';
import type { SaleLine } from '../../../preload/contract';
import { translator } from '../i18n/catalogue';
import { applyLineKey, commitTyped, emptySelection, isWeighed, pickByBarcode, refundLines, type Selection } from './selection';

const ru = translator('ru');
const uz = translator('uz');

const line = (lineId: string, quantityMilli: number, refundableMilli: number, barcode?: string): SaleLine => ({
  lineId, name: `Товар ${lineId}`, priceMinor: 10000, quantityMilli, amountMinor: 10000 * (quantityMilli / 1000),
  vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: quantityMilli - refundableMilli, refundedMinor: 0, refundableMilli,
  ...(barcode ? { barcode } : {}),
});
const lines = [line('a', 3000, 3000, '4600000000017'), line('b', 1500, 1500), line('c', 2000, 0)];

const keys = (sel: Selection, ...ks: Parameters<typeof applyLineKey>[1][]) =>
  ks.reduce((s, k) => applyLineKey(s, k, lines, 0, ru), sel);

describe('line selection', () => {
  it('moves within the list and stops at its edges', () => {
    expect(keys(emptySelection, { kind: 'move', by: -1 }).cursor).toBe(0);
    expect(keys(emptySelection, { kind: 'move', by: 10 }).cursor).toBe(2);
    expect(keys(emptySelection, { kind: 'edge', to: 'last' }).cursor).toBe(2);
  });

  it('Space toggles the whole remainder, + and − step by one piece within it', () => {
    let s = keys(emptySelection, { kind: 'toggle' });
    expect(s.quantities).toEqual({ a: 3000 });
    s = keys(s, { kind: 'step', by: -1 }, { kind: 'step', by: -1 });
    expect(s.quantities).toEqual({ a: 1000 });
    s = keys(s, { kind: 'step', by: 1 }, { kind: 'step', by: 1 }, { kind: 'step', by: 1 });
    expect(s.quantities).toEqual({ a: 3000 });
    s = keys(s, { kind: 'toggle' });
    expect(s.quantities).toEqual({});
  });

  it('+ on a weighted line stops at the remainder, not the next whole piece', () => {
    const s = keys({ ...emptySelection, cursor: 1 }, { kind: 'step', by: 1 }, { kind: 'step', by: 1 });
    expect(s.quantities).toEqual({ b: 1500 });
  });

  it('* picks every line that still has something to refund', () => {
    expect(keys(emptySelection, { kind: 'all' }).quantities).toEqual({ a: 3000, b: 1500 });
  });

  it('a fully refunded line refuses and says why', () => {
    const s = keys({ ...emptySelection, cursor: 2 }, { kind: 'toggle' });
    expect(s.quantities).toEqual({});
    expect(s.notice).toMatch(/уже возвращена/);
  });

  it('typed quantities apply on Enter, with decimals and without floats', () => {
    let s = keys({ ...emptySelection, cursor: 1 }, { kind: 'type', char: '1' }, { kind: 'type', char: ',' }, { kind: 'type', char: '2' });
    expect(s.typed).toBe('1,2');
    s = commitTyped(s, lines, 'RUB', ru);
    expect(s.quantities).toEqual({ b: 1200 });
    expect(s.typed).toBe('');
  });

  it('refuses a typed quantity above the remainder (over-refund) and keeps the old one', () => {
    let s = keys(emptySelection, { kind: 'toggle' }, { kind: 'type', char: '4' });
    s = commitTyped(s, lines, 'RUB', ru);
    expect(s.quantities).toEqual({ a: 3000 });
    expect(s.notice).toBe('Нельзя вернуть больше, чем осталось: не больше 3');
  });

  it('typing 0 removes the line', () => {
    const s = commitTyped(keys(emptySelection, { kind: 'toggle' }, { kind: 'type', char: '0' }), lines, 'RUB', ru);
    expect(s.quantities).toEqual({});
  });

  it('lists the request lines in sale order', () => {
    const s = keys(emptySelection, { kind: 'all' });
    expect(refundLines(s, lines)).toEqual([{ lineId: 'a', quantityMilli: 3000 }, { lineId: 'b', quantityMilli: 1500 }]);
  });

  it('a scanned product barcode picks its line', () => {
    const s = pickByBarcode({ ...emptySelection, cursor: 1 }, lines, '4600000000017', ru);
    expect(s?.cursor).toBe(0);
    // Selecting is not refunding: the quantity stays until the cashier confirms it.
    expect(s?.quantities).toEqual({});
    expect(s?.notice).toMatch(/Пробел — вернуть/);
    expect(pickByBarcode(emptySelection, lines, '999', ru)).toBeNull();
  });

  it('quantities follow the unit: pieces whole, weighed goods to the gram (issue 13 point 5)', () => {
    const apples = { ...line('w', 1500, 1500), name: 'Яблоки' };
    const cola = { ...line('p', 2000, 2000), name: 'Coca-Cola', extra: { unit_name: 'шт' } };
    const rice = { ...line('r', 2000, 2000), name: 'Рис', extra: { unit_name: 'кг' } };
    expect([isWeighed(apples), isWeighed(cola), isWeighed(rice), isWeighed(line('a', 3000, 3000))]).toEqual([true, false, true, false]);
    const typed = (l: typeof apples, text: string) => commitTyped([...text].reduce((sel, char) => applyLineKey(sel, { kind: 'type', char }, [l], 0, ru), emptySelection), [l], 'UZS', ru);
    expect(typed(cola, '1,5').quantities).toEqual({});
    expect(typed(cola, '1,5').notice).toBe('«Coca-Cola» продаётся поштучно: введите целое число');
    const inUzbek = commitTyped([...'1,5'].reduce((sel, char) => applyLineKey(sel, { kind: 'type', char }, [cola], 0, uz), emptySelection), [cola], 'UZS', uz);
    expect(inUzbek.notice).toBe('«Coca-Cola» donalab sotiladi: butun son kiriting');
    expect(typed(cola, '2').quantities).toEqual({ p: 2000 });
    expect(typed(rice, '1,255').quantities).toEqual({ r: 1255 });
    expect(typed(apples, '0,75').quantities).toEqual({ w: 750 });
  });

  it('a scanned barcode whose lines are all returned says so, and stays on the first of them', () => {
    const returned = [line('x', 1000, 0, '4600000000024'), line('y', 1000, 1000)];
    const s = pickByBarcode({ ...emptySelection, cursor: 1 }, returned, '4600000000024', ru);
    expect(s?.cursor).toBe(0);
    expect(s?.notice).toMatch(/уже возвращён полностью/);
  });

  it('a scanned marking code adds its one unit, once', () => {
    const tv = { ...line('tv', 1000, 1000, '4780001000019'), name: 'Телевизор', extra: { label: '0104780001000019215abcDEF' } };
    const sel = pickByBarcode({ ...emptySelection, cursor: 1 }, [line('a', 1000, 1000), tv], ']d20104780001000019215abcDEF', ru);
    expect(sel?.cursor).toBe(1);
    expect(sel?.quantities).toEqual({ tv: 1000 });
    expect(sel?.notice).toMatch(/добавлен к возврату/);
    const again = pickByBarcode(sel ?? emptySelection, [line('a', 1000, 1000), tv], '0104780001000019215abcDEF', ru);
    expect(again?.quantities).toEqual({ tv: 1000 });
    expect(again?.notice).toMatch(/уже отсканирован/);
  });

  describe('marked goods (issue 21)', () => {
    const GS = String.fromCharCode(0x1d);
    const A = `0104607053470016215aB7kQ${GS}93dGVz`;
    const B = `0104607053470016215Xq3Zr${GS}93Zjqw`;
    const milk = { ...line('milk', 2000, 2000, '4607053470016'), name: 'Молоко', marking: { codes: [A, B] } };
    const lines = [line('bread', 1000, 1000), milk];

    it('each scanned bottle adds one unit with its code, whatever the scanner made of the separator', () => {
      const one = pickByBarcode(emptySelection, lines, A.replace(GS, '<GS>'), ru);
      const two = pickByBarcode(one ?? emptySelection, lines, B.replace(GS, ''), ru);
      expect(two?.quantities).toEqual({ milk: 2000 });
      expect(refundLines(two ?? emptySelection, lines)).toEqual([{ lineId: 'milk', quantityMilli: 2000, markingCodes: [A, B] }]);
      expect(pickByBarcode(two ?? emptySelection, lines, A, ru)?.notice).toMatch(/уже отсканирован/);
    });

    it('another product\'s DataMatrix is refused in Russian and is not taken for a receipt to search', () => {
      const other = pickByBarcode(emptySelection, lines, `01030410947874432155Qbag!${GS}93Zjqw`, ru);
      expect(other?.quantities).toEqual({});
      expect(other?.notice).toMatch(/^Код маркировки другого товара \(GTIN 03041094787443\)/);
    });

    it('a line taken off the refund takes its codes with it; one unit less drops the last code', () => {
      const two = pickByBarcode(pickByBarcode(emptySelection, lines, A, ru) ?? emptySelection, lines, B, ru) ?? emptySelection;
      const less = applyLineKey({ ...two, cursor: 1 }, { kind: 'step', by: -1 }, lines, 0, ru);
      expect(refundLines(less, lines)).toEqual([{ lineId: 'milk', quantityMilli: 1000, markingCodes: [A] }]);
      const off = applyLineKey(less, { kind: 'toggle' }, lines, 0, ru);
      expect(refundLines(off, lines)).toEqual([]);
      expect(off.codes).toEqual({});
    });

    it('a bottle already refunded (nothing left on the line) is refused', () => {
      const done = { ...milk, refundedMilli: 2000, refundableMilli: 0 };
      expect(pickByBarcode(emptySelection, [done], A, ru)?.notice).toMatch(/уже в возврате или возвращён/);
    });
  });
});

