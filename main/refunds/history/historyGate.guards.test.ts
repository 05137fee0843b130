import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/queue/tempDir';
import { rejectionOf } from '../../../test/support/caughtAppError';
import { AppError } from '../../appError';
import { LifePosClient } from '../../backends/lifepos/lifePosClient';
import { createLogger, loggerOver } from '../../log/logger';
import { openDatabase, type Database } from '../../queue/database';
import { HistoryGate, type HistoryGateDeps, type HistoryState } from './historyGate';
import { HistoryStore } from './historyStore';
import { closeTill, openTill, type Till } from './historyTestRig';

/**
 * The gate's guards (issue 11 point 7, StrykerJS survivors historyGate.ts): which check runs, what the
 * cashier is told while a lost history is read back, and that a closed gate stops asking. A real SQLite file
 * and the in-memory Shtrih-M emulator; the database starts empty, so every refund receipt in the ФН is lost.
 */
let tmp: ReturnType<typeof tempDir>;
let till: Till;
let db: Database;
const gates: HistoryGate[] = [];

beforeEach(async () => {
  tmp = tempDir('history-guards-');
  till = await openTill(createLogger({ dir: tmp.file('logs') }));
  db = openDatabase(tmp.file('cashier.db'));
});

afterEach(async () => {
  for (const g of gates.splice(0)) g.close();
  db.close();
  await closeTill(till);
  tmp.remove();
});

function gate(states: HistoryState[], over: Partial<HistoryGateDeps> = {}): HistoryGate {
  const g = new HistoryGate({
    store: new HistoryStore(db), printer: till.printer, lifePos: () => null, log: createLogger({ dir: tmp.file('logs') }),
    perStep: 1, retryMs: 3_600_000, onChange: (s) => states.push(s), ...over,
  });
  gates.push(g);
  return g;
}

