import { AppError } from '../appError';
import { gtinOfBarcode, markingKey, normaliseScan, parseMarkingCode, saleLineCodes, type MarkingCode } from '../../preload/contract/markingCode';
import type { RefundLine, RefundLineRequest, SaleLine } from '../../preload/contract';
import { MAX_RECEIPT_POSITIONS } from '../fiscal/receipt';

/**
 * One code per unit of a marked line (README.md §Per unit): the codes the cashier scanned, checked
 * against the line's product and the sale before anything is recorded, or — where the store allows it —
 * the codes the sale recorded for units nobody refunded yet.
 */
export interface CodeRules {
  /** Store setting: a unit whose code cannot be scanned may go back with a code the sale recorded. */
  takeFromSale: boolean;
  /** Code keys this till already refunded (or is refunding): key → refund id. */
  alreadyRefunded(keys: readonly string[]): Map<string, string>;
}

const refuse = (code: string, message: string, detail?: string): AppError =>
  new AppError({ code, message, retry: 'permanent', ...(detail ? { detail } : {}) });

/** The end of a code, enough for a cashier to tell two apart without the whole line of symbols. */
const tail = (c: string): string => `…${normaliseScan(c).slice(-10)}`;

export function withMarkingCodes(lines: readonly RefundLine[], saleLines: readonly SaleLine[], requests: readonly RefundLineRequest[], rules: CodeRules): RefundLine[] {
  const seen = new Set<string>();
  const priced = lines.map((line) => {
    const sale = saleLines.find((l) => l.lineId === line.lineId);
    const request = requests.find((r) => r.lineId === line.lineId);
    const codes = sale ? unitCodes(line, sale, request?.markingCodes ?? [], rules) : null;
    if (!codes) return line;
    for (const c of codes) {
      if (seen.has(c.key)) throw refuse('marking.duplicate', `«${line.name}»: один и тот же код маркировки отсканирован дважды (${tail(c.full)}). Каждый экземпляр возвращается один раз.`);
      seen.add(c.key);
    }
    return { ...line, markingCodes: codes.map((c) => c.full) };
  });
  const taken = rules.alreadyRefunded([...seen]);
  for (const line of priced) {
    const again = (line.markingCodes ?? []).find((c) => taken.has(markingKey(c)));
    if (again) {
      throw refuse('marking.already_refunded', `«${line.name}»: этот экземпляр уже возвращён (код маркировки ${tail(again)}). Повторно вернуть его нельзя.`, `refund ${taken.get(markingKey(again)) ?? '?'}`);
    }
  }
  return priced;
}

function unitCodes(line: RefundLine, sale: SaleLine, scanned: readonly string[], rules: CodeRules): MarkingCode[] | null {
  const known = saleLineCodes(sale);
  if (known === null) {
    if (scanned.length > 0) throw refuse('marking.not_marked', `«${line.name}»: товар не маркирован, код маркировки для него не нужен.`);
    return null;
  }
  if (line.quantityMilli % 1000 !== 0) throw refuse('marking.whole_units', `«${line.name}»: маркированный товар возвращается поштучно — укажите целое количество.`);
  const units = line.quantityMilli / 1000;
  // Each piece is a position, and a line is never split between receipts (refunds/receiptPlan.ts).
  if (units > MAX_RECEIPT_POSITIONS) {
    throw refuse('marking.too_many_units', `«${line.name}»: за один возврат — не больше ${MAX_RECEIPT_POSITIONS} маркированных экземпляров этой позиции (каждый печатается отдельной строкой чека). Верните остальные следующим возвратом.`);
  }
  const knownCodes = known.map((k) => asCode(k)).filter((c): c is MarkingCode => c !== null);
  // The sale lists every unit's code: a code it does not list is not from this sale.
  const complete = knownCodes.length >= sale.quantityMilli / 1000;
  const codes = scanned.map((s) => checkScanned(s, line.name, sale, knownCodes, complete));
  if (codes.length > units) throw refuse('marking.too_many', `«${line.name}»: отсканировано кодов ${codes.length}, а возвращается ${units} шт. Уберите лишний код или увеличьте количество.`);
  if (codes.length === units) return codes;
  if (!rules.takeFromSale || knownCodes.length === 0) {
    throw refuse('marking.scan_each', `«${line.name}»: отсканируйте код маркировки с каждого возвращаемого экземпляра (нужно ${units}, отсканировано ${codes.length}).`);
  }
  const chosen = new Set(codes.map((c) => c.key));
  const taken = rules.alreadyRefunded(knownCodes.map((c) => c.key));
  const free = knownCodes.filter((c) => !chosen.has(c.key) && !taken.has(c.key));
  if (codes.length + free.length < units) {
    throw refuse('marking.scan_each', `«${line.name}»: в продаже записано меньше свободных кодов маркировки, чем возвращается. Отсканируйте код с каждого экземпляра.`);
  }
  return [...codes, ...free.slice(0, units - codes.length)];
}

/** A code the sale recorded: a GS1 one parsed, anything else (a REGOS label) kept as its text. */
function asCode(text: string): MarkingCode | null {
  const parsed = parseMarkingCode(text);
  if (parsed) return parsed;
  const plain = normaliseScan(text);
  return plain === '' ? null : { full: plain, gtin: '', serial: plain, key: plain, form: 'gs1' };
}

function checkScanned(scanned: string, name: string, sale: SaleLine, known: readonly MarkingCode[], complete: boolean): MarkingCode {
  const code = parseMarkingCode(scanned) ?? known.find((k) => k.key === normaliseScan(scanned)) ?? null;
  if (!code) throw refuse('marking.unreadable', `«${name}»: «${tail(scanned)}» — не код маркировки. Отсканируйте DataMatrix на упаковке ещё раз.`);
  const gtins = new Set([...known.map((k) => k.gtin), gtinOfBarcode(sale.barcode ?? '') ?? ''].filter((g) => g !== ''));
  if (code.gtin !== '' && gtins.size > 0 && !gtins.has(code.gtin)) {
    throw refuse('marking.other_product', `Код маркировки другого товара (GTIN ${code.gtin}), а не «${name}». Отсканируйте код с возвращаемого товара.`);
  }
  if (complete && !known.some((k) => k.key === code.key)) {
    throw refuse('marking.not_in_sale', `«${name}»: этот экземпляр не из этой продажи — его кода маркировки нет в чеке. Вернуть его по этой продаже нельзя.`);
  }
  return code;
}
