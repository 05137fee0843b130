import { copyFileSync, existsSync, rmSync, truncateSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { tempDir } from '../../../test/queue/tempDir';
import { rejectionOf } from '../../../test/support/caughtAppError';
import { DEAL_CASH, milkRefund } from '../../../test/support/lifePosRefunds';
import { AppError } from '../../appError';
import { LifePosClient } from '../../backends/lifepos/lifePosClient';
import { ShtrihDriver } from '../../fiscal/shtrih/driver';
import { PrinterConnection } from '../../fiscal/printerConnection';
import { createLogger } from '../../log/logger';
import { openDatabase, type Database } from '../../queue/database';
import { RefundStore } from '../refundStore';
import { HistoryGate, type HistoryState } from './historyGate';
import { HistoryStore } from './historyStore';
import { TIMEOUTS, closeTill, openTill, removeDatabase } from './historyTestRig';

/**
 * Issue 11 point 4 against the Shtrih-M emulator holding the real refund receipts, a real SQLite file and
 * the LIFE POS emulator over HTTP: a deleted, an emptied and a stale (older copy) database are each
 * noticed from the ФН, refunds wait with a Russian message, and the history is rebuilt before they resume.
 */
let tmp: ReturnType<typeof tempDir>;
let fiscal: InMemoryEmulator;
let printer: PrinterConnection;
let lifepos: LifePosEmulator;
let client: LifePosClient;
let db: Database;
const log = () => createLogger({ dir: tmp.file('logs') });

beforeEach(async () => {
  tmp = tempDir('history-');
  ({ fiscal, printer } = await openTill(log()));
  lifepos = await startLifePosEmulator();
  client = new LifePosClient({
    baseUrl: lifepos.url, orgGuid: lifepos.orgGuid, token: lifepos.token, clientId: 'refund-cashier-test', clientType: 'App', language: 'ru-RU', timeoutMs: 10_000,
  });
  db = openDatabase(tmp.file('cashier.db'));
});

afterEach(async () => {
  for (const g of gates.splice(0)) g.close();
  if (db.open) db.close();
  await closeTill({ fiscal, printer });
  await lifepos.close();
  tmp.remove();
});

function gate(states: HistoryState[] = [], lifePos: LifePosClient | null = client, retryMs = 3_600_000, onChange?: (s: HistoryState) => void): HistoryGate {
  const g = new HistoryGate({
    store: new HistoryStore(db), printer, lifePos: () => lifePos, log: log(), perStep: 3, retryMs,
    onChange: (s) => {
      states.push(s);
      onChange?.(s);
    },
  });
  gates.push(g);
  return g;
}
const gates: HistoryGate[] = [];

/** What the saga does for a local refund: the receipt on the ФН, then the refund row with its fiscal data. */
async function refund(id: string, totalMinor: number, sale = { source: 'lifepay' as const, id: `sale-${id}` }): Promise<{ number: number; fiscalSign: string }> {
  const line = { lineId: 'l1', name: 'Молоко 3,2 %', quantityMilli: 1000, amountMinor: totalMinor, vat: 'vat20' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const };
  const doc = await printer.use((d) => d.printReceipt({
    operation: 'refundOfIncome', cashier: 'Петрова И.',
    positions: [{ name: line.name, priceMinor: totalMinor, quantityMilli: 1000, amountMinor: totalMinor, vat: line.vat, paymentMethod: line.paymentMethod, itemSign: line.itemSign }],
    tenders: { cashMinor: totalMinor },
  }));
  const store = new RefundStore(db);
  store.insertConfirmed({
    id, sale, saleNumber: `N-${id}`, currency: 'RUB', lines: [line],
    tenders: [{ paymentPartId: 'pp1', kind: 'cash', amountMinor: totalMinor, needsCard: false }], totalMinor,
  });
  store.setState(id, 'synced', { fiscal: { number: doc.number, fiscalSign: doc.fiscalSign, dateTime: doc.dateTime } });
  return { number: doc.number, fiscalSign: doc.fiscalSign };
}

/** LIFE POS holds the reversal session of a refund with its receipt, as our outbox jobs would have left it. */
async function syncedToLifePos(refundId: string, doc: { number: number; fiscalSign: string }, totalMinor: number): Promise<void> {
  const session = await client.createReversalSession(DEAL_CASH, milkRefund(refundId, totalMinor));
  await client.patchReversalSession(DEAL_CASH, session.guid, {
    fiscal_document_number: doc.number, fiscal_sign: doc.fiscalSign, issued_at: new Date().toISOString(), total_sum: { value: totalMinor, currency: 'RUB' },
  });
}

function reopen(change: (file: string) => void): void {
  db.close();
  change(tmp.file('cashier.db'));
  db = openDatabase(tmp.file('cashier.db'));
}


const MILK = 'Молоко 3,2 %';
/** The one position `refund()` prints, as the ФН records it. */
const milk = (amountMinor: number) => ({ name: MILK, priceMinor: amountMinor, quantityMilli: 1000, amountMinor, vat: 'vat20' });

/** What the history tables hold, to show a refused check changed nothing. */
const tables = () => ({
  drives: db.prepare('SELECT fn_number, last_known_document FROM till_fiscal_drives ORDER BY fn_number').all(),
  documents: db.prepare('SELECT fn_number, number, positions_read, tenders FROM fiscal_refund_documents ORDER BY number').all(),
  lines: db.prepare('SELECT * FROM fiscal_refund_document_lines ORDER BY number, line_no').all(),
});

const blockedMessages = (states: HistoryState[]) => states.flatMap((s) => (s.state === 'blocked' ? [s.message] : []));

describe('refund history: the ФН against the database', () => {
  it('passes a database that knows every refund receipt, and remembers how far it has read', async () => {
    const a = await refund('r-1', 8990);
    const b = await refund('r-2', 12_000);
    const g = gate();
    await g.assertRefundsAllowed();
    expect(g.state()).toMatchObject({ state: 'ok', recovered: 0 });
    const fn = (await printer.use((d) => d.status())).fnNumber;
    expect(new HistoryStore(db).lastKnown(fn)).toBe(Math.max(a.number, b.number));
  });

  it('deleted database: refunds wait while LIFE POS cannot be asked, then the history is rebuilt from the ФН and LIFE POS', async () => {
    const onLifePos = await refund('r-1', 8990);
    await syncedToLifePos('r-1', onLifePos, 8990);
    const lifePayOnly = await refund('r-2', 12_000);
    await gate().check();

    reopen(removeDatabase);
    await lifepos.faults.setOffline(true);
    const states: HistoryState[] = [];
    const g = gate(states);
    const refused = await rejectionOf(g.assertRefundsAllowed(), AppError);
    expect(refused.code).toBe('refund.history_incomplete');
    expect(refused.message).toContain(`ФД № ${onLifePos.number}, ${lifePayOnly.number}`);
    expect(refused.message).toContain('LIFE POS сейчас недоступен');
    expect(blockedMessages(states).some((m) => m.startsWith('База возвратов этой кассы неполная'))).toBe(true);

    await lifepos.faults.setOffline(false);
    await g.assertRefundsAllowed();
    expect(g.state()).toMatchObject({ state: 'ok', recovered: 2 });
    expect(g.recovered().map((r) => [r.number, r.totalMinor, r.refundId, r.sale, r.lifePosChecked])).toEqual([
      [onLifePos.number, 8990, 'r-1', { source: 'lifepos', id: DEAL_CASH }, true],
      [lifePayOnly.number, 12_000, null, null, true],
    ]);
    // Each with its positions and tenders as the ФН recorded them (0xFF3A/0xFF3B).
    expect(g.recovered().map((r) => [r.positionsRead, r.positions, r.tenders?.cashMinor])).toEqual([
      [true, [milk(8990)], 8990],
      [true, [milk(12_000)], 12_000],
    ]);
    // Rebuilt once: the next start finds nothing new.
    const again: HistoryState[] = [];
    await gate(again).check();
    expect(blockedMessages(again)).toEqual([]);
  });

  it('emptied database (a zero-length file, then one whose tables were cleared): each is noticed from the ФН', async () => {
    const first = await refund('r-1', 5000);
    await gate().check();
    reopen((file) => {
      truncateSync(file, 0);
      rmSync(`${file}-wal`, { force: true });
    });
    const g = gate([], null);
    await g.check();
    expect(g.recovered().map((r) => [r.number, r.positions])).toEqual([[first.number, [milk(5000)]]]);

    const second = await refund('r-2', 7000);
    await gate([], null).check();
    db.exec(
      'DELETE FROM refund_lines; DELETE FROM refund_tenders; DELETE FROM refund_receipts; DELETE FROM refunds; DELETE FROM fiscal_refund_document_lines; ' +
      'DELETE FROM fiscal_refund_document_dismissals; DELETE FROM fiscal_refund_documents; DELETE FROM till_fiscal_drives;',
    );
    const states: HistoryState[] = [];
    const cleared = gate(states, null);
    await cleared.check();
    expect(blockedMessages(states)[0]).toContain(`ФД № ${first.number}, ${second.number}`);
    expect(cleared.recovered().map((r) => [r.number, r.positions])).toEqual([[first.number, [milk(5000)]], [second.number, [milk(7000)]]]);
    expect(cleared.state()).toMatchObject({ state: 'ok' });
  });

  it('stale database (an older copy put back): only the receipts printed after the copy are recovered', async () => {
    const before = await refund('r-1', 5000);
    await gate().check();
    db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(tmp.file('cashier.db'), tmp.file('copy.db'));
    const after = await refund('r-2', 6000);
    await refund('r-3', 7000).then((d) => syncedToLifePos('r-3', d, 7000));
    await gate().check();

    reopen((file) => {
      removeDatabase(file);
      copyFileSync(tmp.file('copy.db'), file);
    });
    expect(existsSync(tmp.file('cashier.db'))).toBe(true);
    const states: HistoryState[] = [];
    const g = gate(states);
    await g.check();
    expect(blockedMessages(states)[0]).toContain(`ФД № ${after.number}, ${after.number + 1}`);
    expect(g.recovered().map((r) => [r.number, r.refundId, r.positions])).toEqual([
      [after.number, null, [milk(6000)]],
      [after.number + 1, 'r-3', [milk(7000)]],
    ]);
    expect(g.recovered().map((r) => r.number)).not.toContain(before.number);
    expect(g.state()).toMatchObject({ state: 'ok' });
  });

  it('leaves a receipt a refund still waits to reconcile to the saga, and reads it again next time', async () => {
    await refund('r-1', 5000);
    const fnStatus = await printer.use((d) => d.status());
    const store = new RefundStore(db);
    store.insertConfirmed({
      id: 'r-pending', sale: { source: 'lifepay', id: 's' }, saleNumber: 'N', currency: 'RUB',
      lines: [{ lineId: 'l1', name: 'Кефир', quantityMilli: 1000, amountMinor: 4200, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
      tenders: [{ paymentPartId: 'pp1', kind: 'cash', amountMinor: 4200, needsCard: false }], totalMinor: 4200,
    });
    store.setState('r-pending', 'fiscalizing', { docNumberBefore: fnStatus.lastDocumentNumber });
    store.setReceiptSent('r-pending', 1, fnStatus.lastDocumentNumber);
    // The printer took the receipt, the answer never reached the saga.
    await printer.use((d) => d.printReceipt({
      operation: 'refundOfIncome', cashier: 'Петрова И.', tenders: { cashMinor: 4200 },
      positions: [{ name: 'Кефир', priceMinor: 4200, quantityMilli: 1000, amountMinor: 4200, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
    }));
    const g = gate([], null);
    await g.assertRefundsAllowed();
    expect(g.recovered()).toEqual([]);
    expect(new HistoryStore(db).lastKnown(fnStatus.fnNumber)).toBe(fnStatus.lastDocumentNumber);
  });

  it('asks LIFE POS again by itself while it is unreachable, and lets refunds through once it answered', async () => {
    const doc = await refund('r-1', 8990);
    await syncedToLifePos('r-1', doc, 8990);
    reopen(removeDatabase);
    await lifepos.faults.setOffline(true);
    let reachedOk!: () => void;
    const ok = new Promise<void>((resolve) => (reachedOk = resolve));
    const g = gate([], client, 50, (s) => s.state === 'ok' && reachedOk());
    expect(await g.check()).toMatchObject({ state: 'blocked' });
    await lifepos.faults.setOffline(false);
    // Nobody calls check() again: the gate's own retry does.
    await ok;
    expect(g.recovered().map((r) => [r.number, r.refundId])).toEqual([[doc.number, 'r-1']]);
    await g.assertRefundsAllowed();
  });

  it('refuses a database that accounts for more documents than this ФН holds', async () => {
    await refund('r-1', 5000);
    const { fnNumber, lastDocumentNumber } = await printer.use((d) => d.status());
    new HistoryStore(db).advance(fnNumber, lastDocumentNumber + 40);
    const refused = await rejectionOf(gate().assertRefundsAllowed(), AppError);
    expect(refused.message).toContain(`База данных кассы не совпадает с фискальным накопителем № ${fnNumber}`);
    expect(refused.message).toContain('обратитесь в поддержку');
  });

  it('reads back the positions of receipts recovered before they were kept (a database from version 9)', async () => {
    const doc = await refund('r-1', 5000);
    reopen(removeDatabase);
    await gate([], null).check();
    db.exec('DELETE FROM fiscal_refund_document_lines; UPDATE fiscal_refund_documents SET positions_read = 0, tenders = NULL;');
    const g = gate([], null);
    expect(await g.check()).toMatchObject({ state: 'ok' });
    expect(g.recovered().map((r) => [r.number, r.positionsRead, r.positions, r.tenders?.cashMinor])).toEqual([[doc.number, true, [milk(5000)], 5000]]);
  });

  it('a recovered receipt whose number this ФН does not hold stops refunds (0x08), and the database is left as it was', async () => {
    await refund('r-1', 5000);
    await gate([], null).check();
    const { fnNumber, lastDocumentNumber } = await printer.use((d) => d.status());
    const missing = lastDocumentNumber + 3;
    db.prepare(`INSERT INTO fiscal_refund_documents (fn_number, number, fiscal_sign, date_time, operation, total_minor, lifepos_checked, recovered_at)
                VALUES (?, ?, '123', '2026-01-01T10:00', 'refundOfIncome', 100, 1, 0)`).run(fnNumber, missing);
    const before = tables();
    const states: HistoryState[] = [];
    const refused = await rejectionOf(gate(states, null).assertRefundsAllowed(), AppError);
    expect(refused.message).toContain('не может сверить историю возвратов');
    expect(refused.message).toContain('Документ не найден в фискальном накопителе');
    expect(tables()).toEqual(before);
  });

  it('a receipt block damaged on the line is refused and nothing is recorded; the next check rebuilds it whole', async () => {
    const doc = await refund('r-1', 5000);
    reopen(removeDatabase);
    // Bytes 7 and 8 of a 0xFF3B answer: the low bytes of tag 1040 (the document number), LRC unchanged.
    fiscal.setFault({ undetectedDamage: [{ code: 0xff3b, bytes: [7, 8], xor: 0x01 }] });
    const g = gate([], null);
    const s = await g.check();
    expect(s).toMatchObject({ state: 'blocked' });
    expect(s.state === 'blocked' && s.message).toContain(`Документ ФД № ${doc.number} не удалось прочитать`);
    expect(tables()).toEqual({ drives: [], documents: [], lines: [] });
    expect(await g.check()).toMatchObject({ state: 'ok' });
    expect(g.recovered().map((r) => [r.number, r.positions])).toEqual([[doc.number, [milk(5000)]]]);
  });

  it('a receipt the ФН itself holds damaged keeps refunds stopped, naming it, without a partial history', async () => {
    const doc = await refund('r-1', 5000);
    const stored = fiscal.device.model.snapshot.documents.find((d) => d.number === doc.number);
    if (!stored?.tlvHex) throw new Error('the emulated ФН keeps every document as TLV');
    stored.tlvHex = stored.tlvHex.slice(0, -2);
    reopen(removeDatabase);
    const refused = await rejectionOf(gate([], null).assertRefundsAllowed(), AppError);
    expect(refused.message).toContain(`ФД № ${doc.number}`);
    expect(tables()).toEqual({ drives: [], documents: [], lines: [] });
  });

  it('says the printer does not answer, and checks again once it does', async () => {
    await refund('r-1', 5000);
    reopen(removeDatabase);
    await printer.close();
    // Each connection gets a fresh link, as a replugged cable does.
    printer = new PrinterConnection(async () => ShtrihDriver.connect({ port: await fiscal.reconnect(), timeouts: TIMEOUTS }), log());
    fiscal.setFault({ silent: true });
    const g = gate([], null);
    const refused = await rejectionOf(g.assertRefundsAllowed(), AppError);
    expect(refused.message).toContain('не может сверить историю возвратов с фискальным накопителем');
    fiscal.setFault({ silent: false });
    await g.assertRefundsAllowed();
    expect(g.recovered()).toHaveLength(1);
  });
});
