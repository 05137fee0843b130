/**
 * FF46 tax byte for a group: groups 1..6 one bit each; 7..10 0x80 with a bit; 11 and 12 0xC0 + group on
 * desktop models, 0x90/0xA0 on the ШТРИХ-НАНО-Ф (model 152). Source: javapos FiscalPrinterImpl
 * getVatCodeShtrih / getVatCodeShtrihNano (2026), Doc/VatTable.txt.
 */
export const NANO_MODEL = 152;

export function taxByteOfGroup(group: number, model: number | undefined): number {
  if (!Number.isInteger(group) || group < 1 || group > 63) throw new RangeError(`tax group ${group}`);
  if (group <= 6) return 1 << (group - 1);
  if (group <= 10 || (model === NANO_MODEL && group <= 12)) return 0x80 | (1 << (group - 7));
  return 0xc0 + group;
}
