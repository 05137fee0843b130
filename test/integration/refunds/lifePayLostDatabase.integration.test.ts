import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { LIFE_PAY_DEMO_API_KEY, LIFE_PAY_DEMO_LOGIN, lifePayTime, startLifePayEmulator, type LifePayEmulator, type StoredTransaction } from '../../../emulators/lifepay/server';
import { ShtrihDriver } from '../../../main/fiscal/shtrih/driver';
import type { SaleRef } from '../../../preload/contract';
import { tempDir } from './fixtures';
import { deleteDatabase, startTestApp, until, type TestApp } from './testApp';

/**
 * Issue 11's LIFE PAY double refund, end to end on the app's real services (createServices): a LIFE PAY
 * card payment refunded on this till's printer while LIFE PAY's cloud register is out of reach, the
 * database deleted, the app started again. LIFE PAY's list knows nothing of that refund; the ФН does. The
 * same sale opened again must not be refundable whole (main/refunds/README.md, "Recovered refunds").
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };
const RRN = '512345678901';
/** Waits for the app's own timers (connectivity probe, the start-up history check), generous for a loaded machine. */
const BOUND_MS = 30_000;
const SALE: StoredTransaction = {
  uuid: '7a1e0000-0000-4000-8000-0000000000c1', number: '701', type: 'payment', status: 'success',
  created: lifePayTime(new Date(Date.now() - 20 * 60_000)), amount: 17_980, method: 'card', employee: 'Иванова Мария', rrn: RRN, ext_id: null,
  purchase: { products: [{ name: 'Молоко 3,2 % 1 л', price: 8990, quantity: 2000, tax: 'vat20', type: 4, item_type: 1 }] },
};
const ref: SaleRef = { source: 'lifepay', id: SALE.uuid };
const milk = `${SALE.uuid}:0`;
/** Another customer's milk and kefir, paid by card. */
const OTHER: StoredTransaction = {
  ...SALE, uuid: '7a1e0000-0000-4000-8000-0000000000c2', number: '702', amount: 16_390, rrn: '512345678902',
  purchase: { products: [{ name: 'Молоко 3,2 % 1 л', price: 8990, quantity: 1000, tax: 'vat20', type: 4, item_type: 1 }, { name: 'Кефир 1 %', price: 7400, quantity: 1000, tax: 'vat20', type: 4, item_type: 1 }] },
};
const otherRef: SaleRef = { source: 'lifepay', id: OTHER.uuid };

let tmp: ReturnType<typeof tempDir>;
let fiscal: InMemoryEmulator;
let lifepay: LifePayEmulator;
let app: TestApp | undefined;

beforeEach(async () => {
  tmp = tempDir('lifepay-lost-db-');
  fiscal = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
  const driver = await ShtrihDriver.connect({ port: fiscal.port, timeouts: TIMEOUTS });
  await driver.openShift('Петрова И.');
  await driver.close();
  lifepay = await startLifePayEmulator({ seed: { transactions: [SALE, OTHER] } });
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await fiscal.close();
  await lifepay.close();
  tmp.remove();
});

/** The app on its data folder; each start gets a fresh link to the same printer, as a restart does. */
async function startApp(): Promise<TestApp> {
  const started = await startTestApp(tmp.file('data'), {
    printer: { port: await fiscal.reconnect(), timeouts: TIMEOUTS },
    backends: { lifepay: { url: lifepay.url, login: LIFE_PAY_DEMO_LOGIN, apiKey: LIFE_PAY_DEMO_API_KEY }, timeoutMs: 2_000 },
  });
  await until('LIFE PAY answers', () => started.monitor.state('lifepay') === 'online', BOUND_MS);
  return started;
}

/** Refunds with LIFE PAY's cloud out of reach: they print on this till's printer. */
async function refundOnPrinter(t: TestApp, sale: SaleRef, lines: Array<{ lineId: string; quantityMilli: number }>, rrn: string) {
  await t.handlers['sales.get']({ ref: sale });
  await lifepay.faults.setOffline(true);
  await until('LIFE PAY offline', () => t.monitor.state('lifepay') === 'offline', BOUND_MS);
  const refund = await t.handlers['refunds.confirm']({ refundId: randomUUID(), sale, lines, cardRrns: { [sale.id]: rrn } });
  await lifepay.faults.setOffline(false);
  return refund;
}

