import { describe, expect, it } from 'vitest';
import type { Sale, SaleLine } from '../../../preload/contract';
import { caughtAppError } from '../../../test/support/caughtAppError';
import { priceRefundLines } from '../refundableRemainder';
import { dismissalKey, type RecoveredLine, type RecoveredReceipt } from './historyStore';
import { countRecovered, nameKey, refuseUnresolvedRecovered, withRecoveredRefunds } from './recoveredRefunds';

/** The rule of main/refunds/README.md "Recovered refunds", on its own: what counts, what waits, what is left. */
const FN = '9999078900000001';

function line(lineId: string, name: string, priceMinor: number, quantityMilli: number, vat: SaleLine['vat'] = 'vat20'): SaleLine {
  const amountMinor = Math.round((priceMinor * quantityMilli) / 1000);
  return { lineId, name, priceMinor, quantityMilli, amountMinor, vat, paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 0, refundedMinor: 0, refundableMilli: quantityMilli };
}

function sale(id: string, lines: SaleLine[], createdAt = '2026-03-01T10:00:00'): Sale {
  const total = lines.reduce((s, l) => s + l.amountMinor, 0);
  return {
    ref: { source: 'lifepay', id }, number: id, createdAt, currency: 'RUB', totalMinor: total, lines,
    payments: [{ paymentPartId: `${id}:cash`, kind: 'cash', amountMinor: total, refundedMinor: 0 }], remainderFromLocalOnly: false,
  };
}

function receipt(number: number, positions: RecoveredLine[], extra: Partial<RecoveredReceipt> = {}): RecoveredReceipt {
  const total = positions.reduce((s, p) => s + p.amountMinor, 0);
  return {
    fnNumber: FN, number, fiscalSign: String(1000 + number), dateTime: '2026-03-02T12:00:00', operation: 'refundOfIncome', totalMinor: total,
    refundId: null, sale: null, lifePosChecked: true, positionsRead: true, positions,
    tenders: { cashMinor: total, electronicMinor: 0, prepaymentMinor: 0, creditMinor: 0, counterMinor: 0 }, ...extra,
  };
}

const pos = (name: string, priceMinor: number, quantityMilli: number, vat: RecoveredLine['vat'] = 'vat20'): RecoveredLine =>
  ({ name, priceMinor, quantityMilli, amountMinor: Math.round((priceMinor * quantityMilli) / 1000), vat });

const MILK = line('l-milk', 'Молоко 3,2 %', 8990, 2000);
const BREAD = line('l-bread', 'Хлеб', 5450, 1000, 'vat10');
const none = new Set<string>();

