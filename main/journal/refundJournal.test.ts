import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { openDatabase, type Database } from '../queue/database';
import { InstalmentStore } from '../instalments/instalmentStore';
import { creditReceiptParams } from '../instalments/creditReceipt';
import { PeopleStore } from '../people/peopleStore';
import { RefundStore } from '../refunds/refundStore';
import { RefundJournal } from './refundJournal';
import type { Sale } from '../../preload/contract';

/** REGOS credit receipts beside refunds in the journal (issue 24 point 3), on a real SQLite file. */
let tmp: ReturnType<typeof tempDir>;
let db: Database;
let journal: RefundJournal;
let credits: InstalmentStore;
const at = Date.parse('2026-12-01T09:30:00');

beforeEach(() => {
  tmp = tempDir('journal-');
  db = openDatabase(tmp.file('cashier.db'));
  credits = new InstalmentStore(db, () => at);
  journal = new RefundJournal({ db, refunds: new RefundStore(db, () => at), instalments: credits, people: new PeopleStore(db), exportDir: tmp.file('exports') });
});
afterEach(() => {
  db.close();
  tmp.remove();
});

const sale: Sale = {
  ref: { source: 'regos', id: 'sale-103' }, number: '103', createdAt: '2026-11-20T10:00:00', currency: 'UZS', totalMinor: 900_000, payments: [], remainderFromLocalOnly: false,
  lines: [{ lineId: 's:1', name: 'Телефон', priceMinor: 900_000, quantityMilli: 1000, amountMinor: 900_000, vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000, extra: { code: '000001', icps: '02202002001010036', package_code: '1218868', unit_name: 'шт' } }],
};

function credit(id: string, amountMinor: number): void {
  const tenders = [{ kind: 'cash' as const, amountMinor }];
  credits.insert({ id, sale: sale.ref, saleNumber: sale.number, amountMinor, tenders, phone: '998918935861', params: creditReceiptParams({ code: id, sale, amountMinor, tenders, phone: '998918935861', cashier: 'Кассир', vatMode: 'ratePercentTimes100' }) });
}

describe('credit receipts in the journal', () => {
  it('are listed with VCR\'s id and state, found by that id or the sale, opened with a copy, and exported with the day', () => {
    credit('pay-1', 300_000);
    credits.markRegistered('pay-1', '8841');
    credit('pay-2', 200_000);
    credits.markFailed('pay-2', 'VCR отказал');
    const day = new Date(at).toLocaleDateString('sv-SE');

    const all = journal.list({ date: day });
    // Newest first; the same minute: the later recorded first.
    expect(all.map((e) => [e.kind, e.id, e.state, e.documentNumber, e.totalMinor, e.currency])).toEqual([
      ['credit', 'pay-2', 'failed', undefined, 200_000, 'UZS'],
      ['credit', 'pay-1', 'registered', '8841', 300_000, 'UZS'],
    ]);
    expect(journal.list({ number: '8841' }).map((e) => e.id)).toEqual(['pay-1']);
    expect(journal.list({ sale: '103', state: 'failed' }).map((e) => e.id)).toEqual(['pay-2']);
    expect(journal.list({ date: '2026-11-30' })).toEqual([]);

    const detail = journal.detail('credit', 'pay-1');
    expect(detail.kind === 'credit' && detail.copyLines).toEqual([
      'КОПИЯ: КРЕДИТНЫЙ ЧЕК REGOS (не фискальный)', 'Продажа 103', 'Чек VCR № 8841', expect.stringMatching(/^2026-12-01 /), 'наличные  3000,00', 'ВНЕСЕНО 3000,00', 'Всего по продаже 3000,00',
    ]);

    const csv = journal.exportDay(day);
    expect(csv.rows).toBe(2);
    const rows = readFileSync(csv.path, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(rows[0]?.split(';').slice(0, 8)).toEqual(['Дата', 'Вид', 'Документ', 'ФП', 'Продажа', 'Состояние', 'Кассир', 'Сумма']);
    expect(rows[2]).toContain(';кредитный чек;8841;;103;зарегистрирован;;3000,00;3000,00;');
    expect(rows[1]).toContain(';кредитный чек;;;103;не пробит;;2000,00;');
  });

  it('an unknown entry is a Russian "not found", not a crash', () => {
    expect(() => journal.detail('credit', 'nope')).toThrow(/Такой записи в журнале нет/);
    expect(() => journal.detail('refund', 'nope')).toThrow(/Такой записи в журнале нет/);
  });
});
