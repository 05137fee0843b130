import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIFE_PAY_DEMO_API_KEY, LIFE_PAY_DEMO_LOGIN, lifePayTime, startLifePayEmulator, type LifePayEmulator, type StoredTransaction } from '../../../emulators/lifepay/server';
import { tempDir } from '../../../test/queue/tempDir';
import { caughtAppError } from '../../../test/support/caughtAppError';
import { LifePayClient } from '../../backends/lifepay/lifePayClient';
import { createLogger } from '../../log/logger';
import { immediateTransaction, openDatabase, type Database } from '../../queue/database';
import type { RefundLineRequest, Sale, SaleRef } from '../../../preload/contract';
import { priceRefundLines } from '../refundableRemainder';
import { fiscalRefundReceipt } from '../refundDocuments';
import { RefundStore } from '../refundStore';
import { SaleFinder } from '../saleFinder';
import { lifePaySource } from '../saleSources';
import { SeenSales } from '../seenSales';
import { HistoryGate } from './historyGate';
import { HistoryStore } from './historyStore';
import { closeTill, openTill, removeDatabase, type Till } from './historyTestRig';
import { refuseUnresolvedRecovered, withRecoveredRefunds } from './recoveredRefunds';

/**
 * The double refund issue 11 reports, closed: a LIFE PAY sale refunded on this till's printer, the
 * database deleted, the app started again. LIFE PAY's list knows nothing of a local refund and LIFE POS
 * is not asked for a LIFE PAY sale, so only the ФН remembers it: the rebuilt receipt's positions must
 * count against the same sale when it is opened again. Real parts throughout: the Shtrih-M emulator, a
 * SQLite file, the LIFE PAY emulator over HTTP, the app's SaleFinder with its LIFE PAY source.
 */
const MILK = 'Молоко 3,2 % 1 л';

function payment(uuid: string, number: string, products: Array<{ name: string; price: number; quantity: number; tax: 'vat20' | 'vat10' }>): StoredTransaction {
  const amount = products.reduce((s, p) => s + Math.round((p.price * p.quantity) / 1000), 0);
  return {
    uuid, number, type: 'payment', status: 'success', created: lifePayTime(new Date(Date.now() - 30 * 60_000)), amount, method: 'cash',
    employee: 'Иванова Мария', rrn: null, ext_id: null,
    purchase: { products: products.map((p) => ({ ...p, type: 4, item_type: 1 })) },
  };
}

const SALE_A = payment('7a1e0000-0000-4000-8000-00000000000a', '601', [
  { name: MILK, price: 8990, quantity: 2000, tax: 'vat20' },
  { name: 'Хлеб Бородинский', price: 5450, quantity: 1000, tax: 'vat10' },
]);
const SALE_B = payment('7a1e0000-0000-4000-8000-00000000000b', '602', [
  { name: MILK, price: 8990, quantity: 1000, tax: 'vat20' },
  { name: 'Кефир 1 %', price: 7400, quantity: 1000, tax: 'vat20' },
]);
const refA: SaleRef = { source: 'lifepay', id: SALE_A.uuid };
const refB: SaleRef = { source: 'lifepay', id: SALE_B.uuid };

let tmp: ReturnType<typeof tempDir>;
let till: Till;
let lifepay: LifePayEmulator;
let client: LifePayClient;
let db: Database;
const gates: HistoryGate[] = [];
const log = () => createLogger({ dir: tmp.file('logs') });

beforeEach(async () => {
  tmp = tempDir('recovered-sale-');
  till = await openTill(log());
  lifepay = await startLifePayEmulator({ seed: { transactions: [SALE_A, SALE_B] } });
  client = new LifePayClient({ baseUrl: lifepay.url, login: LIFE_PAY_DEMO_LOGIN, apiKey: LIFE_PAY_DEMO_API_KEY, timeoutMs: 5_000 });
  db = openDatabase(tmp.file('cashier.db'));
});

afterEach(async () => {
  for (const g of gates.splice(0)) g.close();
  if (db.open) db.close();
  await closeTill(till);
  await lifepay.close();
  tmp.remove();
});

/** The app's sale lookup on this database, wired as main/services.ts wires it. */
function finder(): SaleFinder {
  const f = new SaleFinder(() => [lifePaySource(() => client)], new SeenSales(db), new RefundStore(db), log());
  const history = new HistoryStore(db);
  f.countRecovered = (sale, knownToServer) => withRecoveredRefunds(sale, history, knownToServer);
  return f;
}

/** What the saga does for a LIFE PAY refund on the till's printer: price from the sale, print, record. */
async function refundOnPrinter(id: string, ref: SaleRef, lines: RefundLineRequest[]): Promise<number> {
  const sale = await finder().get(ref);
  refuseUnresolvedRecovered(sale);
  const refundLines = priceRefundLines(sale.lines, lines);
  const total = refundLines.reduce((s, l) => s + l.amountMinor, 0);
  const tenders = [{ paymentPartId: sale.payments[0]?.paymentPartId ?? 'cash', kind: 'cash' as const, amountMinor: total, needsCard: false }];
  const doc = await till.printer.use((d) => d.printReceipt(fiscalRefundReceipt({ id, lines: refundLines, tenders }, 'Петрова И.')));
  const store = new RefundStore(db);
  store.insertConfirmed({ id, sale: ref, saleNumber: sale.number, currency: 'RUB', lines: refundLines, tenders, totalMinor: total });
  store.setState(id, 'synced', { fiscal: { number: doc.number, fiscalSign: doc.fiscalSign, dateTime: doc.dateTime } });
  return doc.number;
}