describe('recovered refund receipts against a sale', () => {
  it('a receipt no sale is known for that fits this sale counts against it, and the cashier is told', () => {
    const c = countRecovered(sale('s1', [MILK, BREAD]), [receipt(7, [pos('Молоко 3,2 %', 8990, 1000)])], none, none);
    expect(c.counted.map((r) => r.number)).toEqual([7]);
    expect(c.unresolved).toEqual([]);
    const milk = c.sale.lines[0];
    expect([milk?.refundableMilli, milk?.refundedMilli, milk?.refundedMinor]).toEqual([1000, 1000, 8990]);
    expect(c.sale.payments[0]?.refundedMinor).toBe(8990);
    expect(c.notices[0]?.text).toContain('ФД № 7 от 02.03.2026 12:00 на 89,90: «Молоко 3,2 %» 1');
    expect(() => priceRefundLines(c.sale.lines, [{ lineId: 'l-milk', quantityMilli: 2000 }])).toThrow(/не больше 1/);
    expect(priceRefundLines(c.sale.lines, [{ lineId: 'l-milk', quantityMilli: 1000 }])[0]?.amountMinor).toBe(8990);
  });

  it('matches a discounted line by the unit price a refund prints (its total over its quantity, within a kopeck)', () => {
    const discounted = { ...line('l-d', 'Сок', 10_000, 3000), amountMinor: 27_001 };
    const c = countRecovered(sale('s1', [discounted]), [receipt(8, [pos('Сок', 9000, 2000), pos('Сок', 9001, 1000)])], none, none);
    expect(c.counted).toHaveLength(1);
    expect(c.sale.lines[0]?.refundableMilli).toBe(0);
  });

  it('matches a name by what the ФН keeps of it: CP866 has no «», so the printed name holds something else there', () => {
    const apples = line('l-a', 'Товар 15.2 «Яблоки» — 1 кг', 12_000, 1000);
    const c = countRecovered(sale('s1', [apples]), [receipt(14, [pos('Товар 15.2 ?Яблоки? ? 1 кг', 12_000, 1000)])], none, none);
    expect(c.counted.map((r) => r.number)).toEqual([14]);
    expect(nameKey('Товар 15.2 «Яблоки»')).toBe(nameKey('товар 152 "яблоки"'));
    expect(nameKey('Яблоки')).not.toBe(nameKey('Груши'));
  });

  it('ignores receipts of other goods, other rates, other prices, and ones printed long before the sale', () => {
    const s = sale('s1', [MILK]);
    const others = [
      receipt(1, [pos('Кефир', 8990, 1000)]),
      receipt(2, [pos('Молоко 3,2 %', 8990, 1000, 'vat10')]),
      receipt(3, [pos('Молоко 3,2 %', 9990, 1000)]),
      receipt(4, [pos('Молоко 3,2 %', 8990, 1000)], { dateTime: '2026-02-20T09:00:00' }),
    ];
    const c = countRecovered(s, others, none, none);
    expect([c.counted, c.unresolved, c.notices]).toEqual([[], [], []]);
    expect(withRecoveredRefunds(s, { recovered: () => others, dismissals: () => none }, none)).toBe(s);
  });

  it('a receipt that matches only in part waits for the cashier: refunds of the sale are refused until then', () => {
    const s = sale('s1', [MILK]);
    const partial = receipt(9, [pos('Молоко 3,2 %', 8990, 1000), pos('Кефир', 7000, 1000)]);
    const c = countRecovered(s, [partial], none, none);
    expect([c.counted, c.unresolved.map((r) => r.number)]).toEqual([[], [9]]);
    expect(c.sale.lines[0]?.refundableMilli).toBe(2000);
    const shown = withRecoveredRefunds(s, { recovered: () => [partial], dismissals: () => none }, none);
    expect(shown.recovered?.receipts).toEqual([{ fnNumber: FN, number: 9, text: expect.stringContaining('ФД № 9'), coded: { code: 'recovered.receipt', params: expect.objectContaining({ fd: 9, currency: 'RUB' }) }, undecided: true }]);
    const refused = caughtAppError(() => refuseUnresolvedRecovered(shown));
    expect(refused.code).toBe('refund.recovered_unresolved');
    expect(refused.message).toContain('Укажите в списке восстановленных чеков');
  });

  it('more than is left of a line cannot be this sale\'s alone: it waits too (never a guess that frees money)', () => {
    const c = countRecovered(sale('s1', [MILK]), [receipt(10, [pos('Молоко 3,2 %', 8990, 1000)]), receipt(11, [pos('Молоко 3,2 %', 8990, 2000)])], none, none);
    expect([c.counted.map((r) => r.number), c.unresolved.map((r) => r.number)]).toEqual([[10], [11]]);
  });

  it('the cashier\'s "not this sale" stops a receipt counting there; "this sale" makes it count whatever it holds', () => {
    const s = sale('s1', [MILK]);
    const r = receipt(12, [pos('Молоко 3,2 %', 8990, 1000), pos('Кефир', 7000, 1000)]);
    expect(countRecovered(s, [r], new Set([dismissalKey(FN, 12, s.ref)]), none).unresolved).toEqual([]);
    const assigned = countRecovered(s, [{ ...r, sale: s.ref }], none, none);
    expect([assigned.counted.map((x) => x.number), assigned.sale.lines[0]?.refundableMilli]).toEqual([[12], 1000]);
    expect(withRecoveredRefunds(s, { recovered: () => [{ ...r, sale: s.ref }], dismissals: () => none }, none).recovered?.receipts).toEqual([]);
  });

  it('a receipt LIFE POS named counts only while the back end does not list its refund itself', () => {
    const s = { ...sale('deal-1', [MILK]), ref: { source: 'lifepos' as const, id: 'deal-1' } };
    const named = receipt(13, [pos('Молоко 3,2 %', 8990, 1000)], { refundId: 'r-1', sale: { source: 'lifepos', id: 'deal-1' } });
    expect(countRecovered(s, [named], none, new Set(['r-1'])).counted).toEqual([]);
    expect(countRecovered(s, [named], none, none).sale.lines[0]?.refundableMilli).toBe(1000);
    // Another sale's receipt never counts here.
    expect(countRecovered(sale('s2', [MILK]), [named], none, none).counted).toEqual([]);
  });
});
