import type { VatRate } from '../../preload/contract/domain';
import type { VatGroups } from '../../preload/contract/settings';

/**
 * Which tax group of the register prints each VAT rate, decided from what the device itself reports at
 * connect (table 6 "Налоговые ставки", table 17 field 71, its clock), with the store's settings as an
 * override. A rate the device would print wrong is refused before the printer is touched, with a message
 * that says what to update. Facts and sources: PROTOCOL.md §VAT 2026.
 */
export type { VatGroups };

export interface TaxRow {
  group: number;
  /** Table 6 field 1: hundredths of a percent (2000 = 20 %). */
  rate: number;
  /** Table 6 field 2, as the device prints it ("НДС 20/120"). */
  name: string;
}

export interface DeviceTaxFacts {
  /** Rows of table 6 in group order; null when the device would not let us read the table. */
  rows: TaxRow[] | null;
  /** Table 17 field 71 of 2026 firmware: 1 = prints 22 % for groups 1 and 5 from 2026, 2 = prints what it is sent. */
  replace20With22: number | null;
  /** The device's own year (its clock decides when the replacement starts). */
  deviceYear: number;
}

export interface TaxGroupPlan {
  groups: VatGroups;
  /** Rates this device must not print, with the Russian reason (what happened, what to do). */
  refused: Partial<Record<VatRate, string>>;
}

/** Uzbekistan's rates (REGOS): no Russian register prints them. */
export type UzbekRate = 'vat12' | 'vat15';
export const isUzbekRate = (vat: VatRate): vat is UzbekRate => vat === 'vat12' || vat === 'vat15';

/** The vendor's 2026 group layout (table 6 rows 1..12 of firmware C.3.664; javapos VatRate order). */
export const FACTORY_GROUP: Readonly<Record<Exclude<VatRate, UzbekRate>, number>> = {
  vat20: 1, vat10: 2, vat0: 3, none: 4, vat120: 5, vat110: 6,
  vat5: 7, vat7: 8, vat105: 9, vat107: 10, vat22: 11, vat122: 12,
};

const PERCENT: Record<Exclude<VatRate, UzbekRate | 'none'>, { rate: number; calculated: boolean }> = {
  vat0: { rate: 0, calculated: false },
  vat5: { rate: 500, calculated: false },
  vat7: { rate: 700, calculated: false },
  vat10: { rate: 1000, calculated: false },
  vat20: { rate: 2000, calculated: false },
  vat22: { rate: 2200, calculated: false },
  vat105: { rate: 500, calculated: true },
  vat107: { rate: 700, calculated: true },
  vat110: { rate: 1000, calculated: true },
  vat120: { rate: 2000, calculated: true },
  vat122: { rate: 2200, calculated: true },
};

/** How a rate is written for people: "20 %", "20/120", "без НДС". */
export const RATE_TEXT: Record<VatRate, string> = {
  none: 'без НДС', vat0: '0 %', vat5: '5 %', vat7: '7 %', vat10: '10 %', vat12: '12 %', vat15: '15 %', vat20: '20 %', vat22: '22 %',
  vat105: '5/105', vat107: '7/107', vat110: '10/110', vat120: '20/120', vat122: '22/122',
};

/** Does table 6's row print this rate? A row is read by its rate and by its name ("/" = calculated, "БЕЗ" = no VAT). */
export function rowPrints(row: TaxRow, vat: VatRate): boolean {
  const name = row.name.toUpperCase();
  if (vat === 'none') return row.rate === 0 && name.includes('БЕЗ');
  if (isUzbekRate(vat)) return false;
  const want = PERCENT[vat];
  return row.rate === want.rate && name.includes('/') === want.calculated && !name.includes('БЕЗ');
}

const SERVICE = 'Обратитесь в сервисный центр ККТ (техподдержку).';

export function planTaxGroups(device: DeviceTaxFacts, overrides: VatGroups): TaxGroupPlan {
  const groups: VatGroups = {};
  const refused: Partial<Record<VatRate, string>> = {};
  for (const vat of Object.keys(RATE_TEXT) as VatRate[]) {
    const reason = refusal(device, overrides, vat);
    if (reason) refused[vat] = reason;
    else groups[vat] = overrides[vat] ?? FACTORY_GROUP[vat as keyof typeof FACTORY_GROUP];
  }
  return { groups, refused };
}

/**
 * What the cashier and IT are told at connect: the refusals that touch the common refunds of 2026 — a
 * 2025 sale at 20 % and a 2026 sale at 22 % — each naming what to update. null when both print.
 */
export function vatNotice(plan: TaxGroupPlan): string | null {
  const reasons = [...new Set([plan.refused.vat20, plan.refused.vat22].filter((r): r is string => r !== undefined))];
  return reasons.length === 0 ? null : reasons.join(' ');
}

function refusal(device: DeviceTaxFacts, overrides: VatGroups, vat: VatRate): string | undefined {
  const text = RATE_TEXT[vat];
  const head = `Строку со ставкой НДС ${text} нельзя напечатать на этой ККТ: `;
  if (isUzbekRate(vat)) return `${head}ставка ${text} — узбекская, в чеке ККТ России её нет. Проверьте, из какой системы взята продажа.`;
  const group = overrides[vat] ?? FACTORY_GROUP[vat];
  const where = overrides[vat] === undefined ? '' : ' (группа задана в настройках F9 → «Налоговые группы ККТ»)';
  if (device.rows === null) {
    // Without the table only the factory groups 1..6 are known, unless IT named the group.
    if (overrides[vat] !== undefined || group <= 6) return undefined;
    return `${head}ККТ не дала прочитать таблицу налоговых ставок (таблица 6). Укажите группу в настройках F9 → «Налоговые группы ККТ». ${SERVICE}`;
  }
  const row = device.rows.find((r) => r.group === group);
  if (!row) {
    const is2026 = vat === 'vat22' || vat === 'vat122';
    return is2026
      ? `${head}прошивка ККТ выпущена до 2026 года — в её таблице налогов ${device.rows.length} строк, ставок 22 % и 22/122 нет. Обновите прошивку ККТ до версии 2026 года (ставки 22 % и 22/122 в строках 11 и 12 таблицы 6). ${SERVICE}`
      : `${head}в таблице налогов ККТ нет группы ${group}${where} (строк: ${device.rows.length}). Обновите прошивку ККТ или укажите группу в настройках. ${SERVICE}`;
  }
  if (!rowPrints(row, vat)) {
    return `${head}в группе ${group}${where} ККТ записана ставка «${row.name.trim()}» (${row.rate / 100} %), а не ${text}. Чек со строкой по чужой ставке не печатается. Верните заводскую ставку в строке ${group} таблицы 6 или укажите верную группу в настройках. ${SERVICE}`;
  }
  if ((group === 1 || group === 5) && device.replace20With22 === 1 && device.deviceYear >= 2026) {
    return `${head}ККТ сама заменяет НДС 20 % на 22 % (таблица 17, поле 71 = 1), и строка напечаталась бы по ставке ${vat === 'vat20' ? '22 %' : '22/122'}. Возврат продажи 2025 года печатается по ставке исходного чека (письмо ФНС от 15.12.2025 № АБ-4-20/11248@). Установите в таблице 17 поле 71 значение 2 («не заменять»). ${SERVICE}`;
  }
  return undefined;
}
