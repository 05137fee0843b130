/**
 * What differs between the two firmware generations the emulator models (PROTOCOL.md §VAT 2026):
 * - 'pre2026': table 6 "Налоговые ставки" has the six factory rows (20 %, 10 %, 0 %, без НДС, 20/120,
 *   10/110), as in the public table dump of a ШТРИХ-НАНО-Ф with firmware C.3.323 (2021);
 * - '2026': twelve rows (adds 5 %, 7 %, 5/105, 7/107, 22 %, 22/122 in rows 7..12) and table 17 field 71
 *   "замена НДС 20 на 22" (1 = the device prints 22 % for group 1 after 1 January 2026, 2 = it prints the
 *   group it is given), as in the dump of firmware C.3.664 (21.01.2026) and the vendor's answer in
 *   shtrih-m/fr_drv_ng issue 328.
 */
export type FirmwareGeneration = 'pre2026' | '2026';

export interface TaxRow {
  /** Rate in hundredths of a percent, as table 6 field 1 holds it (2000 = 20 %). */
  rate: number;
  /** Table 6 field 2, 64 bytes of CP1251 on the device. */
  name: string;
}

export interface Firmware {
  generation: FirmwareGeneration;
  version: string;
  build: number;
  /** Firmware date as 0x11 reports it: day, month, year − 2000. */
  date: [number, number, number];
  taxRows: TaxRow[];
}

const FACTORY_ROWS: TaxRow[] = [
  { rate: 2000, name: 'НДС 20%' },
  { rate: 1000, name: 'НДС 10%' },
  { rate: 0, name: 'НДС 0%' },
  { rate: 0, name: 'БЕЗ НДС' },
  { rate: 2000, name: 'НДС 20/120' },
  { rate: 1000, name: 'НДС 10/110' },
];

const ROWS_2026: TaxRow[] = [
  ...FACTORY_ROWS,
  { rate: 500, name: 'НДС 5%' },
  { rate: 700, name: 'НДС 7%' },
  { rate: 500, name: 'НДС 5/105%' },
  { rate: 700, name: 'НДС 7/107%' },
  { rate: 2200, name: 'НДС 22%' },
  { rate: 2200, name: 'НДС 22/122' },
];

export function firmwareOf(generation: FirmwareGeneration): Firmware {
  return generation === '2026'
    ? { generation, version: 'C.3', build: 664, date: [21, 1, 26], taxRows: ROWS_2026.map((r) => ({ ...r })) }
    : { generation, version: 'C.3', build: 323, date: [1, 12, 21], taxRows: FACTORY_ROWS.map((r) => ({ ...r })) };
}

/**
 * The value of tag 1199 the firmware writes for each tax group (the group order is the vendor's, the
 * tag values are table 8 of the ФФД formats; values 11 and 12 from order ЕД-7-20/1050@).
 */
export const TAG_1199_OF_GROUP: Record<number, number> = { 1: 1, 2: 2, 3: 5, 4: 6, 5: 3, 6: 4, 7: 7, 8: 8, 9: 9, 10: 10, 11: 11, 12: 12 };

/**
 * FF46 tax byte → tax group. Groups 1..6 are one bit each (0x01..0x20); groups 7..12 are 0x80 with one
 * bit (0x81..0xA0); groups 11..63 may also come as 0xC0 + group (the vendor's JavaPOS 2026 code and its
 * Doc/VatTable.txt). Anything else is not a group.
 */
export function groupOfTaxByte(b: number): number | undefined {
  const singleBit = (v: number): number | undefined => (v !== 0 && (v & (v - 1)) === 0 ? Math.log2(v) : undefined);
  if (b < 0x40) {
    const bit = singleBit(b);
    return bit === undefined ? undefined : bit + 1;
  }
  if (b >= 0xc0 + 11) return b - 0xc0;
  if (b >= 0x80 && b < 0xc0) {
    const bit = singleBit(b & 0x3f);
    return bit === undefined ? undefined : bit + 7;
  }
  return undefined;
}

/** Tax of a line the device computes itself (FF46 tax FF..FF): the sum holds the tax, rate/(100+rate). */
export function taxOfLine(amountMinor: number, rateHundredths: number): number {
  if (rateHundredths === 0) return 0;
  // Half up to a kopeck, in integers.
  const num = BigInt(amountMinor) * BigInt(rateHundredths) * 2n;
  const den = BigInt(10_000 + rateHundredths) * 2n;
  return Number((num + den / 2n) / den);
}
