import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { openDatabase, type Database } from '../queue/database';
import type { MainText, Sale } from '../../preload/contract';
import { creditReceiptParams } from './creditReceipt';
import { InstalmentStore } from './instalmentStore';

/** An instalment payment's reason as a code with values (migration 13) on a real SQLite file. */
let tmp: ReturnType<typeof tempDir>;
let db: Database;
beforeEach(() => {
  tmp = tempDir('instalments-');
  db = openDatabase(tmp.file('cashier.db'));
});
afterEach(() => {
  if (db.open) db.close();
  tmp.remove();
});

const sale: Sale = {
  ref: { source: 'regos', id: 'sale-103' }, number: '103', createdAt: '2026-11-20T10:00:00', currency: 'UZS', totalMinor: 900_000, payments: [], remainderFromLocalOnly: false,
  lines: [{ lineId: 's:1', name: 'Телефон', priceMinor: 900_000, quantityMilli: 1000, amountMinor: 900_000, vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 0, refundedMinor: 0, refundableMilli: 1000, extra: { code: '000001', icps: '02202002001010036', package_code: '1218868', unit_name: 'шт' } }],
};
const insert = (store: InstalmentStore, id: string) => {
  const tenders = [{ kind: 'cash' as const, amountMinor: 300_000 }];
  store.insert({ id, sale: sale.ref, saleNumber: sale.number, amountMinor: 300_000, tenders, phone: undefined, params: creditReceiptParams({ code: id, sale, amountMinor: 300_000, tenders, phone: undefined, cashier: 'Кассир', vatMode: 'ratePercentTimes100' }) });
};
const refused: MainText = { code: 'instalment.refused', params: { error: { code: 'regos.701003', message: 'REGOS отклонил чек. (Summa xato)', quote: 'Summa xato' } } };

describe('an instalment payment\'s coded reason', () => {
  it('a refusal keeps its code beside the Russian text across closing and reopening the file', () => {
    insert(new InstalmentStore(db), 'p1');
    new InstalmentStore(db).markFailed('p1', 'REGOS отклонил чек. (Summa xato) Оплата не оформлена.', refused);
    db.close();
    db = openDatabase(tmp.file('cashier.db'));
    expect(new InstalmentStore(db).get('p1')?.view).toMatchObject({ state: 'failed', reason: 'REGOS отклонил чек. (Summa xato) Оплата не оформлена.', reasonText: refused });
  });

  it('a fixed reason has no code; waiting after a coded one and registering clear it', () => {
    const store = new InstalmentStore(db);
    insert(store, 'p2');
    db.prepare(`UPDATE instalment_payments SET reason = 'x', reason_text = ? WHERE id = 'p2'`).run(JSON.stringify(refused));
    store.markWaiting('p2', 'REGOS VCR не ответил');
    expect(store.get('p2')?.view).toMatchObject({ reason: 'REGOS VCR не ответил' });
    expect(store.get('p2')?.view).not.toHaveProperty('reasonText');
    store.markRegistered('p2', 'vcr-9');
    expect(db.prepare(`SELECT reason, reason_text FROM instalment_payments WHERE id = 'p2'`).get()).toEqual({ reason: null, reason_text: null });
    insert(store, 'p3');
    store.markFailed('p3', 'REGOS VCR ответил, что кредитный чек не зарегистрирован');
    expect(store.get('p3')?.view).not.toHaveProperty('reasonText');
  });
});
