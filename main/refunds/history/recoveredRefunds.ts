import iconv from 'iconv-lite';
import { AppError } from '../../appError';
import { minorText, quantityText } from '../../decimalText';
import type { Currency, MainText, Notice, Sale, SaleLine, SalePayment, TenderKind } from '../../../preload/contract';
import { dismissalKey, type HistoryStore, type RecoveredLine, type RecoveredReceipt, type RecoveredTenders } from './historyStore';

/**
 * Refund receipts the ФН holds and the database lost, counted against a sale's remainder
 * (main/refunds/README.md, "Recovered refunds"). The rule protects the money, never guesses it free:
 *
 * - A recovered receipt whose sale is known (LIFE POS named it, or the cashier assigned it) counts against
 *   that sale, unless the back end already lists its refund (the server's remainder holds it).
 * - One whose sale is unknown (a LIFE PAY or local sale, or a LIFE POS refund whose job went with the
 *   database) counts against **every** sale it may belong to: printed after the sale, every position a
 *   line of the sale (same name, unit price within a kopeck, same VAT rate) with that much quantity left.
 *   The cashier is told what the ФН says was refunded.
 * - One that matches the sale only in part (some positions are not on it, or there is not that much left
 *   of a line) cannot be decided by the program: refunds of the sale wait until the cashier says whether it
 *   is a refund of this sale (then it counts) or not (then it stops counting here).
 */
export interface RecoveredCount {
  sale: Sale;
  /** Receipts counted against this sale's remainder. */
  counted: RecoveredReceipt[];
  /** Receipts that may be refunds of this sale and need the cashier's word before it is refunded. */
  unresolved: RecoveredReceipt[];
  /** For the cashier: what the ФН says was refunded, and what waits for a decision. */
  notices: Notice[];
}

/** A sale may have been made up to this long before its refund's clock says (a till clock set wrong). */
const CLOCK_SLACK_MS = 24 * 3_600_000;
/** The printer keeps 128 bytes of a name (main/fiscal/shtrih/commands.ts, FF46; CP1251, a byte a character). */
const PRINTED_NAME = 128;

interface Left {
  line: SaleLine;
  milli: number;
  minor: number;
}

/**
 * What a name is compared by: its letters and digits as the ФН can keep them. The ФН stores text in CP866
 * (PROTOCOL.md §Fiscal document read-back), which lacks characters a sale's name may hold («», „“, —, ʻ);
 * what a device writes for those is not documented, so they and all punctuation and spacing are left out
 * of the comparison on both sides. Two names that differ only there match: that counts more, never less.
 */
export function nameKey(name: string): string {
  return [...name.slice(0, PRINTED_NAME).toLowerCase()]
    .filter((c) => /[\p{L}\p{N}]/u.test(c) && iconv.decode(iconv.encode(c, 'cp866'), 'cp866') === c)
    .join('');
}

/** The price a refund of this line prints: its total over its quantity (refundDocuments.ts), or the list price. */
function priceMatches(line: SaleLine, p: RecoveredLine): boolean {
  if (p.priceMinor === line.priceMinor) return true;
  const unit = (BigInt(line.amountMinor) * 1000n) / BigInt(Math.max(1, line.quantityMilli));
  const diff = BigInt(p.priceMinor) - unit;
  return diff >= -1n && diff <= 1n;
}

const matches = (line: SaleLine, p: RecoveredLine): boolean =>
  line.vat !== null && p.vat === line.vat && nameKey(line.name) === nameKey(p.name) && priceMatches(line, p);

/** Places every position on a line with that much left; undefined when one cannot be placed. */
function place(positions: readonly RecoveredLine[], left: readonly Left[]): Array<[Left, RecoveredLine]> | undefined {
  const taken = new Map<Left, number>();
  const out: Array<[Left, RecoveredLine]> = [];
  for (const p of positions) {
    const l = left.find((x) => matches(x.line, p) && x.milli - (taken.get(x) ?? 0) >= p.quantityMilli);
    if (!l) return undefined;
    taken.set(l, (taken.get(l) ?? 0) + p.quantityMilli);
    out.push([l, p]);
  }
  return out;
}

const TENDER_KINDS: Record<keyof RecoveredTenders, readonly TenderKind[]> = {
  cashMinor: ['cash'],
  electronicMinor: ['card', 'sbp', 'transfer', 'link', 'bnpl'],
  prepaymentMinor: ['prepayment'],
  creditMinor: ['credit', 'bnpl'],
  counterMinor: [],
};

function takePayments(payments: SalePayment[], tenders: RecoveredTenders | null): SalePayment[] {
  if (!tenders) return payments;
  const out = payments.map((p) => ({ ...p }));
  for (const [slot, kinds] of Object.entries(TENDER_KINDS) as Array<[keyof RecoveredTenders, readonly TenderKind[]]>) {
    let rest = tenders[slot];
    for (const p of out) {
      if (rest <= 0 || !kinds.includes(p.kind)) continue;
      const take = Math.min(rest, p.amountMinor - p.refundedMinor);
      p.refundedMinor += take;
      rest -= take;
    }
  }
  return out;
}

const when = (iso: string): string => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
const receiptText = (r: RecoveredReceipt): string =>
  `ФД № ${r.number} от ${when(r.dateTime)} на ${minorText(r.totalMinor)}: ` +
  r.positions.map((p) => `«${p.name}» ${quantityText(p.quantityMilli)}`).join(', ');