/** The database deleted with its WAL, the app started again: a fresh file, and the history rebuilt from the ФН. */
async function loseDatabaseAndRestart(): Promise<void> {
  db.close();
  removeDatabase(tmp.file('cashier.db'));
  db = openDatabase(tmp.file('cashier.db'));
  const gate = new HistoryGate({ store: new HistoryStore(db), printer: till.printer, lifePos: () => null, log: log() });
  gates.push(gate);
  await gate.assertRefundsAllowed();
}

const milkOf = (sale: Sale) => sale.lines.find((l) => l.name === MILK);

describe('a LIFE PAY sale refunded, its database lost', () => {
  it('is opened again with what the ФН says was refunded taken off its remainder, and the cashier is told', async () => {
    const milkA = `${SALE_A.uuid}:0`;
    const printed = await refundOnPrinter('r-1', refA, [{ lineId: milkA, quantityMilli: 1000 }]);
    expect(milkOf(await finder().get(refA))?.refundableMilli).toBe(1000);

    await loseDatabaseAndRestart();
    const sale = await finder().get(refA);
    expect([milkOf(sale)?.refundableMilli, milkOf(sale)?.refundedMinor]).toEqual([1000, 8990]);
    expect(sale.payments[0]?.refundedMinor).toBe(8990);
    expect(sale.recovered?.notices[0]?.text).toContain(`ФД № ${printed}`);
    expect(sale.recovered?.notices[0]?.text).toContain(`«${MILK}» 1`);
    expect(sale.recovered?.receipts).toEqual([{ fnNumber: expect.any(String), number: printed, text: expect.any(String), coded: { code: 'recovered.receipt', params: expect.objectContaining({ fd: printed, positions: [{ name: MILK, quantityMilli: 1000 }] }) }, undecided: false }]);
    // The same sale cannot be refunded whole a second time; what is left of it can.
    expect(() => priceRefundLines(sale.lines, [{ lineId: milkA, quantityMilli: 2000 }])).toThrow(/не больше 1/);
    await refundOnPrinter('r-2', refA, [{ lineId: milkA, quantityMilli: 1000 }]);
    expect(milkOf(await finder().get(refA))?.refundableMilli).toBe(0);
  });

  it('a recovered receipt that matches a sale only in part stops its refunds until the cashier decides, either way', async () => {
    // Sale B's milk and kefir refunded together: on sale A only the milk matches.
    const printed = await refundOnPrinter('r-b', refB, [{ lineId: `${SALE_B.uuid}:0`, quantityMilli: 1000 }, { lineId: `${SALE_B.uuid}:1`, quantityMilli: 1000 }]);
    await loseDatabaseAndRestart();

    const a = await finder().get(refA);
    expect(milkOf(a)?.refundableMilli).toBe(2000);
    expect(a.recovered?.receipts).toEqual([{ fnNumber: expect.any(String), number: printed, text: expect.stringContaining('Кефир 1 %'), coded: expect.objectContaining({ code: 'recovered.receipt' }), undecided: true }]);
    expect(a.recovered?.notices.map((n) => n.text).join(' ')).toContain('Программа не решает это сама');
    const refused = caughtAppError(() => refuseUnresolvedRecovered(a));
    expect(refused.code).toBe('refund.recovered_unresolved');
    expect(refused.message).toContain(`ФД № ${printed}`);
    // Sale B is the receipt's whole match: counted there without asking.
    const b = await finder().get(refB);
    expect(b.lines.map((l) => l.refundableMilli)).toEqual([0, 0]);

    // The cashier: "not a refund of sale A" — A is refundable whole, B keeps it.
    const history = new HistoryStore(db);
    const fnNumber = a.recovered?.receipts[0]?.fnNumber ?? '';
    immediateTransaction(db, () => history.decide({ fnNumber, number: printed }, refA, false));
    const decided = await finder().get(refA);
    expect([decided.recovered, milkOf(decided)?.refundableMilli]).toEqual([undefined, 2000]);
    expect((await finder().get(refB)).lines.map((l) => l.refundableMilli)).toEqual([0, 0]);
  });

  it('the cashier\'s "it is this sale\'s" counts the receipt there, as far as its lines go', async () => {
    const printed = await refundOnPrinter('r-b', refB, [{ lineId: `${SALE_B.uuid}:0`, quantityMilli: 1000 }, { lineId: `${SALE_B.uuid}:1`, quantityMilli: 1000 }]);
    await loseDatabaseAndRestart();
    const history = new HistoryStore(db);
    const fnNumber = history.recovered()[0]?.fnNumber ?? '';
    immediateTransaction(db, () => history.decide({ fnNumber, number: printed }, refA, true));
    const a = await finder().get(refA);
    expect(milkOf(a)?.refundableMilli).toBe(1000);
    expect(() => refuseUnresolvedRecovered(a)).not.toThrow();
    // Assigned to A, it is no longer a candidate for B.
    expect((await finder().get(refB)).lines.map((l) => l.refundableMilli)).toEqual([1000, 1000]);
  });
});
