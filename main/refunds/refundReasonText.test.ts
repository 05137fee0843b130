import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { AppError } from '../appError';
import { regosError } from '../backends/regos/regosErrors';
import { loggerOver } from '../log/logger';
import { openDatabase, type Database } from '../queue/database';
import { MainText, Refund, type RefundState } from '../../preload/contract';
import { REVIEW_REASON, RefundOutcomes, saidError, type Reason } from './refundOutcomes';
import { RefundStore } from './refundStore';

/**
 * A refund's reason as a code with values (issue 15 point 1) on a real SQLite file: written beside the
 * Russian text, sent with the progress line, read back after the file is opened again, and never left
 * behind by a later reason that has none.
 */
let tmp: ReturnType<typeof tempDir>;
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  tmp.remove();
});

function till(file = tmp.file('cashier.db')) {
  const db = openDatabase(file);
  open.push(db);
  const store = new RefundStore(db);
  const progress: { id: string; state: RefundState; message: string; text: MainText | undefined }[] = [];
  const outcomes = new RefundOutcomes({
    store, log: loggerOver(() => undefined, () => undefined), recovered: () => undefined,
    progress: (id, state, message, text) => progress.push({ id, state, message, text }),
  });
  return { db, store, outcomes, progress };
}

function record(store: RefundStore, id: string): void {
  store.insertConfirmed({
    id, sale: { source: 'regos', id: 'regos-77' }, saleNumber: 'R-77', currency: 'UZS', totalMinor: 1_250_000,
    lines: [{ lineId: 'l1', name: 'Choynak', quantityMilli: 1000, amountMinor: 1_250_000, vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods' }],
    tenders: [{ paymentPartId: 'p1', kind: 'cash', amountMinor: 1_250_000, needsCard: false }],
  });
}

const waits: Reason = { text: 'REGOS VCR не ответил…', coded: { code: 'regos.waits', params: {} } };

describe('a refund reason as a code with values', () => {
  it('is stored beside the Russian text, sent with the progress line, and read back from the reopened file', () => {
    tmp = tempDir('reason-text-');
    const a = till();
    record(a.store, 'r-1');
    a.outcomes.wait('r-1', 'fiscalizing', waits);
    expect(a.progress).toEqual([{ id: 'r-1', state: 'fiscalizing', message: waits.text, text: waits.coded }]);
    a.db.close();
    const b = till();
    const stored = b.store.require('r-1');
    expect(stored).toMatchObject({ state: 'fiscalizing', reason: waits.text, reasonText: waits.coded });
    // What the contract sends the UI: the coded reason passes its schema.
    expect(Refund.parse({ ...stored, docNumberBefore: undefined }).reasonText).toEqual(waits.coded);
  });

  it('a later reason replaces it; a reason without a code, or none, leaves no stale code behind', () => {
    tmp = tempDir('reason-text-');
    const { store, outcomes } = till();
    record(store, 'r-2');
    outcomes.wait('r-2', 'fiscalizing', waits);
    outcomes.review('r-2', 'no answer', 'counter');
    expect(store.require('r-2')).toMatchObject({ reason: REVIEW_REASON, reasonText: { code: 'refund.review', params: {} } });
    store.setState('r-2', 'review', { reason: 'Текст без кода' });
    expect(store.require('r-2').reason).toBe('Текст без кода');
    expect(store.require('r-2').reasonText).toBeUndefined();
    outcomes.wait('r-2', 'fiscalizing', waits);
    store.setState('r-2', 'synced', { reason: null });
    expect(store.require('r-2').reason).toBeUndefined();
    expect(store.require('r-2').reasonText).toBeUndefined();
    // A patch that does not touch the reason keeps both.
    outcomes.wait('r-2', 'fiscalizing', waits);
    store.setState('r-2', 'fiscalizing', { docNumberBefore: 7 });
    expect(store.require('r-2').reasonText).toEqual(waits.coded);
  });

  it('a stored code this program no longer knows is left out, and the Russian text still shows', () => {
    tmp = tempDir('reason-text-');
    const { db, store } = till();
    record(store, 'r-3');
    db.prepare(`UPDATE refunds SET reason = 'Старый текст', reason_text = '{"code":"gone.code","params":{}}' WHERE id = 'r-3'`).run();
    expect(store.require('r-3').reason).toBe('Старый текст');
    expect(store.require('r-3').reasonText).toBeUndefined();
  });

  it('an error inside a reason keeps its code, its Russian message and what VCR said, word for word', () => {
    const vcr = regosError(709999, 'Касса заблокирована', 'Receipt.Refund');
    expect(saidError(vcr)).toEqual({ code: 'regos.709999', message: 'REGOS вернул ошибку 709999. (Касса заблокирована)', quote: 'Касса заблокирована' });
    expect(saidError(new AppError({ code: 'FISCAL_PAPER_OUT', message: 'Нет бумаги', retry: 'transient' }))).toEqual({ code: 'FISCAL_PAPER_OUT', message: 'Нет бумаги' });
  });
});
