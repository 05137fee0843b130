import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/queue/tempDir';
import { createLogger } from '../../log/logger';
import { openDatabase, type Database } from '../../queue/database';
import { RefundStore } from '../refundStore';
import { FnHistoryScan, type FnReader, type ScanStep } from './fnHistoryScan';
import { HistoryStore } from './historyStore';
import { closeTill, openTill, type Till } from './historyTestRig';

/**
 * What the read-back takes for lost history (issue 11 point 7, StrykerJS survivors fnHistoryScan.ts): only
 * refund receipts no refund explains, never a sale receipt, never one a refund still waiting for the
 * printer may own, and how far the database then accounts for. Real SQLite, the in-memory Shtrih-M emulator.
 */
let tmp: ReturnType<typeof tempDir>;
let till: Till;
let db: Database;
let store: HistoryStore;

beforeEach(async () => {
  tmp = tempDir('fn-scan-guards-');
  till = await openTill(createLogger({ dir: tmp.file('logs') }));
  db = openDatabase(tmp.file('cashier.db'));
  store = new HistoryStore(db);
});

afterEach(async () => {
  db.close();
  await closeTill(till);
  tmp.remove();
});

async function print(operation: 'refundOfIncome' | 'income', amountMinor: number): Promise<number> {
  const doc = await till.printer.use((d) => d.printReceipt({
    operation, cashier: 'Петрова И.', tenders: { cashMinor: amountMinor },
    positions: [{ name: 'Кефир', priceMinor: amountMinor, quantityMilli: 1000, amountMinor, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
  }));
  return doc.number;
}

/** A refund sent to the printer whose answer never came: it may own a receipt of its total after `docNumberBefore`. */
function pending(id: string, totalMinor: number, docNumberBefore: number): void {
  const refunds = new RefundStore(db);
  refunds.insertConfirmed({
    id, sale: { source: 'lifepay', id: `sale-${id}` }, saleNumber: 'N', currency: 'RUB',
    lines: [{ lineId: 'l1', name: 'Кефир', quantityMilli: 1000, amountMinor: totalMinor, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
    tenders: [{ paymentPartId: 'pp1', kind: 'cash', amountMinor: totalMinor, needsCard: false }], totalMinor,
  });
  refunds.setState(id, 'fiscalizing', { docNumberBefore });
  refunds.setReceiptSent(id, 1, docNumberBefore);
}

/** Steps one document at a time until the scan is done (bounded: a scan that never ends fails). */
async function scanAll(perStep = 1, whileReading?: (number: number) => void): Promise<ScanStep[]> {
  const scan = new FnHistoryScan(store, perStep);
  const steps: ScanStep[] = [];
  for (let i = 0; i < 30; i++) {
    const step = await till.printer.use((d) => {
      const reader: FnReader = {
        status: () => d.status(),
        findDocument: (n) => d.findDocument(n),
        readReceipt: async (n) => {
          const receipt = await d.readReceipt(n);
          whileReading?.(n);
          return receipt;
        },
      };
      return scan.step(reader);
    });
    steps.push(step);
    if (step.kind !== 'progress' || step.done) return steps;
  }
  throw new Error(`the scan did not finish: ${JSON.stringify(steps.at(-1))}`);
}

describe('FnHistoryScan guards', () => {
  it('recovers a lost refund receipt, not a sale receipt, and accounts for every document read', async () => {
    await print('income', 3000);
    const lost = await print('refundOfIncome', 1000);
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    const steps = await scanAll();
    expect(steps.map((s) => s.kind === 'progress' && [s.scannedTo, s.done])).toEqual(
      Array.from({ length: lastDocumentNumber }, (_, i) => [i + 1, i + 1 === lastDocumentNumber]),
    );
    expect(store.recovered().map((r) => [r.number, r.totalMinor])).toEqual([[lost, 1000]]);
    expect(store.lastKnown(fnNumber)).toBe(lastDocumentNumber);
    // Nothing new: the next scan reads nothing and keeps the position.
    expect(await scanAll()).toEqual([{ kind: 'progress', fnNumber, lastOnFn: lastDocumentNumber, scannedTo: lastDocumentNumber, done: true }]);
    expect(store.lastKnown(fnNumber)).toBe(lastDocumentNumber);
  });

  it('leaves a receipt a waiting refund may own and stops the position before it, yet finishes the scan', async () => {
    const { lastDocumentNumber: before } = await till.printer.use((d) => d.status());
    pending('r-wait', 4200, before);
    const mayBeOurs = await print('refundOfIncome', 4200);
    const otherTotal = await print('refundOfIncome', 5000);
    const { fnNumber } = await till.printer.use((d) => d.status());
    await scanAll();
    expect(store.recovered().map((r) => r.number)).toEqual([otherTotal]);
    expect(store.lastKnown(fnNumber)).toBe(mayBeOurs - 1);
  });

  it('a refund receipt printed before (or as) the last document a waiting refund saw is lost, not awaited', async () => {
    const earlier = await print('refundOfIncome', 4200);
    pending('r-wait', 4200, earlier);
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    await scanAll();
    expect(store.recovered().map((r) => r.number)).toEqual([earlier]);
    expect(store.lastKnown(fnNumber)).toBe(lastDocumentNumber);
  });

  it('a receipt a refund settles on while it is read back is not recovered as lost', async () => {
    const number = await print('refundOfIncome', 4200);
    const doc = await till.printer.use((d) => d.findDocument(number));
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    await scanAll(10, () => {
      pending('r-late', 4200, number - 1);
      new RefundStore(db).setState('r-late', 'synced', { fiscal: { number, fiscalSign: doc.fiscalSign, dateTime: doc.dateTime } });
    });
    expect(store.recovered()).toEqual([]);
    expect(store.lastKnown(fnNumber)).toBe(lastDocumentNumber);
  });

  it('a receipt left to a waiting refund that settles elsewhere meanwhile is read on the next pass, not skipped', async () => {
    const { lastDocumentNumber: before } = await till.printer.use((d) => d.status());
    pending('r-wait', 4200, before);
    const other = await print('refundOfIncome', 5000);
    const left = await print('refundOfIncome', 4200);
    const { fnNumber } = await till.printer.use((d) => d.status());
    await scanAll(10, () => new RefundStore(db).setState('r-wait', 'failed', {}));
    expect(store.recovered().map((r) => r.number)).toEqual([other]);
    expect(store.lastKnown(fnNumber)).toBe(left - 1);
    await scanAll(10);
    expect(store.recovered().map((r) => r.number)).toEqual([other, left]);
  });
});
