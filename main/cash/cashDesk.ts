import { AppError } from '../appError';
import { minorText } from '../decimalText';
import type { Database } from '../queue/database';
import type { PrinterConnection } from '../fiscal/printerConnection';
import type { PeopleStore } from '../people/peopleStore';
import { localDayBounds } from '../refunds/localDay';
import type { RefundStore } from '../refunds/refundStore';
import { TenderKind, type RefundTotals } from '../../preload/contract';
import { z } from 'zod';

/**
 * The cash drawer and the cash in it (issue 14 point 4): the drawer opens by the register's command,
 * внесение/выплата are register documents, and a cash refund is checked against register 241 — the cash
 * the device counts — before anything is printed (main/fiscal/shtrih/PROTOCOL.md §Cash).
 */
/** Refunds that gave money back: printed (and maybe synced). Pending and failed ones did not. */
const COUNTED = ['fiscalized', 'synced'] as const;

export class CashDesk {
  private readonly q;

  constructor(private readonly d: { db: Database; printer: PrinterConnection; people: PeopleStore; refunds: RefundStore; now?: () => number }) {
    this.q = {
      record: d.db.prepare('INSERT INTO cash_operations (kind, amount_minor, document_number, cashier_name, at) VALUES (?, ?, ?, ?, ?)'),
      dayRefunds: d.db.prepare(`SELECT id FROM refunds WHERE created_at BETWEEN ? AND ? AND state IN (${COUNTED.map(() => '?').join(', ')}) ORDER BY created_at`).pluck(),
    };
  }

  async openDrawer(cashierName: string): Promise<void> {
    await this.d.printer.use((driver) => driver.openDrawer());
    this.q.record.run('drawer', 0, null, cashierName, this.now());
  }

  /** Внесение or выплата; a выплата above the drawer is refused before the device is asked to print it. */
  async operation(kind: 'in' | 'out', amountMinor: number, cashierName: string): Promise<{ documentNumber: number; inDrawerMinor: number }> {
    return this.d.printer.use(async (driver) => {
      if (kind === 'out') {
        const inDrawer = await driver.cashInDrawer();
        if (amountMinor > inDrawer) throw notEnoughCash(inDrawer, amountMinor, 'выплата');
      }
      const documentNumber = await driver.cashOperation(kind, amountMinor);
      this.q.record.run(kind, amountMinor, documentNumber, cashierName, this.now());
      return { documentNumber, inDrawerMinor: await driver.cashInDrawer() };
    });
  }

  inDrawer(): Promise<number> {
    return this.d.printer.use((driver) => driver.cashInDrawer());
  }

  /** Before a cash refund: the cash part must be in the drawer, as the register counts it (the store may switch this off). */
  async assertCovers(cashMinor: number): Promise<void> {
    if (cashMinor <= 0 || !this.d.people.rules().checkDrawerForCash) return;
    const inDrawer = await this.inDrawer();
    if (cashMinor > inDrawer) throw notEnoughCash(inDrawer, cashMinor, 'возврат наличными');
  }

  /** A day's printed refunds by how the money went back, for the shift panel beside the X/Z report. */
  refundTotals(date: string, currency: RefundTotals['currency']): Omit<RefundTotals, 'inDrawerMinor'> {
    const { createdFrom, createdTo } = localDayBounds(date);
    const ids = z.array(z.string()).parse(this.q.dayRefunds.all(Date.parse(createdFrom), Date.parse(createdTo), ...COUNTED));
    const byKind = new Map<TenderKind, { amountMinor: number; count: number }>();
    let total = 0;
    for (const id of ids) {
      const r = this.d.refunds.require(id);
      total += r.totalMinor;
      for (const t of r.tenders) {
        const sum = byKind.get(t.kind) ?? { amountMinor: 0, count: 0 };
        byKind.set(t.kind, { amountMinor: sum.amountMinor + t.amountMinor, count: sum.count + 1 });
      }
    }
    return {
      date, currency, refunds: ids.length, totalMinor: total,
      byTender: TenderKind.options.flatMap((kind) => { const s = byKind.get(kind); return s ? [{ kind, ...s }] : []; }),
    };
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }
}

function notEnoughCash(inDrawer: number, needed: number, what: string): AppError {
  return new AppError({
    code: 'CASH_NOT_ENOUGH',
    message: `В кассе ${minorText(inDrawer)} наличными, а ${what} — ${minorText(needed)}. Сделайте внесение (F3 → Внесение) или верните другим способом.`,
    retry: 'permanent',
    detail: `register 241 = ${inDrawer}, needed ${needed}`,
  });
}
