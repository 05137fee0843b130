import { AppError, isAppError } from '../appError';
import type { Logger } from '../log/logger';
import type { Sale, SaleRef, SaleSummary } from '../../preload/contract';
import type { RefundStore } from './refundStore';
import { withLocalRefunds } from './saleRemainder';
import type { SaleSource } from './saleSources';
import { localDayOf } from './localDay';
import type { SeenSale, SeenSales } from './seenSales';

/**
 * Finds the sale a customer brings back: first the back ends (fresh remainder), and when they cannot
 * answer, this terminal's own record of the sale, so a recent sale is refunded while the network is
 * down. Either way this terminal's refunds the server does not know yet are counted on top.
 */
const LOOKUP_TIMEOUT_MS = 8_000;


export class SaleFinder {
  constructor(
    private readonly sources: () => readonly SaleSource[],
    private readonly seen: SeenSales,
    private readonly refunds: RefundStore,
    private readonly log: Logger,
  ) {}

  async find(query: string): Promise<Sale> {
    const trimmed = query.trim();
    const local = this.seen.findByNumber(trimmed);
    if (local) return this.get(local.sale.ref);
    const failures: AppError[] = [];
    for (const source of this.sources()) {
      try {
        const found = await source.find(trimmed, AbortSignal.timeout(LOOKUP_TIMEOUT_MS));
        if (found) return this.remember({ sale: { ...found.sale, remainderFromLocalOnly: false }, knownToServer: found.knownToServer });
      } catch (e) {
        if (!isAppError(e)) throw e;
        this.log.warn('sale lookup failed', { source: source.name, code: e.code });
        failures.push(e);
      }
    }
    const offline = failures.length > 0 ? ` ${failures.map((f) => f.message).join(' ')} Продажа, пробитая на другой кассе, найдётся, когда связь восстановится.` : '';
    throw new AppError({ code: 'sale.not_found', message: `Продажа «${trimmed}» не найдена.${offline}`, retry: 'permanent' });
  }

  /** The sale with an up-to-date remainder: from its back end when it answers, else from the local record. */
  async get(ref: SaleRef): Promise<Sale> {
    const source = this.sources().find((s) => s.name === ref.source);
    const record = this.seen.get(ref);
    if (source) {
      try {
        const found = await source.get(ref.id, AbortSignal.timeout(LOOKUP_TIMEOUT_MS));
        if (found) return this.remember({ sale: { ...found.sale, remainderFromLocalOnly: false }, knownToServer: found.knownToServer });
      } catch (e) {
        if (!isAppError(e) || !record) throw e;
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
      .filter((r) => !date || localDayOf(r.sale.createdAt) === date)
      .slice(0, limit)
      .map((r) => {
        const s = r.sale;
        const current = this.withLocal(r);
        return {
          ref: s.ref, number: s.number, createdAt: s.createdAt, currency: s.currency, totalMinor: s.totalMinor,
          fullyRefunded: current.lines.every((l) => l.refundableMilli === 0),
        };
      });
  }

  /** The recorded sale with every local refund committed so far; synchronous, for use inside a transaction. */
  current(ref: SaleRef): Sale | null {
    const record = this.seen.get(ref);
    return record ? this.withLocal(record) : null;
  }

  /** Records a sale this terminal made or was told about (training sales, REGOS sales of this till). */
  rememberOwnSale(sale: Sale): void {
    this.seen.remember({ sale, knownToServer: new Set() });
  }

  private remember(found: SeenSale): Sale {
    this.seen.remember(found);
    return this.withLocal(found);
  }

  private withLocal(found: SeenSale): Sale {
    return withLocalRefunds(found.sale, this.refunds.countingForSale(found.sale.ref), found.knownToServer);
  }
}
