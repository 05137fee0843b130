import { AppError, isAppError } from '../appError';
import type { Logger } from '../log/logger';
import type { EnteredLine, Sale, SaleLine, SaleRef, SaleSearchResult, SaleSummary } from '../../preload/contract';
import type { RefundStore } from './refundStore';
import { fullyRefunded, withLocalRefunds } from './saleRemainder';
import { MAX_MATCHES, type RemoteSale, type SaleSource } from './saleSources';
import { localDayOf } from './localDay';
import { isWithoutReceipt } from './withoutReceipt';
import type { SeenSale, SeenSales } from './seenSales';
import { parseFiscalQr, qrNamesSale, type FiscalQr, type RuFiscalQr } from './search/fiscalQr';
import { checkQrAgainstFn, nearFnTime, type OwnFnAnswer } from './search/ownFnReceipt';
import type { FiscalDocument } from '../fiscal/documents';
import { canonicalNumber, numberMatches } from './search/queryNormaliser';
import { rubles } from './search/fiscalQr';
import { formatSum } from '../backends/regos/regosUnits';

/**
 * Finds the sale a customer brings back: first the back ends (fresh remainder), and when they cannot
 * answer, this terminal's own record of the sale, so a recent sale is refunded while the network is
 * down. Either way this terminal's refunds the server does not know yet are counted on top.
 */
const LOOKUP_TIMEOUT_MS = 8_000;
/** How many recorded sales a number search looks through (the retention keeps about a month's). */
const LOCAL_SCAN = 5_000;
/**
 * How long a sale's record stands for its back end's answer while that back end asks to wait (429): one
 * minute, LIFE PAY's pause without a Retry-After (seed 001, "не более 3-х в минуту"). That is about the
 * time between opening a sale and confirming its refund, so a refund on another till inside it is the
 * risk every refund already takes; this till's own refunds are always counted on top of the record
 * (withLocal). Older records are not used then: the back end answers again within its pause, and the
 * cashier is told when.
 */
export const SALE_FRESH_MS = 60_000;

const rateLimited = (e: AppError) => e.code.endsWith('.rate_limited');

const refKey = (ref: SaleRef) => `${ref.source}:${ref.id}`;

function sameRegosReceipt(a: Pick<Sale, 'ref' | 'fiscal'>, b: Pick<Sale, 'ref' | 'fiscal'>): boolean {
  return a.ref.source === 'regos' && b.ref.source === 'regos' && a.ref.id !== b.ref.id && a.fiscal?.terminalId !== undefined
    && a.fiscal.terminalId === b.fiscal?.terminalId && a.fiscal.documentNumber !== undefined && a.fiscal.documentNumber === b.fiscal.documentNumber;
}

export class SaleFinder {
  constructor(
    private readonly sources: () => readonly SaleSource[],
    private readonly seen: SeenSales,
    private readonly refunds: RefundStore,
    private readonly log: Logger,
    /** Asks this till's ФН about the document a Russian receipt QR names (search/ownFnReceipt.ts); absent without a printer. */
    private readonly ownFn?: (qr: RuFiscalQr) => Promise<OwnFnAnswer>,
    private readonly now: () => number = Date.now,
  ) {}

  /** One sale by what was typed or scanned; several matches are an error here (see search). */
  async find(query: string): Promise<Sale> {
    const found = await this.search(query);
    if (found.kind === 'sale') return found.sale;
    throw new AppError({
      code: 'sale.ambiguous',
      message: `Под «${query.trim()}» подходят несколько продаж: ${found.sales.map((s) => s.number).join(', ')}. Введите номер полностью.`,
      retry: 'permanent',
    });
  }

