import { describe, expect, it } from 'vitest';
import { MainText } from '../../../preload/contract/mainText';
import type { OverlapLine, OverlapRefund } from '../../../preload/contract/overlaps';
import { overlapReason, overlapText } from './overlapReason';
import type { FoundOverlap } from './overRefund';

/** What F4 shows the cashier and the senior cashier for a sale two tills refunded beyond what was sold (issue 22). */
const line = (name: string, soldMilli = 1000, refundedMilli = 2000): OverlapLine => ({ lineId: `l-${name}`, name, soldMilli, refundedMilli });
const refund = (over: Partial<OverlapRefund> = {}): OverlapRefund => ({
  refundId: 'r-1', thisTill: true, till: null, at: '2026-12-01T11:03:00Z', totalMinor: 249_000, currency: 'RUB', fiscalDocumentNumber: null, ...over,
});
const WHAT_TO_DO = 'Старшему кассиру: проверьте, не выданы ли деньги дважды, и решите это в LIFE POS. Повторно ничего не пробивайте.';

/** An overlap whose Russian text is exactly `length` characters long (the line's name takes up the rest). */
function overlapOfLength(length: number): FoundOverlap {
  const base = overlapReason('Т-1', { lines: [line('')], refunds: [refund()] }).length;
  return { lines: [line('Ч'.repeat(length - base))], refunds: [refund()] };
}

describe('the overlap said in Russian (the refund\'s reason in F4)', () => {
  it('names every line and every refund, each till by its ФН and receipt, separated so they read apart, and says what to do', () => {
    const text = overlapReason('Т-1', {
      lines: [line('Чайник'), line('Чашка', 2000, 3000)],
      refunds: [
        refund({ refundId: 'a', thisTill: false, till: '7281440500112233', fiscalDocumentNumber: 17, at: '2026-12-01T11:00:00Z' }),
        refund({ refundId: 'b', thisTill: false, till: '7281440500445566', at: '2026-12-01T11:01:00Z', totalMinor: 50_000 }),
        refund({ refundId: 'c', thisTill: false, at: '2026-12-01T11:02:00Z', totalMinor: 1 }),
        refund(),
      ],
    });
    expect(text).toBe('Продажа Т-1 возвращена больше, чем продано (возвраты на разных кассах без связи): '
      + '«Чайник»: продано 1, возвращено 2; «Чашка»: продано 2, возвращено 3. '
      + 'Возвраты: касса с ФН № 7281440500112233, чек ФД № 17 — 01.12.2026 11:00, 2490,00 ₽; '
      + 'касса с ФН № 7281440500445566 — 01.12.2026 11:01, 500,00 ₽; '
      + 'другая касса — 01.12.2026 11:02, 0,01 ₽; '
      + 'эта касса — 01.12.2026 11:03, 2490,00 ₽. '
      + `Оба чека напечатаны и остаются в силе; возврат этой кассы записан в LIFE POS. ${WHAT_TO_DO}`);
  });

  it('an Uzbek sale\'s refunds are in сум', () => {
    expect(overlapReason('Т-2', { lines: [line('Choynak')], refunds: [refund({ currency: 'UZS', totalMinor: 1_500_000 })] }))
      .toContain('эта касса — 01.12.2026 11:03, 15000,00 сум.');
  });

  it('fits the contract\'s 2000 characters: a text of exactly 2000 stays whole, a longer one is cut to 1990 and an ellipsis', () => {
    const whole = overlapReason('Т-1', overlapOfLength(2000));
    expect(whole).toHaveLength(2000);
    expect(whole.endsWith(WHAT_TO_DO)).toBe(true);

    const long = overlapOfLength(2001);
    const cut = overlapReason('Т-1', long);
    expect(cut).toHaveLength(1991);
    expect(cut.startsWith(`Продажа Т-1 возвращена больше, чем продано (возвраты на разных кассах без связи): «${long.lines[0]?.name ?? ''}»`)).toBe(true);
    expect(cut.endsWith('Повторно ничего не …')).toBe(true);
  });
});

describe('the overlap as a code with values (said in the UI\'s language)', () => {
  it('carries the sale, the lines and every refund with its till, receipt, time and amount', () => {
    const said = overlapText('Т-1', {
      lines: [line('Чайник')],
      refunds: [refund({ refundId: 'a', thisTill: false, till: '7281440500112233', fiscalDocumentNumber: 17, at: '2026-12-01T11:00:00Z' }), refund({ currency: 'UZS' })],
    });
    expect(MainText.parse(said)).toEqual(said);
    expect([said.code, said.params.saleNumber]).toEqual(['overlap.flagged', 'Т-1']);
    expect(said.params.lines).toEqual([{ name: 'Чайник', soldMilli: 1000, refundedMilli: 2000 }]);
    expect(said.params.refunds[0]).toEqual({ thisTill: false, till: '7281440500112233', fd: 17, at: '01.12.2026 11:00', totalMinor: 249_000, currency: 'RUB' });
    expect(said.params.refunds[1]).toEqual({ thisTill: true, till: null, fd: null, at: '01.12.2026 11:03', totalMinor: 249_000, currency: 'UZS' });
    expect(said.params.refunds).toHaveLength(2);
  });

  it('keeps the first 50 lines and refunds, so a sale refunded at many tills still passes the contract', () => {
    const many = Array.from({ length: 60 }, (_, i) => i);
    const said = overlapText('Т-1', {
      lines: many.map((i) => line(`Товар ${i}`)),
      refunds: many.map((i) => refund({ refundId: `r-${i}`, thisTill: i === 0, totalMinor: i + 1 })),
    });
    expect(MainText.parse(said)).toEqual(said);
    expect(said.params.lines.map((l) => l.name)).toEqual(many.slice(0, 50).map((i) => `Товар ${i}`));
    expect(said.params.refunds.map((r) => r.totalMinor)).toEqual(many.slice(0, 50).map((i) => i + 1));
  });
});
