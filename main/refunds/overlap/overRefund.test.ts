import { describe, expect, it } from 'vitest';
import type { Session } from '../../backends/lifepos/schemas';
import { saleDeal } from '../../../emulators/lifepos/seed';
import { overRefund } from './overRefund';
import { overlapReason } from './overlapReason';
import { OverlapRefund } from '../../../preload/contract/overlaps';

const rub = (value: number) => ({ value, currency: 'RUB' });
const { deal } = saleDeal({
  guid: 'deal-1', number: 'Т-1', createdAt: '2026-12-01T10:00:00Z', saleSessionGuid: 'sale-1',
  lines: [
    { guid: 'kettle', name: 'Чайник', quantity: 1000, priceKopecks: 249_000, totalKopecks: 249_000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
    { guid: 'cups', name: 'Чашка', quantity: 2000, priceKopecks: 50_000, totalKopecks: 100_000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
  ],
  parts: [{ guid: 'cash', type_of: 'Cash', kopecks: 349_000 }],
});
const reversal = (id: string, at: string, positions: [string, number, number][], extra: Partial<Session> = {}): Session => ({
  guid: `s-${id}`, type_of: 'Reversal', created_at: at, archived: false, external_id: id,
  total_sum: rub(positions.reduce((s, [, , sum]) => s + sum, 0)), payment_parts: [],
  positions: positions.map(([position_guid, quantity, sum]) => ({ position_guid, quantity, total_sum: rub(sum) })), receipt: null, ...extra,
});

describe('a sale refunded beyond what was sold (issue 22)', () => {
  it('within bounds is no overlap, however many tills refunded it', () => {
    const sessions = [reversal('a', '2026-12-01T11:00:00Z', [['cups', 1000, 50_000]]), reversal('b', '2026-12-01T11:05:00Z', [['cups', 1000, 50_000]])];
    expect(overRefund(deal, sessions, 'b')).toBeNull();
  });

  it('two tills taking the last kettle: both refunds, oldest first, with till, time and amount', () => {
    const other = reversal('a', '2026-12-01T11:00:00Z', [['kettle', 1000, 249_000]], {
      receipt: { fiscal_document_number: 17, fiscal_sign: '123', fiscal_drive_number: '7281440500112233', issued_at: '2026-12-01T11:00:05', total_sum: rub(249_000) },
    });
    const mine = reversal('b', '2026-12-01T11:03:00Z', [['kettle', 1000, 249_000], ['cups', 1000, 50_000]]);
    const found = overRefund(deal, [mine, other], 'b');
    expect(found?.lines).toEqual([{ lineId: 'kettle', name: 'Чайник', soldMilli: 1000, refundedMilli: 2000 }]);
    expect(found?.refunds).toEqual([
      { refundId: 'a', thisTill: false, till: '7281440500112233', at: '2026-12-01T11:00:00Z', totalMinor: 249_000, currency: 'RUB', fiscalDocumentNumber: 17 },
      { refundId: 'b', thisTill: true, till: null, at: '2026-12-01T11:03:00Z', totalMinor: 299_000, currency: 'RUB', fiscalDocumentNumber: null },
    ]);
    const reason = overlapReason('Т-1', found ?? { lines: [], refunds: [] });
    expect(reason).toContain('«Чайник»: продано 1, возвращено 2');
    expect(reason).toContain('касса с ФН № 7281440500112233, чек ФД № 17 — 01.12.2026 11:00, 2490,00 ₽');
    expect(reason).toContain('эта касса — 01.12.2026 11:03, 2990,00 ₽');
  });

  it('counts what the remainder counts: an archived session without a receipt gave nothing back', () => {
    const archived = reversal('a', '2026-12-01T11:00:00Z', [['kettle', 1000, 249_000]], { archived: true });
    const mine = reversal('b', '2026-12-01T11:03:00Z', [['kettle', 1000, 249_000]]);
    expect(overRefund(deal, [archived, mine], 'b')).toBeNull();
    expect(overRefund(deal, [{ ...archived, receipt: { fiscal_document_number: 3, fiscal_sign: '1', issued_at: 'x', total_sum: rub(249_000) } }, mine], 'b')).not.toBeNull();
  });

  it('a session in a currency code the till does not know counts as roubles (LIFE POS sums are kopecks), so the overlap can be stored and shown', () => {
    const other = reversal('a', '2026-12-01T11:00:00Z', [['kettle', 1000, 249_000]], { total_sum: { value: 249_000, currency: 'RUR' } });
    const found = overRefund(deal, [other, reversal('b', '2026-12-01T11:03:00Z', [['kettle', 1000, 249_000]])], 'b');
    expect(found?.refunds.map((r) => r.currency)).toEqual(['RUB', 'RUB']);
    expect(found?.refunds.map((r) => OverlapRefund.safeParse(r).success)).toEqual([true, true]);
  });

  it('an overlap other tills made among themselves is not this till\'s to flag', () => {
    const sessions = [reversal('a', '2026-12-01T11:00:00Z', [['kettle', 1000, 249_000]]), reversal('c', '2026-12-01T11:01:00Z', [['kettle', 1000, 249_000]]), reversal('b', '2026-12-01T11:03:00Z', [['cups', 1000, 50_000]])];
    expect(overRefund(deal, sessions, 'b')).toBeNull();
  });
});