const receiptCoded = (r: RecoveredReceipt, currency: Currency): MainText => ({ code: 'recovered.receipt', params: receiptSaid(r, currency) });
const receiptSaid = (r: RecoveredReceipt, currency: Currency) => ({
  fd: r.number, at: when(r.dateTime), totalMinor: r.totalMinor, currency,
  positions: r.positions.map((p) => ({ name: p.name, quantityMilli: p.quantityMilli })),
});

export function countRecovered(
  sale: Sale, recovered: readonly RecoveredReceipt[], dismissed: ReadonlySet<string>, knownToServer: ReadonlySet<string>,
): RecoveredCount {
  const left: Left[] = sale.lines.map((line) => ({ line, milli: line.refundableMilli, minor: line.amountMinor - line.refundedMinor }));
  const saleTime = Date.parse(sale.createdAt);
  const counted: RecoveredReceipt[] = [];
  const unresolved: RecoveredReceipt[] = [];
  for (const r of recovered) {
    const ours = r.sale?.source === sale.ref.source && r.sale.id === sale.ref.id;
    if (ours && r.refundId !== null && knownToServer.has(r.refundId)) continue;
    if (!ours && (r.sale !== null || dismissed.has(dismissalKey(r.fnNumber, r.number, sale.ref)))) continue;
    // Local time of the ФН read as this process's local time: the slack covers the zone and a wrong clock.
    if (!ours && Date.parse(r.dateTime) < saleTime - CLOCK_SLACK_MS) continue;
    if (!ours && !r.positions.some((p) => sale.lines.some((l) => matches(l, p)))) continue;
    const placed = place(r.positions, left);
    if (!placed) {
      // A receipt assigned to this sale counts as far as its lines go; an unknown one waits for the cashier.
      if (ours) for (const p of r.positions) take(left.find((x) => matches(x.line, p)), p);
      (ours ? counted : unresolved).push(r);
      continue;
    }
    for (const [l, p] of placed) take(l, p);
    counted.push(r);
  }
  const notices: Notice[] = [];
  if (counted.length > 0) {
    notices.push({
      text: `По данным фискального накопителя по этой продаже уже пробит возврат, которого нет в базе кассы: ${counted.map(receiptText).join('; ')}. ` +
        'Эти товары учтены как возвращённые. Если это возврат по другой продаже, укажите это в списке восстановленных чеков.',
      coded: { code: 'recovered.counted', params: { receipts: counted.map((r) => receiptSaid(r, sale.currency)) } },
    });
  }
  if (unresolved.length > 0) {
    notices.push({
      text: `В фискальном накопителе есть чек возврата, которого нет в базе кассы и который может относиться к этой продаже: ${unresolved.map(receiptText).join('; ')}. ` +
        'Программа не решает это сама: укажите, возврат ли это по этой продаже. До этого возврат по ней не оформляется.',
      coded: { code: 'recovered.unresolved', params: { receipts: unresolved.map((r) => receiptSaid(r, sale.currency)) } },
    });
  }
  const lines = sale.lines.map((line, i) => {
    const l = left[i];
    if (!l || (l.milli === line.refundableMilli && l.minor === line.amountMinor - line.refundedMinor)) return line;
    return { ...line, refundableMilli: l.milli, refundedMilli: line.quantityMilli - l.milli, refundedMinor: line.amountMinor - l.minor };
  });
  const payments = counted.reduce((ps, r) => takePayments(ps, r.tenders), sale.payments);
  return { sale: counted.length > 0 ? { ...sale, lines, payments } : sale, counted, unresolved, notices };
}

function take(l: Left | undefined, p: RecoveredLine): void {
  if (!l) return;
  l.milli = Math.max(0, l.milli - p.quantityMilli);
  l.minor = Math.max(0, l.minor - p.amountMinor);
}

/** The sale as the cashier must see it: recovered refunds counted, and what waits for the cashier's word. */
export function withRecoveredRefunds(sale: Sale, store: Pick<HistoryStore, 'recovered' | 'dismissals'>, knownToServer: ReadonlySet<string>): Sale {
  const c = countRecovered(sale, store.recovered(), store.dismissals(), knownToServer);
  if (c.notices.length === 0) return sale;
  // Receipts no sale is known for are the cashier's to decide: counted ones may be disputed, undecided ones must be answered.
  const decidable = [...c.counted.filter((r) => r.sale === null).map((r) => [r, false] as const), ...c.unresolved.map((r) => [r, true] as const)];
  return { ...c.sale, recovered: { notices: c.notices, receipts: decidable.map(([r, undecided]) => ({ fnNumber: r.fnNumber, number: r.number, text: receiptText(r), coded: receiptCoded(r, sale.currency), undecided })) } };
}

/** Refunds of a sale wait while a recovered receipt may be one of them and the cashier has not said. */
export function refuseUnresolvedRecovered(sale: Sale): void {
  const open = (sale.recovered?.receipts ?? []).filter((r) => r.undecided);
  if (open.length === 0) return;
  throw new AppError({
    code: 'refund.recovered_unresolved',
    message:
      `Возврат по этой продаже пока нельзя оформить: в фискальном накопителе есть чек возврата, которого нет в базе кассы и который может ` +
      `относиться к ней (${open.map((r) => r.text).join('; ')}). Укажите в списке восстановленных чеков, возврат ли это по этой продаже.`,
    retry: 'permanent',
    detail: `unresolved recovered receipts ${open.map((r) => `${r.fnNumber}/${r.number}`).join(', ')} for ${sale.ref.source}:${sale.ref.id}`,
  });
}
