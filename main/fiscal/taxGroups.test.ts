import { describe, expect, it } from 'vitest';
import { FACTORY_GROUP, planTaxGroups, type TaxRow } from './taxGroups';

const ROWS_2026: TaxRow[] = [
  [2000, 'НДС 20%'], [1000, 'НДС 10%'], [0, 'НДС 0%'], [0, 'БЕЗ НДС'], [2000, 'НДС 20/120'], [1000, 'НДС 10/110'],
  [500, 'НДС 5%'], [700, 'НДС 7%'], [500, 'НДС 5/105%'], [700, 'НДС 7/107%'], [2200, 'НДС 22%'], [2200, 'НДС 22/122'],
].map(([rate, name], i) => ({ group: i + 1, rate: rate as number, name: name as string }));

describe('tax group per VAT rate from the device\'s table 6', () => {
  it('maps all twelve Russian rates to the vendor\'s 2026 rows and refuses Uzbekistan\'s 12 % and 15 %', () => {
    const plan = planTaxGroups({ rows: ROWS_2026, replace20With22: 2, deviceYear: 2026 }, {});
    expect(plan.groups).toEqual(FACTORY_GROUP);
    expect(Object.keys(plan.refused)).toEqual(['vat12', 'vat15']);
  });

  it('tells 0 % from без НДС and 20 % from 20/120 by the row name, not the rate alone', () => {
    const swapped = ROWS_2026.map((r) => (r.group === 3 ? { ...r, name: 'БЕЗ НДС' } : r.group === 1 ? { ...r, name: 'НДС 20/120' } : r));
    const plan = planTaxGroups({ rows: swapped, replace20With22: 2, deviceYear: 2026 }, {});
    expect(plan.refused.vat0).toMatch(/в группе 3 ККТ записана ставка «БЕЗ НДС»/);
    expect(plan.refused.vat20).toMatch(/«НДС 20\/120»/);
    expect(plan.groups.none).toBe(4);
  });

  it('the replacement switch matters only from the device\'s 2026 on, and only for groups 1 and 5', () => {
    expect(planTaxGroups({ rows: ROWS_2026, replace20With22: 1, deviceYear: 2025 }, {}).refused.vat20).toBeUndefined();
    const in2026 = planTaxGroups({ rows: ROWS_2026, replace20With22: 1, deviceYear: 2026 }, {});
    expect(Object.keys(in2026.refused).sort()).toEqual(['vat12', 'vat120', 'vat15', 'vat20']);
  });

  it('without a readable table: factory groups 1..6, anything else only by an explicit override', () => {
    const plan = planTaxGroups({ rows: null, replace20With22: null, deviceYear: 2026 }, { vat22: 11 });
    expect(plan.groups).toMatchObject({ vat20: 1, none: 4, vat110: 6, vat22: 11 });
    expect(plan.refused.vat122).toMatch(/таблицу налоговых ставок/);
  });
});