const refundReceiptsInFn = () => fiscal.device.model.documents.filter((d) => d.type === 3 && d.operation === 2);

describe('LIFE PAY sale refunded on the printer, then the database lost', () => {
  it('the same sale is not refundable whole again: the ФН\'s receipt counts against it, and the cashier is told', async () => {
    app = await startApp();
    expect((await app.handlers['sales.get']({ ref })).lines[0]?.refundableMilli).toBe(2000);
    const first = await refundOnPrinter(app, ref, [{ lineId: milk, quantityMilli: 1000 }], RRN);
    expect(['fiscalized', 'synced']).toContain(first.state);
    expect(refundReceiptsInFn()).toHaveLength(1);
    await app.close();

    deleteDatabase(tmp.file('data'));
    app = await startApp();
    // LIFE PAY lists no refund of this sale: only the ФН remembers it. A refund of both units is refused.
    const whole = await app.handlers['refunds.confirm']({ refundId: randomUUID(), sale: ref, lines: [{ lineId: milk, quantityMilli: 2000 }], cardRrns: { [SALE.uuid]: RRN } })
      .then(() => null, (e: unknown) => e);
    expect(whole).toMatchObject({ code: 'refund.over_refund', message: expect.stringMatching(/не больше 1/) });
    expect(refundReceiptsInFn()).toHaveLength(1);
    const sale = await app.handlers['sales.get']({ ref });
    expect(sale.lines[0]?.refundableMilli).toBe(1000);
    expect(sale.recovered?.notices[0]?.text).toMatch(new RegExp(`ФД № ${refundReceiptsInFn()[0]?.number}`));
    const preview = await app.handlers['refunds.preview']({ sale: ref, lines: [{ lineId: milk, quantityMilli: 1000 }] });
    expect(preview.totalMinor).toBe(8990);
    expect(preview.notices.map((n) => n.text).join(' ')).toContain('уже пробит возврат, которого нет в базе кассы');
  });

  it('a receipt that matches the sale only in part stops its refund until the cashier says whose it is', async () => {
    app = await startApp();
    await refundOnPrinter(app, otherRef, [{ lineId: `${OTHER.uuid}:0`, quantityMilli: 1000 }, { lineId: `${OTHER.uuid}:1`, quantityMilli: 1000 }], OTHER.rrn ?? '');
    const printed = refundReceiptsInFn()[0]?.number;
    await app.close();
    deleteDatabase(tmp.file('data'));
    app = await startApp();

    // The history is rebuilt from the ФН when the printer connects at start (a confirm would wait for it).
    const seen = { sale: await app.handlers['sales.get']({ ref }) };
    await until('the history rebuilt', () => {
      void app?.handlers['sales.get']({ ref }).then((s) => (seen.sale = s));
      return seen.sale.recovered !== undefined;
    }, BOUND_MS);
    const preview = () => app?.handlers['refunds.preview']({ sale: ref, lines: [{ lineId: milk, quantityMilli: 2000 }] }).then(() => null, (e: unknown) => e);
    expect(await preview()).toMatchObject({ code: 'refund.recovered_unresolved', message: expect.stringContaining(`ФД № ${printed}`) });
    const sale = await app.handlers['sales.get']({ ref });
    const receipt = sale.recovered?.receipts[0];
    expect(receipt).toMatchObject({ number: printed, undecided: true });
    // The cashier: not a refund of this sale. The sale is refundable whole; the other keeps the receipt.
    const decided = await app.handlers['refunds.decideRecovered']({ fnNumber: receipt?.fnNumber ?? '', number: printed ?? 0, sale: ref, belongs: false });
    expect([decided.recovered, decided.lines[0]?.refundableMilli]).toEqual([undefined, 2000]);
    expect(await preview()).toBeNull();
    expect((await app.handlers['sales.get']({ ref: otherRef })).lines.map((l) => l.refundableMilli)).toEqual([0, 0]);
  });
});