  /**
   * What the cashier typed or scanned: a receipt or deal number in any spelling (search/queryNormaliser.ts),
   * a deal id, or the receipt's fiscal QR (search/fiscalQr.ts). One match opens the sale; several come back
   * as a short list to pick from.
   */
  async search(query: string): Promise<SaleSearchResult> {
    const trimmed = query.trim();
    const qr = parseFiscalQr(trimmed);
    if (qr?.kind === 'ruFiscal' && qr.operation !== 1) {
      throw new AppError({
        code: 'sale.qr_not_a_sale', retry: 'permanent',
        message: 'Это QR-код чека возврата или расхода, а не продажи. Отсканируйте QR-код с чека продажи.',
      });
    }
    const onOwnFn = qr?.kind === 'ruFiscal' ? await this.confirmOnOwnFn(qr) : null;
    const recorded = this.seen.recent(LOCAL_SCAN).filter((r) => (qr ? qrNamesSale(qr, r.sale) : r.sale.ref.id === trimmed || numberMatches(trimmed, r.sale.number)));
    // The printed number exactly as recorded: the record is enough, its back end refreshes it (get). Not
    // for digits alone: other sales may share them.
    const exact = qr || /^[\d\s-]+$/.test(trimmed) ? [] : recorded.filter((r) => r.sale.ref.id === trimmed || canonicalNumber(r.sale.number) === canonicalNumber(trimmed));
    if (exact.length === 1 && exact[0]) return { kind: 'sale', sale: await this.get(exact[0].sale.ref) };

    const failures: AppError[] = [];
    const remote: RemoteSale[] = [];
    // A REGOS receipt this till recorded is the sale (with its lines); VCR would answer the same receipt
    // under its own id, without lines.
    const asked = qr?.kind === 'regos' && recorded.length > 0 ? [] : this.sources();
    for (const source of asked) {
      try {
        const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS);
        remote.push(...(qr ? await source.byFiscalQr(qr, signal) : await source.find(trimmed, signal)));
      } catch (e) {
        if (!isAppError(e)) throw e;
        this.log.warn('sale lookup failed', { source: source.name, code: e.code });
        failures.push(e);
      }
    }
    const byRef = new Map<string, { ref: SaleRef; remote?: RemoteSale; record?: SeenSale }>();
    for (const r of recorded) byRef.set(refKey(r.sale.ref), { ref: r.sale.ref, record: r });
    for (const r of remote) {
      // VCR answers a receipt this till recorded under VCR's own id: the record (with the lines) stands for it.
      if (recorded.some((s) => sameRegosReceipt(s.sale, r.sale))) continue;
      byRef.set(refKey(r.sale.ref), { ...byRef.get(refKey(r.sale.ref)), ref: r.sale.ref, remote: r });
    }
    let matches = [...byRef.values()].slice(0, MAX_MATCHES);
    if (onOwnFn && matches.length > 1) {
      // A back end that knows only the day and the total (LIFE PAY) answers every payment of that sum: the
      // ФН's time of this receipt tells which one it was printed for.
      const near = matches.filter((m) => nearFnTime(onOwnFn, (m.record?.sale ?? m.remote?.sale)?.createdAt ?? ''));
      if (near.length > 0) matches = near;
    }

