import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../appError';
import { minorText } from '../decimalText';
import type { Database } from '../queue/database';
import type { InstalmentStore, StoredInstalment } from '../instalments/instalmentStore';
import type { PeopleStore } from '../people/peopleStore';
import { receiptCopyLines } from '../refunds/refundDocuments';
import { localDayBounds, localDayOf } from '../refunds/localDay';
import type { RefundStore, StoredRefund } from '../refunds/refundStore';
import type { JournalDetail, JournalEntry, JournalFilter } from '../../preload/contract/people';
import type { InstalmentPayment, Refund, TenderKind } from '../../preload/contract';

/**
 * The till's refund journal (issue 14 point 3): every refund this till recorded, with who made it, and
 * REGOS credit receipts beside them (issue 24 point 3). Reads only: nothing here prints a fiscal document.
 */
const DEFAULT_LIMIT = 200;
const CREDIT_SCAN = 500;

const TENDER_TITLE: Record<TenderKind, string> = {
  cash: 'наличные', card: 'карта', sbp: 'СБП', transfer: 'перевод', link: 'ссылка', bnpl: 'оплата частями', prepayment: 'аванс', credit: 'кредит',
};
const STATE_TITLE: Record<string, string> = {
  draft: 'черновик', confirmed: 'ждёт печати', fiscalizing: 'печатается', fiscalized: 'напечатан', synced: 'отправлен', failed: 'не пробит', review: 'на проверке',
  sending: 'отправляется', registered: 'зарегистрирован',
};

const JobRow = z.object({ kind: z.string(), state: z.string(), attempts: z.number().int(), last_error: z.string().nullable() });

const contains = (value: string | undefined, part: string | undefined): boolean =>
  !part || (value ?? '').toLocaleLowerCase('ru').includes(part.toLocaleLowerCase('ru'));

export interface JournalDeps {
  db: Database;
  refunds: RefundStore;
  instalments: InstalmentStore;
  people: PeopleStore;
  /** Where a day's CSV is written for the accountant (<data folder>/exports). */
  exportDir: string;
}

export class RefundJournal {
  private readonly q;

  constructor(private readonly d: JournalDeps) {
    this.q = {
      ids: d.db.prepare(`SELECT id FROM refunds WHERE (@from IS NULL OR created_at BETWEEN @from AND @to) AND (@state IS NULL OR state = @state)
                         ORDER BY created_at DESC LIMIT @limit`).pluck(),
      jobs: d.db.prepare(`SELECT kind, state, attempts, last_error FROM outbox_jobs WHERE idempotency_key LIKE ? ESCAPE '\\' ORDER BY id`),
    };
  }