/** A refund receipt on the ФН that this database never recorded. */
async function lostRefund(amountMinor: number): Promise<number> {
  const doc = await till.printer.use((d) => d.printReceipt({
    operation: 'refundOfIncome', cashier: 'Петрова И.', tenders: { cashMinor: amountMinor },
    positions: [{ name: 'Кефир', priceMinor: amountMinor, quantityMilli: 1000, amountMinor, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' }],
  }));
  return doc.number;
}

const blocked = (states: HistoryState[]) => states.flatMap((s) => (s.state === 'blocked' ? [s.message] : []));

describe('history gate guards', () => {
  it('starts unchecked, then reads the whole ФН back one document per turn, telling the cashier how far it is', async () => {
    const numbers = [await lostRefund(1000), await lostRefund(2000), await lostRefund(3000)];
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    const states: HistoryState[] = [];
    const g = gate(states);
    expect(g.state()).toEqual({ state: 'unchecked' });
    expect(await g.check()).toMatchObject({ state: 'ok', fnNumber, recovered: 3 });
    expect(g.recovered().map((r) => r.number)).toEqual(numbers);
    expect(states[0]).toEqual({ state: 'checking' });
    // The shift-open report holds nothing of ours; each refund receipt read adds to the count.
    expect(blocked(states)[0]).toBe(
      `Программа сверяет историю возвратов с фискальным накопителем № ${fnNumber}: прочитано 1 из ${lastDocumentNumber} документов. ` +
      'Возвраты станут доступны, когда сверка закончится.',
    );
    expect(blocked(states)).toContain(
      `Программа сверяет историю возвратов с фискальным накопителем № ${fnNumber}: прочитано ${numbers[0]} из ${lastDocumentNumber} документов, ` +
      'найдено чеков возврата, которых нет в базе: 1. Возвраты станут доступны, когда сверка закончится.',
    );
    expect(blocked(states).at(-1)).toBe(
      `База возвратов этой кассы неполная: в фискальном накопителе № ${fnNumber} есть чеки возврата, которых нет в базе ` +
      `(ФД № ${numbers.join(', ')}). Программа восстанавливает историю из ФН и LIFE POS; возвраты станут доступны, когда она закончит. ` +
      'Не пробивайте возвраты вручную.',
    );
    expect(states.at(-1)).toMatchObject({ state: 'ok' });
  });

  it('answers a refund at once with the progress while a read-back is under way, and not again once the history is whole', async () => {
    await lostRefund(1000);
    await lostRefund(2000);
    const states: HistoryState[] = [];
    let asked!: (refusal: Promise<AppError>) => void;
    const refusal = new Promise<Promise<AppError>>((resolve) => (asked = resolve));
    const g: HistoryGate = gate(states, {
      onChange: (s) => {
        states.push(s);
        if (s.state === 'blocked') asked(rejectionOf(g.assertRefundsAllowed(), AppError));
      },
    });
    const done = g.check();
    const refused = await (await refusal);
    expect(refused).toMatchObject({ code: 'refund.history_incomplete', retry: 'transient', detail: 'history gate: blocked' });
    expect(refused.message).toMatch(/^Программа сверяет историю возвратов/);
    expect(await done).toMatchObject({ state: 'ok' });
    // Whole: a refund passes without another turn on the printer, even with a new receipt on the ФН.
    await lostRefund(3000);
    const seen = states.length;
    await g.assertRefundsAllowed();
    expect(states.length).toBe(seen);
  });

  it('a re-check of a blocked gate keeps the cashier message instead of showing "checking"', async () => {
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    new HistoryStore(db).advance(fnNumber, lastDocumentNumber + 5);
    const states: HistoryState[] = [];
    const g = gate(states);
    expect(await g.check()).toMatchObject({ state: 'blocked' });
    const first = states.length;
    expect(await g.check()).toMatchObject({ state: 'blocked' });
    expect(states.slice(first).map((s) => s.state)).toEqual(['blocked']);
  });

  it('a check that cannot read the ФН says why and that it repeats; a fault of the program itself is not dressed up as one', async () => {
    await lostRefund(1000);
    await gate([]).check();
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    db.prepare(`INSERT INTO fiscal_refund_documents (fn_number, number, fiscal_sign, date_time, operation, total_minor, lifepos_checked, recovered_at)
                VALUES (?, ?, '123', '2026-01-01T10:00', 'refundOfIncome', 100, 1, 0)`).run(fnNumber, lastDocumentNumber + 3);
    const refused = await rejectionOf(gate([]).assertRefundsAllowed(), AppError);
    expect(refused.message).toMatch(/^Программа не может сверить историю возвратов с фискальным накопителем: .+ Возвраты с печатью чека станут доступны после сверки; она повторяется каждую минуту и при подключении принтера\.$/);

    const bug = new TypeError('reader is broken');
    const broken = gate([], { printer: { use: () => Promise.reject(bug) } });
    await expect(broken.check()).rejects.toBe(bug);
  });

  it('receipts recovered from another ФН are neither read back from this one nor looked up again', async () => {
    const own = await lostRefund(1000);
    db.prepare(`INSERT INTO fiscal_refund_documents (fn_number, number, fiscal_sign, date_time, operation, total_minor, lifepos_checked, positions_read, recovered_at)
                VALUES ('9999078900000001', 500, '77', '2026-01-01T10:00', 'refundOfIncome', 100, 0, 0, 0)`).run();
    const states: HistoryState[] = [];
    const g = gate(states);
    expect(await g.check()).toMatchObject({ state: 'ok' });
    expect(blocked(states).at(-1)).toContain(`(ФД № ${own}).`);
    expect(g.recovered().map((r) => [r.fnNumber === '9999078900000001', r.number, r.lifePosChecked, r.positionsRead])).toEqual([
      [false, own, true, true],
      [true, 500, false, false],
    ]);
  });

  it('while LIFE POS cannot be asked, the cashier reads why in its own words', async () => {
    const number = await lostRefund(1000);
    const unreachable = new LifePosClient({
      baseUrl: 'http://127.0.0.1:9', orgGuid: 'org', token: 't', clientId: 'refund-cashier-test', clientType: 'App', language: 'ru-RU', timeoutMs: 2_000,
    });
    const refused = await rejectionOf(gate([], { lifePos: () => unreachable }).assertRefundsAllowed(), AppError);
    expect(refused.message).toMatch(new RegExp(`^В фискальном накопителе найдены чеки возврата, которых нет в базе кассы \\(ФД № ${number}\\)`));
    expect(refused.message).toMatch(/когда связь с LIFE POS восстановится \(программа проверяет её каждую минуту\)\.$/);
  });

  it('retries a blocked check by itself, never after it passed, and never once closed', async () => {
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    // A passing gate and a closed one, each with a short retry; a blocked gate beside them keeps time.
    const passing: HistoryState[] = [];
    await gate(passing, { retryMs: 5 }).check();
    new HistoryStore(db).advance(fnNumber, lastDocumentNumber + 5);
    const closedStates: HistoryState[] = [];
    const closed = gate(closedStates, { retryMs: 5 });
    closed.close();
    await closed.check();
    let ticks = 0;
    let threeRetries!: () => void;
    const clock = new Promise<void>((resolve) => (threeRetries = resolve));
    await gate([], { retryMs: 5, onChange: (s) => s.state === 'blocked' && ++ticks === 4 && threeRetries() }).check();
    await clock;
    expect(passing.map((s) => s.state)).toEqual(['checking', 'ok']);
    expect(closedStates.map((s) => s.state)).toEqual(['checking', 'blocked']);
  });

  it('writes for support what it found and why it waits, including a retry that failed outright', async () => {
    const lines: Array<[string, string, Record<string, unknown>]> = [];
    let failed!: () => void;
    const retryFailed = new Promise<void>((resolve) => (failed = resolve));
    const log = loggerOver((level, fields, message) => {
      lines.push([level, message, fields]);
      if (message === 'refund history check failed') failed();
    }, () => undefined);
    const lost = await lostRefund(1000);
    const { fnNumber, lastDocumentNumber } = await till.printer.use((d) => d.status());
    await gate([], { log }).check();
    expect(lines).toContainEqual(['warn', 'refund receipts in the ФН that the database does not know', { fnNumber, documents: [lost] }]);

    db.prepare(`INSERT INTO fiscal_refund_documents (fn_number, number, fiscal_sign, date_time, operation, total_minor, lifepos_checked, recovered_at)
                VALUES (?, ?, '123', '2026-01-01T10:00', 'refundOfIncome', 100, 1, 0)`).run(fnNumber, lastDocumentNumber + 3);
    await gate([], { log }).check();
    expect(lines).toContainEqual(['warn', 'refund history check postponed', { code: expect.any(String), detail: expect.anything() }]);

    db.prepare('DELETE FROM fiscal_refund_documents WHERE number = ?').run(lastDocumentNumber + 3);
    new HistoryStore(db).advance(fnNumber, lastDocumentNumber + 5);
    let turns = 0;
    const printer: HistoryGateDeps['printer'] = {
      use: (fn) => (++turns === 1 ? till.printer.use(fn) : Promise.reject(new TypeError('reader is broken'))),
    };
    expect(await gate([], { log, printer, retryMs: 5 }).check()).toMatchObject({ state: 'blocked' });
    expect(lines).toContainEqual(['error', 'database accounts for more ФН documents than the ФН holds',
      { kind: 'foreign', fnNumber, lastOnFn: lastDocumentNumber, lastKnown: lastDocumentNumber + 5 }]);
    await retryFailed;
    expect(lines).toContainEqual(['error', 'refund history check failed', { error: 'reader is broken' }]);
  });
});