    if (matches.length === 0) throw this.notFound(trimmed, qr, failures, onOwnFn);
    if (matches.length === 1 && matches[0]) {
      const only = matches[0];
      // REGOS: VCR's answer has no lines; this till's own record of the sale (if any) is the one to use.
      if (only.remote && !(only.record && only.ref.source === 'regos')) {
        return { kind: 'sale', sale: this.remember({ sale: { ...only.remote.sale, remainderFromLocalOnly: false }, knownToServer: only.remote.knownToServer }) };
      }
      return { kind: 'sale', sale: await this.get(only.ref) };
    }
    const summaries: SaleSummary[] = matches.map((m) => {
      if (m.remote && !m.record) this.seen.remember({ sale: { ...m.remote.sale, remainderFromLocalOnly: false }, knownToServer: m.remote.knownToServer });
      return this.summary(m.record ?? { sale: { ...(m.remote as RemoteSale).sale, remainderFromLocalOnly: false }, knownToServer: new Set() });
    });
    return { kind: 'choices', sales: summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt)) };
  }

  /**
   * The ФН's own record of the receipt a QR names, when the QR's ФН is this till's (search/ownFnReceipt.ts):
   * a QR the ФН contradicts is refused here with its reason. Null when the QR is of another ФН or no
   * printer can be asked (then the back ends alone decide, as for any other till's receipt).
   */
  private async confirmOnOwnFn(qr: RuFiscalQr): Promise<FiscalDocument | null> {
    if (!this.ownFn) return null;
    let answer: OwnFnAnswer;
    try {
      answer = await this.ownFn(qr);
    } catch (e) {
      if (!isAppError(e)) throw e;
      this.log.warn('own fiscal drive not asked about a receipt QR', { code: e.code });
      return null;
    }
    if (answer.kind === 'otherFn') return null;
    const problem = checkQrAgainstFn(qr, answer);
    if (problem) throw problem;
    return answer.kind === 'document' ? answer.document : null;
  }

  private notFound(query: string, qr: FiscalQr | null, failures: AppError[], onOwnFn: FiscalDocument | null = null): AppError {
    // A back end that asks to wait is up: its message says when to search again, not "when the link is back".
    const down = failures.filter((f) => !rateLimited(f));
    const waits = failures.filter(rateLimited);
    const offline = (down.length > 0 ? ` ${down.map((f) => f.message).join(' ')} Продажа, пробитая на другой кассе, найдётся, когда связь восстановится.` : '')
      + (waits.length > 0 ? ` ${waits.map((f) => f.message).join(' ')}` : '');
    if (qr?.kind === 'ruFiscal' && onOwnFn) {
      return new AppError({
        code: 'sale.not_found', retry: 'permanent',
        message: `Чек ФД № ${qr.fd} на ${rubles(qr.totalMinor)} пробит на этой кассе (он есть в её фискальном накопителе), но продажи к нему нет ни в учётной системе, ни в записях кассы. Найдите продажу по номеру чека или сделки (F2).${offline}`,
      });
    }
    if (qr?.kind === 'ruFiscal') {
      return new AppError({
        code: 'sale.not_found', retry: 'permanent',
        message: `Чек ФД № ${qr.fd} на ${rubles(qr.totalMinor)} от ${qr.dateTime.slice(0, 10).split('-').reverse().join('.')} не найден. Найдите продажу по номеру чека или сделки (F2).${offline}`,
      });
    }
    if (qr?.kind === 'regos') {
      return new AppError({
        code: 'sale.not_found', retry: 'permanent',
        message: `Чек REGOS № ${qr.receiptNo} (модуль ${qr.terminalId}) не найден: VCR этой кассы находит только свои чеки. Оформите возврат на кассе, где была продажа.${offline}`,
      });
    }
    return new AppError({ code: 'sale.not_found', message: `Продажа «${query}» не найдена.${offline}`, retry: 'permanent' });
  }

  /** The sale with an up-to-date remainder: from its back end when it answers, else from the local record. */
  async get(ref: SaleRef): Promise<Sale> {
    const source = this.sources().find((s) => s.name === ref.source);
    const record = this.seen.get(ref);
    // VCR keeps neither the lines nor the refunds of a sale: this till's record of a REGOS sale is the sale.
    if (record && ref.source === 'regos') return this.withLocal({ sale: { ...record.sale, remainderFromLocalOnly: false }, knownToServer: record.knownToServer });
    if (source) {
      try {
        const found = await source.get(ref.id, AbortSignal.timeout(LOOKUP_TIMEOUT_MS));
        if (found) return this.remember({ sale: { ...found.sale, remainderFromLocalOnly: false }, knownToServer: found.knownToServer });
      } catch (e) {
        if (!isAppError(e)) throw e;
        if (rateLimited(e)) return this.freshRecord(record, e);
        if (!record) throw e;
        this.log.warn('sale refresh failed, using the local record', { source: ref.source, code: e.code });
        return this.withLocal({ sale: { ...record.sale, remainderFromLocalOnly: true }, knownToServer: record.knownToServer });
      }
    }
    if (!record) throw new AppError({ code: 'sale.not_found', message: 'Продажа не найдена на этой кассе', retry: 'permanent', detail: `${ref.source}:${ref.id}` });
    // REGOS and local sales have no server-side refund list: this terminal's record is the remainder.
    return this.withLocal({ sale: { ...record.sale, remainderFromLocalOnly: ref.source !== 'regos' && ref.source !== 'local' }, knownToServer: record.knownToServer });
  }

  async recent(date: string | undefined, limit: number): Promise<SaleSummary[]> {
    if (date) {
      for (const source of this.sources()) {
        try {
          for (const found of await source.onDay(date, AbortSignal.timeout(LOOKUP_TIMEOUT_MS))) {
            if (!this.seen.get(found.sale.ref)) this.seen.remember({ sale: { ...found.sale, remainderFromLocalOnly: false }, knownToServer: found.knownToServer });
          }
        } catch (e) {
          if (!isAppError(e)) throw e;
          this.log.warn('recent sales lookup failed', { source: source.name, code: e.code });
        }
      }
    }
    return this.seen
      .recent(date ? 500 : limit)
      // A refund without a receipt is recorded as a pseudo-sale of its own: it is no sale to pick.
      .filter((r) => !isWithoutReceipt(r.sale.ref) && (!date || localDayOf(r.sale.createdAt) === date))
      .slice(0, limit)
      .map((r) => this.summary(r));
  }

  private summary(r: SeenSale): SaleSummary {
    const s = r.sale;
    const current = this.withLocal(r);
    return {
      ref: s.ref, number: s.number, createdAt: s.createdAt, currency: s.currency, totalMinor: s.totalMinor,
      fullyRefunded: fullyRefunded(current),
    };
  }

  /** A back end asked to wait: its answer of the last SALE_FRESH_MS stands, with every local refund on top; else its wait. */
  private freshRecord(record: SeenSale | null, limit: AppError): Sale {
    const age = record?.seenAt === undefined ? Infinity : this.now() - record.seenAt;
    if (!record || age > SALE_FRESH_MS) throw limit;
    this.log.info('back end asked to wait, using its answer from moments ago', { source: record.sale.ref.source, ageMs: age });
    return this.withLocal({ sale: { ...record.sale, remainderFromLocalOnly: false }, knownToServer: record.knownToServer });
  }

  /** The recorded sale with every local refund committed so far; synchronous, for use inside a transaction. */
  current(ref: SaleRef): Sale | null {
    const record = this.seen.get(ref);
    return record ? this.withLocal(record) : null;
  }

  /**
   * The lines the cashier typed from the paper receipt of a REGOS sale VCR answered without lines
   * (main/backends/README.md, "REGOS sale lookup"). Checked against the receipt: only a sale with no lines
   * yet, and the lines together no more than its total (VCR's Amount). The sale is paid as the receipt says
   * (cash or card), for the whole total. The record then is the sale, as for REGOS sales this till made.
   */
  enterLines(ref: SaleRef, entered: readonly EnteredLine[], payment: 'cash' | 'card'): Sale {
    const record = this.seen.get(ref);
    if (!record || ref.source !== 'regos') throw new AppError({ code: 'sale.not_found', message: 'Продажа не найдена на этой кассе: найдите её снова (F2).', retry: 'permanent' });
    if (record.sale.lines.length > 0) {
      throw new AppError({ code: 'sale.lines_known', message: 'Позиции этой продажи уже известны: выберите из них, что возвращается.', retry: 'permanent' });
    }
    const sum = entered.reduce((s, l) => s + l.amountMinor, 0);
    if (sum > record.sale.totalMinor) {
      throw new AppError({
        code: 'sale.lines_over_total', retry: 'permanent',
        message: `Сумма введённых позиций ${formatSum(sum)} сум больше суммы чека ${formatSum(record.sale.totalMinor)} сум: проверьте количество и суммы по бумажному чеку.`,
      });
    }
    const lines: SaleLine[] = entered.map((l, i) => ({
      lineId: `${ref.id}:entered${i}`,
      name: l.name,
      priceMinor: Math.round((l.amountMinor * 1000) / l.quantityMilli),
      quantityMilli: l.quantityMilli,
      amountMinor: l.amountMinor,
      vat: l.vat,
      paymentMethod: 'fullPayment',
      itemSign: 'goods',
      refundedMilli: 0,
      refundedMinor: 0,
      refundableMilli: l.quantityMilli,
      extra: { icps: l.icps },
    }));
    const sale: Sale = {
      ...record.sale,
      lines,
      payments: [{ paymentPartId: `${ref.id}:${payment}`, kind: payment, amountMinor: record.sale.totalMinor, refundedMinor: 0 }],
      remainderFromLocalOnly: false,
    };
    this.seen.remember({ sale, knownToServer: new Set() });
    return this.withLocal({ sale, knownToServer: new Set() });
  }

  /** Records a sale this terminal made or was told about (training sales, REGOS sales of this till). */
  rememberOwnSale(sale: Sale): void {
    this.seen.remember({ sale, knownToServer: new Set() });
  }

  private remember(found: SeenSale): Sale {
    this.seen.remember(found);
    return this.withLocal(found);
  }

  /** Refund receipts the ФН holds that the database lost (history/recoveredRefunds.ts); services.ts sets it. */
  countRecovered: (sale: Sale, knownToServer: ReadonlySet<string>) => Sale = (sale) => sale;

  private withLocal(found: SeenSale): Sale {
    return this.countRecovered(withLocalRefunds(found.sale, this.refunds.countingForSale(found.sale.ref), found.knownToServer), found.knownToServer);
  }
}
