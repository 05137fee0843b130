import type { Currency, RefundLineRequest, SaleLine } from '../../../preload/contract';
import { formatQuantity, parseQuantity } from '../format/money';
import type { LineKey } from '../keys/keymap';

/**
 * What the cashier picked on the sale-lines screen. Pure: every key is a function from one selection
 * to the next, so the screen re-renders only the rows whose quantity or focus changed.
 */
export interface Selection {
  cursor: number;
  /** lineId → thousandths to refund; lines not picked are absent. */
  quantities: Readonly<Record<string, number>>;
  /** Characters typed for the line under the cursor, applied on Enter. */
  typed: string;
  /** When each typed character arrived, to tell a scanner from a person. */
  typedAt: readonly number[];
  /** Russian, why the last key did nothing. */
  notice: string | null;
}

export const emptySelection: Selection = { cursor: 0, quantities: {}, typed: '', typedAt: [], notice: null };

const ONE = 1000;

/**
 * Units a line is weighed or measured in (REGOS `unit_name`, seed 002's example "шт" being the piece).
 * LIFE POS and LIFE PAY give no unit: a line sold in a fractional quantity is weighed, any other is sold
 * by the piece, so its refund is whole pieces only (issue 13 point 5).
 */
const MEASURED_UNITS = /^(кг|г|гр|л|мл|м|см|м2|м²|м3|kg|g|l|ml|m)\.?$/i;

export function isWeighed(line: SaleLine): boolean {
  const unit = line.extra?.unit_name;
  if (typeof unit === 'string' && unit.trim() !== '') return MEASURED_UNITS.test(unit.trim());
  return line.quantityMilli % ONE !== 0;
}

function withQuantity(sel: Selection, line: SaleLine, milli: number): Selection {
  const quantities = { ...sel.quantities };
  if (milli > 0) quantities[line.lineId] = milli;
  else delete quantities[line.lineId];
  return { ...sel, quantities, typed: '', typedAt: [], notice: null };
}

const clampCursor = (i: number, count: number) => Math.max(0, Math.min(count - 1, i));

export function applyLineKey(sel: Selection, key: LineKey, lines: readonly SaleLine[], now: number): Selection {
  if (lines.length === 0) return sel;
  const line = lines[sel.cursor];
  const current = line ? (sel.quantities[line.lineId] ?? 0) : 0;
  switch (key.kind) {
    case 'move': return { ...sel, cursor: clampCursor(sel.cursor + key.by, lines.length), typed: '', typedAt: [], notice: null };
    case 'edge': return { ...sel, cursor: key.to === 'first' ? 0 : lines.length - 1, typed: '', typedAt: [], notice: null };
    case 'all': {
      const quantities: Record<string, number> = {};
      for (const l of lines) if (l.refundableMilli > 0) quantities[l.lineId] = l.refundableMilli;
      const nothingLeft = Object.keys(quantities).length === 0;
      return { ...sel, quantities, typed: '', typedAt: [], notice: nothingLeft ? 'По этой продаже всё уже возвращено' : null };
    }
    case 'erase': return { ...sel, typed: sel.typed.slice(0, -1), typedAt: sel.typedAt.slice(0, -1), notice: null };
    case 'type': {
      if (key.char === ',' && sel.typed.includes(',')) return sel;
      if (sel.typed.length >= 24) return sel;
      return { ...sel, typed: sel.typed + key.char, typedAt: [...sel.typedAt, now], notice: null };
    }
    case 'toggle':
    case 'step': {
      if (!line) return sel;
      if (line.refundableMilli === 0) return { ...sel, notice: 'Эта позиция уже возвращена полностью' };
      if (key.kind === 'toggle') return withQuantity(sel, line, current > 0 ? 0 : line.refundableMilli);
      return withQuantity(sel, line, Math.max(0, Math.min(line.refundableMilli, current + key.by * ONE)));
    }
  }
}

/** Enter with typed characters: set the quantity of the line under the cursor, never above its remainder. */
export function commitTyped(sel: Selection, lines: readonly SaleLine[], currency: Currency): Selection {
  const line = lines[sel.cursor];
  if (!line || sel.typed === '') return sel;
  const milli = parseQuantity(sel.typed);
  if (milli === null) return { ...sel, typed: '', typedAt: [], notice: `Неверное количество: «${sel.typed}»` };
  if (milli % ONE !== 0 && !isWeighed(line)) {
    return { ...sel, typed: '', typedAt: [], notice: `«${line.name}» продаётся поштучно: введите целое число` };
  }
  if (milli > line.refundableMilli) {
    return {
      ...sel, typed: '', typedAt: [],
      notice: line.refundableMilli === 0
        ? 'Эта позиция уже возвращена полностью'
        : `Нельзя вернуть больше, чем осталось: не больше ${formatQuantity(line.refundableMilli, currency)}`,
    };
  }
  return withQuantity(sel, line, milli);
}

export function refundLines(sel: Selection, lines: readonly SaleLine[]): RefundLineRequest[] {
  return lines.flatMap((l) => {
    const q = sel.quantities[l.lineId];
    return q ? [{ lineId: l.lineId, quantityMilli: q }] : [];
  });
}

/** A marking code as a wedge scanner may send it: without the GS1 DataMatrix symbology prefix and group separators. */
const GS = String.fromCharCode(0x1d);
const markingCode = (code: string) => code.replace(/^\]d2/, '').split(GS).join('');

/**
 * A scan on the sale's lines (issue 13 point 4). A product barcode of this sale moves to its line (the
 * first one with something left to return) and changes no quantity: the cashier confirms with Space or +.
 * A marking code (REGOS `label`) names one unit of one line: that unit is added to the refund.
 */
export function pickByBarcode(sel: Selection, lines: readonly SaleLine[], barcode: string): Selection | null {
  const marked = lines.findIndex((l) => typeof l.extra?.label === 'string' && l.extra.label !== '' && markingCode(l.extra.label) === markingCode(barcode));
  const markedLine = lines[marked];
  if (markedLine) {
    const current = sel.quantities[markedLine.lineId] ?? 0;
    if (current + ONE > markedLine.refundableMilli) {
      return { ...sel, cursor: marked, typed: '', typedAt: [], notice: `Этот экземпляр «${markedLine.name}» уже в возврате или возвращён` };
    }
    return { ...withQuantity({ ...sel, cursor: marked }, markedLine, current + ONE), notice: `Код маркировки: «${markedLine.name}» добавлен к возврату` };
  }
  const withBarcode = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.barcode === barcode);
  const target = withBarcode.find(({ l }) => l.refundableMilli > (sel.quantities[l.lineId] ?? 0)) ?? withBarcode[0];
  if (!target) return null;
  const notice = target.l.refundableMilli === 0
    ? `«${target.l.name}» уже возвращён полностью`
    : `Выбрано: «${target.l.name}». Пробел — вернуть, цифры — количество`;
  return { ...sel, cursor: target.i, typed: '', typedAt: [], notice };
}
