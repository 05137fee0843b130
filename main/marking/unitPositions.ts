import { AppError } from '../appError';
import type { RefundLine } from '../../preload/contract';

/**
 * A marked line goes on a receipt as one position per unit, each with its own code: the ФН binds one
 * code to a position (FF67, main/fiscal/shtrih/PROTOCOL.md §Marking codes), and REGOS takes one `label` per
 * position. The line's money is shared to the kopeck: the first units take the remainder, one kopeck
 * each, so the positions add up to the line exactly.
 */
export interface MarkedUnit {
  code: string;
  amountMinor: number;
}

export function markedUnits(l: RefundLine): MarkedUnit[] | null {
  const codes = l.markingCodes ?? [];
  if (codes.length === 0) return null;
  if (codes.length * 1000 !== l.quantityMilli) throw new RangeError(`line ${l.lineId}: ${codes.length} codes for ${l.quantityMilli} thousandths`);
  const base = Math.floor(l.amountMinor / codes.length);
  const dearer = l.amountMinor - base * codes.length;
  return codes.map((code, i) => ({ code, amountMinor: base + (i < dearer ? 1 : 0) }));
}

/**
 * Seeds 002/003: "каждый параметр label должен быть уникальным в рамках одного запроса". Checked before
 * anything is sent, so VCR never sees such a receipt; the message names the lines.
 */
export function refusingRepeatedLabels<T extends { name: string; label?: string | null | undefined }>(positions: T[]): T[] {
  const first = new Map<string, number>();
  positions.forEach((p, i) => {
    if (!p.label) return;
    const earlier = first.get(p.label);
    if (earlier === undefined) {
      first.set(p.label, i);
      return;
    }
    const a = positions[earlier]?.name ?? '';
    throw new AppError({
      code: 'marking.label_repeated',
      message: `Один и тот же код маркировки стоит в строках ${earlier + 1} («${a}») и ${i + 1} («${p.name}») чека возврата. REGOS VCR не примет такой чек: у каждого экземпляра свой код. Проверьте отсканированные коды.`,
      retry: 'permanent',
      detail: `label repeated at positions ${earlier + 1} and ${i + 1}`,
    });
  });
  return positions;
}