  list(filter: JournalFilter): JournalEntry[] {
    const limit = filter.limit ?? DEFAULT_LIMIT;
    const bounds = filter.date ? localDayBounds(filter.date) : null;
    const ids = z.array(z.string()).parse(this.q.ids.all({
      from: bounds ? Date.parse(bounds.createdFrom) : null, to: bounds ? Date.parse(bounds.createdTo) : null, state: filter.state ?? null, limit: 5_000,
    }));
    const refunds = ids.map((id) => this.refundEntry(this.d.refunds.require(id)));
    const credits = this.d.instalments.recent(CREDIT_SCAN)
      .filter((c) => (!filter.date || localDayOf(c.view.createdAt) === filter.date) && (!filter.state || filter.state === (c.view.state as string)))
      .map((c) => this.creditEntry(c.view));
    return [...refunds, ...credits]
      .filter((e) => contains(`${e.documentNumber ?? ''} ${e.id}`, filter.number) && contains(e.saleNumber, filter.sale) && contains(e.cashierName, filter.cashier))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit);
  }

  detail(kind: JournalEntry['kind'], id: string): JournalDetail {
    if (kind === 'credit') {
      const c = this.d.instalments.get(id);
      if (!c) throw notFound();
      return { kind: 'credit', payment: c.view, copyLines: creditCopyLines(c) };
    }
    const refund = this.d.refunds.get(id);
    if (!refund) throw notFound();
    const who = this.d.people.ofRefund(id);
    const sync = this.q.jobs.all(`refund:${id.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`).map((raw) => {
      const j = JobRow.parse(raw);
      return { kind: j.kind, state: j.state, attempts: j.attempts, ...(j.last_error ? { lastError: j.last_error } : {}) };
    });
    return {
      kind: 'refund',
      refund: publicRefund(refund),
      ...(who ? { cashierName: who.cashierName } : {}),
      ...(who?.cashierInn ? { cashierInn: who.cashierInn } : {}),
      withoutReceipt: who?.withoutReceipt ?? false,
      ...(who?.reason ? { reason: who.reason } : {}),
      ...(who?.approvedBy ? { approvedBy: who.approvedBy } : {}),
      sync,
      copyLines: (refund.receipts ?? []).flatMap((fiscal) => [...receiptCopyLines(refund, fiscal), ...(who ? [`Кассир: ${who.cashierName}`] : []), '']),
    };
  }

  /** A day's refunds and credit receipts as CSV for the accountant (semicolons and a BOM: Excel in Russian opens it as is). */
  exportDay(date: string): { path: string; rows: number; csv: string } {
    const entries = this.list({ date, limit: 500 });
    const header = ['Дата', 'Вид', 'Документ', 'ФП', 'Продажа', 'Состояние', 'Кассир', 'Сумма', ...Object.values(TENDER_TITLE), 'Без чека', 'Причина', 'Подтвердил'];
    const rows = entries.map((e) => {
      const detail = this.detail(e.kind, e.id);
      const byKind = new Map<string, number>();
      if (detail.kind === 'refund') for (const t of detail.refund.tenders) byKind.set(t.kind, (byKind.get(t.kind) ?? 0) + t.amountMinor);
      else for (const t of detail.payment.tenders) byKind.set(t.kind === 'terminal' ? 'card' : t.kind, (byKind.get(t.kind === 'terminal' ? 'card' : t.kind) ?? 0) + t.amountMinor);
      return [
        e.createdAt, e.kind === 'refund' ? 'возврат' : 'кредитный чек', e.documentNumber ?? '',
        detail.kind === 'refund' ? detail.refund.fiscal?.fiscalSign ?? '' : '', e.saleNumber, STATE_TITLE[e.state] ?? e.state,
        e.cashierName ?? '', minorText(e.totalMinor), ...Object.keys(TENDER_TITLE).map((k) => (byKind.has(k) ? minorText(byKind.get(k) ?? 0) : '')),
        e.withoutReceipt ? 'да' : '', detail.kind === 'refund' ? detail.reason ?? '' : '', detail.kind === 'refund' ? detail.approvedBy ?? '' : '',
      ];
    });
    const csv = `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(';')).join('\r\n')}\r\n`;
    mkdirSync(this.d.exportDir, { recursive: true });
    const path = join(this.d.exportDir, `возвраты-${date}.csv`);
    writeFileSync(path, csv);
    return { path, rows: rows.length, csv };
  }

  private refundEntry(r: StoredRefund): JournalEntry {
    const who = this.d.people.ofRefund(r.id);
    return {
      kind: 'refund', id: r.id, createdAt: r.createdAt, saleNumber: r.saleNumber, state: r.state, currency: r.currency, totalMinor: r.totalMinor,
      ...(r.fiscal ? { documentNumber: r.fiscal.receiptNo ?? String(r.fiscal.number) } : {}),
      ...(who ? { cashierName: who.cashierName } : {}),
      withoutReceipt: who?.withoutReceipt ?? false,
    };
  }

  private creditEntry(c: InstalmentPayment): JournalEntry {
    return {
      kind: 'credit', id: c.id, createdAt: c.createdAt, saleNumber: c.saleNumber, state: c.state, currency: 'UZS', totalMinor: c.amountMinor,
      ...(c.vcrId ? { documentNumber: c.vcrId } : {}), withoutReceipt: false,
    };
  }
}

function publicRefund(r: StoredRefund): Refund {
  const { docNumberBefore: _n, printAttempts: _a, recovered: _r, recoveredSeen: _s, ...refund } = r;
  return refund;
}

function creditCopyLines(c: StoredInstalment): string[] {
  const v = c.view;
  return [
    'КОПИЯ: КРЕДИТНЫЙ ЧЕК REGOS (не фискальный)',
    `Продажа ${v.saleNumber}`,
    v.vcrId ? `Чек VCR № ${v.vcrId}` : `Чек не зарегистрирован: ${STATE_TITLE[v.state] ?? v.state}`,
    v.createdAt.replace('T', ' ').slice(0, 19),
    ...v.tenders.map((t) => `${t.kind === 'cash' ? 'наличные' : t.kind === 'terminal' ? `терминал, RRN ${t.rrn}` : t.system}  ${minorText(t.amountMinor)}`),
    `ВНЕСЕНО ${minorText(v.amountMinor)}`,
    `Всего по продаже ${minorText(v.creditedToDateMinor)}`,
  ];
}

function csvField(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function notFound(): AppError {
  return new AppError({ code: 'journal.not_found', message: 'Такой записи в журнале нет. Обновите список.' });
}
