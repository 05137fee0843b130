import type { Currency, RefundLineRequest, SaleLine } from '../../../preload/contract';
import { markingKey, normaliseScan, parseMarkingCode, saleLineCodes, gtinOfBarcode } from '../../../preload/contract/markingCode';
import { formatQuantity, parseQuantity } from '../format/money';
import type { Translate } from '../i18n/catalogue';
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
  /** In the till's language (`t` given to each step), why the last key did nothing. */
  notice: string | null;
  /** Marked lines: lineId → the code of each unit scanned for the refund (issue 21), in scan order. */
  codes?: Readonly<Record<string, readonly string[]>>;
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
  // Fewer units than codes: the last scanned ones go (the cashier took those units back off the refund).
  const codes = { ...sel.codes };
  const kept = (codes[line.lineId] ?? []).slice(0, Math.floor(milli / ONE));
  if (kept.length > 0) codes[line.lineId] = kept;
  else delete codes[line.lineId];
  return { ...sel, quantities, codes, typed: '', typedAt: [], notice: null };
}

const clampCursor = (i: number, count: number) => Math.max(0, Math.min(count - 1, i));

export function applyLineKey(sel: Selection, key: LineKey, lines: readonly SaleLine[], now: number, t: Translate): Selection {
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
      return { ...sel, quantities, typed: '', typedAt: [], notice: nothingLeft ? t('selection.allRefunded') : null };
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
      if (line.refundableMilli === 0) return { ...sel, notice: t('selection.lineRefunded') };
      if (key.kind === 'toggle') return withQuantity(sel, line, current > 0 ? 0 : line.refundableMilli);
      return withQuantity(sel, line, Math.max(0, Math.min(line.refundableMilli, current + key.by * ONE)));
    }
  }
}

/** Enter with typed characters: set the quantity of the line under the cursor, never above its remainder. */
export function commitTyped(sel: Selection, lines: readonly SaleLine[], currency: Currency, t: Translate): Selection {
  const line = lines[sel.cursor];
  if (!line || sel.typed === '') return sel;
  const milli = parseQuantity(sel.typed);
  if (milli === null) return { ...sel, typed: '', typedAt: [], notice: t('selection.badQuantity', { typed: sel.typed }) };
  if (milli % ONE !== 0 && !isWeighed(line)) {
    return { ...sel, typed: '', typedAt: [], notice: t('selection.wholePieces', { name: line.name }) };
  }
  if (milli > line.refundableMilli) {
    return {
      ...sel, typed: '', typedAt: [],
      notice: line.refundableMilli === 0
        ? t('selection.lineRefunded')
        : t('selection.tooMuch', { max: formatQuantity(line.refundableMilli, currency) }),
    };
  }
  return withQuantity(sel, line, milli);
}

export function refundLines(sel: Selection, lines: readonly SaleLine[]): RefundLineRequest[] {
  return lines.flatMap((l) => {
    const q = sel.quantities[l.lineId];
    const codes = sel.codes?.[l.lineId] ?? [];
    return q ? [{ lineId: l.lineId, quantityMilli: q, ...(codes.length > 0 ? { markingCodes: [...codes] } : {}) }] : [];
  });
}

/**
 * Does this marked line take the scanned code? Its sale lists the code (REGOS `label`, LIFE POS codes),
 * or the code's GTIN is the line's product (its barcode, or the GTIN of the codes the sale lists).
 */
function lineTakes(line: SaleLine, scanned: string): boolean {
  const known = saleLineCodes(line);
  if (!known) return false;
  const key = markingKey(scanned);
  if (known.some((k) => markingKey(k) === key)) return true;
  const gtin = parseMarkingCode(scanned)?.gtin;
  if (!gtin) return false;
  return gtinOfBarcode(line.barcode ?? '') === gtin || known.some((k) => parseMarkingCode(k)?.gtin === gtin);
}

/** A scanned unit of a marked line: added with its code, once; a line with nothing left says so. */
function addMarkedUnit(sel: Selection, lines: readonly SaleLine[], index: number, scanned: string, t: Translate): Selection {
  const line = lines[index];
  if (!line) return sel;
  const codes = sel.codes?.[line.lineId] ?? [];
  const here = { ...sel, cursor: index, typed: '', typedAt: [] };
  if (codes.some((c) => markingKey(c) === markingKey(scanned))) return { ...here, notice: t('selection.unitScanned', { name: line.name }) };
  const current = sel.quantities[line.lineId] ?? 0;
  const quantity = Math.max(current, (codes.length + 1) * ONE);
  if (quantity > line.refundableMilli) return { ...here, notice: t('selection.unitTaken', { name: line.name }) };
  const next = withQuantity(here, line, quantity);
  const full = parseMarkingCode(scanned)?.full ?? normaliseScan(scanned);
  return { ...next, codes: { ...next.codes, [line.lineId]: [...codes, full] }, notice: t('selection.unitAdded', { name: line.name, count: codes.length + 1 }) };
}

/**
 * A scan on the sale's lines (issue 13 point 4). A product barcode of this sale moves to its line (the
 * first one with something left to return) and changes no quantity: the cashier confirms with Space or +.
 * A marking code (REGOS `label`) names one unit of one line: that unit is added to the refund.
 */
export function pickByBarcode(sel: Selection, lines: readonly SaleLine[], barcode: string, t: Translate): Selection | null {
  const marked = lines.findIndex((l) => lineTakes(l, barcode) && l.refundableMilli > (sel.quantities[l.lineId] ?? 0));
  const anyMarked = marked >= 0 ? marked : lines.findIndex((l) => lineTakes(l, barcode));
  if (anyMarked >= 0) return addMarkedUnit(sel, lines, anyMarked, barcode, t);
  // A DataMatrix of goods this sale did not sell: refused here, never taken for a receipt number to search.
  const foreign = parseMarkingCode(barcode);
  if (foreign) {
    return { ...sel, typed: '', typedAt: [], notice: t('selection.foreignCode', { gtin: foreign.gtin }) };
  }
  const withBarcode = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.barcode === barcode);
  const target = withBarcode.find(({ l }) => l.refundableMilli > (sel.quantities[l.lineId] ?? 0)) ?? withBarcode[0];
  if (!target) return null;
  const notice = target.l.refundableMilli === 0
    ? t('selection.barcodeRefunded', { name: target.l.name })
    : t('selection.barcodePicked', { name: target.l.name });
  return { ...sel, cursor: target.i, typed: '', typedAt: [], notice };
}
