import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loggerOver } from '../log/logger';
import { openDatabase } from '../queue/database';
import { Outbox } from '../queue/outbox';
import { ShtrihDriver } from '../fiscal/shtrih/driver';
import { PrinterConnection } from '../fiscal/printerConnection';
import { GS } from '../../preload/contract/markingCode';
import type { Refund, RefundLineRequest, Sale } from '../../preload/contract';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../emulators/shtrih/memory';
import { RefundSaga } from '../refunds/refundSaga';
import { RefundStore } from '../refunds/refundStore';
import { SaleFinder } from '../refunds/saleFinder';
import { SeenSales } from '../refunds/seenSales';
import { regosRefundParams } from '../refunds/refundDocuments';

/**
 * Refunds of marked goods end to end below the UI (issue 21 points 1, 2, 4): the real saga, store and
 * SQLite file, the driver over the emulated Shtrih-M with its ФН and ОИСМ. The ФН's receipts are the judge:
 * which codes each position carries, and that no unit goes back twice.
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5, settleMs: 40 };
const MILK_A = `0104607053470016215aB7kQ${GS}93dGVz`;
const MILK_B = `0104607053470016215Xq3Zr${GS}93Zjqw`;
/** Yandex Market's public example code: a product with another GTIN. */
const OTHER = `01030410947874432155Qbag!${GS}93Zjqw`;

interface Rig { emu: InMemoryEmulator; store: RefundStore; seen: SeenSales; saga: RefundSaga; progress: string[]; restart(): RefundSaga }
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function rig(takeFromSale = false): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'marked-'));
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
  const db = openDatabase(join(dir, 'cashier.db'));
  const log = loggerOver(() => undefined, () => undefined);
  const store = new RefundStore(db);
  const seen = new SeenSales(db);
  const finder = new SaleFinder(() => [], seen, store, log);
  const printer = new PrinterConnection(async () => ShtrihDriver.connect({ port: emu.port.isOpen ? emu.port : await emu.reconnect(), timeouts: TIMEOUTS }), log);
  const build = () => new RefundSaga({
    db, store, outbox: new Outbox(db), finder, printer, log, regos: () => null, regosReachable: () => Promise.resolve('offline'),
    lifeposOnline: () => 'offline', cashierName: () => 'Петрова И.', regosVatMode: () => 'ratePercentTimes100', progress: (_id, _state, message) => progress.push(message),
    takeMarkingCodesFromSale: () => takeFromSale,
  });
  const progress: string[] = [];
  const r: Rig = { emu, store, seen, saga: build(), progress, restart: () => (r.saga = build()) };
  cleanups.push(async () => {
    await r.saga.idle();
    await printer.close();
    await emu.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return r;
}

let n = 0;
/** А-1001's milk: two marked bottles whose codes the sale recorded, and a loaf of bread. */
function milkSale(r: Rig): Sale {
  const id = `sale-m${++n}`;
  const line = { vat: 'vat10' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const, refundedMilli: 0, refundedMinor: 0 };
  const s: Sale = {
    ref: { source: 'local', id }, number: `А-${n}`, createdAt: '2026-12-01T10:00:00Z', currency: 'RUB', totalMinor: 17_981 + 5_500,
    lines: [
      { ...line, lineId: `${id}-milk`, name: 'Молоко 3,2 % 1 л', barcode: '4607053470016', priceMinor: 8_990, quantityMilli: 2_000, amountMinor: 17_981, refundableMilli: 2_000, marking: { codes: [MILK_A, MILK_B] } },
      { ...line, lineId: `${id}-bread`, name: 'Хлеб', priceMinor: 5_500, quantityMilli: 1_000, amountMinor: 5_500, refundableMilli: 1_000 },
    ],
    payments: [{ paymentPartId: `${id}-cash`, kind: 'cash', amountMinor: 23_481, refundedMinor: 0 }], remainderFromLocalOnly: false,
  };
  r.seen.remember({ sale: s, knownToServer: new Set() });
  return s;
}

const milk = (s: Sale, codes: string[], quantityMilli = codes.length * 1000): RefundLineRequest => ({ lineId: s.lines[0]?.lineId ?? '', quantityMilli, markingCodes: codes });
let ids = 0;
const confirm = (r: Rig, s: Sale, lines: RefundLineRequest[], id = `refund-${++ids}`): Promise<Refund> => r.saga.confirm({ refundId: id, sale: s.ref, lines, cardRrns: {} });
const fnReceipts = (r: Rig) => r.emu.device.model.documents.filter((d) => d.type === 3 && d.operation === 2);
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

async function openShift(r: Rig): Promise<void> {
  const d = await ShtrihDriver.connect({ port: r.emu.port, timeouts: TIMEOUTS });
  await d.openShift('Петрова И.');
  await d.close();
}

describe('refunding marked goods', () => {
  it('two bottles by their scanned codes (one with <GS>, one with the separator dropped): one position per bottle, each with its code', async () => {
    const r = rig();
    await openShift(r);
    const s = milkSale(r);
    const refund = await confirm(r, s, [milk(s, [MILK_A.replace(GS, '<GS>'), MILK_B.replace(GS, '')])]);
    expect(refund.state).toBe('synced');
    expect(refund.lines[0]?.markingCodes).toEqual([MILK_A, MILK_B]);
    const [receipt] = fnReceipts(r);
    expect(receipt?.positions?.map((p) => [p.quantityMicro, p.amountMinor, p.markingCode])).toEqual([[1_000_000, 8_991, MILK_A], [1_000_000, 8_990, MILK_B]]);
    expect(receipt?.totalMinor).toBe(17_981);
  });

  it('a refunded bottle cannot go back again: its code is refused in Russian, the other bottle still can', async () => {
    const r = rig();
    await openShift(r);
    const s = milkSale(r);
    expect((await confirm(r, s, [milk(s, [MILK_A])])).state).toBe('synced');
    expect(await errorOf(confirm(r, s, [milk(s, [MILK_A.replace(GS, '^]')])]))).toMatchObject({ code: 'marking.already_refunded', message: expect.stringMatching(/^«Молоко 3,2 % 1 л»: этот экземпляр уже возвращён/) });
    expect((await confirm(r, s, [milk(s, [MILK_B])])).state).toBe('synced');
    expect(fnReceipts(r).map((d) => d.positions?.map((p) => p.markingCode))).toEqual([[MILK_A], [MILK_B]]);
  });

  it('refuses before recording: another product\'s code, a code not from this sale, a missing code, a code twice, a code on unmarked bread', async () => {
    const r = rig();
    const s = milkSale(r);
    expect(await errorOf(confirm(r, s, [milk(s, [OTHER])]))).toMatchObject({ code: 'marking.other_product', message: expect.stringMatching(/^Код маркировки другого товара \(GTIN 03041094787443\), а не «Молоко/) });
    expect(await errorOf(confirm(r, s, [milk(s, [MILK_A.replace('5aB7kQ', '5zzzzz')])]))).toMatchObject({ code: 'marking.not_in_sale' });
    expect(await errorOf(confirm(r, s, [milk(s, [MILK_A], 2_000)]))).toMatchObject({ code: 'marking.scan_each', message: expect.stringMatching(/нужно 2, отсканировано 1/) });
    expect(await errorOf(confirm(r, s, [milk(s, [MILK_A, MILK_A.replace(GS, '<GS>')])]))).toMatchObject({ code: 'marking.duplicate' });
    expect(await errorOf(confirm(r, s, [{ lineId: s.lines[1]?.lineId ?? '', quantityMilli: 1_000, markingCodes: [MILK_A] }]))).toMatchObject({ code: 'marking.not_marked' });
    const crate = { ...s.lines[0], lineId: `${s.ref.id}-crate`, quantityMilli: 101_000, amountMinor: 101 * 8_990, refundableMilli: 101_000, marking: { codes: [] } } as Sale['lines'][number];
    const big = { ...s, ref: { ...s.ref, id: `${s.ref.id}-big` }, lines: [crate], payments: [{ paymentPartId: 'big-cash', kind: 'cash' as const, amountMinor: 101 * 8_990, refundedMinor: 0 }] };
    r.seen.remember({ sale: big, knownToServer: new Set() });
    const codes = Array.from({ length: 101 }, (_, i) => `010460705347001621${String(i).padStart(6, 'x')}${GS}93dGVz`);
    expect(await errorOf(confirm(r, big, [{ lineId: crate.lineId, quantityMilli: 101_000, markingCodes: codes }]))).toMatchObject({ code: 'marking.too_many_units', message: expect.stringMatching(/не больше 100 маркированных экземпляров/) });
    expect(r.store.recent(10)).toHaveLength(0);
    expect(fnReceipts(r)).toHaveLength(0);
  });

  it('with the store setting, a bottle whose code cannot be scanned goes back with a code the sale recorded and no one refunded', async () => {
    const r = rig(true);
    await openShift(r);
    const s = milkSale(r);
    await confirm(r, s, [milk(s, [MILK_A])]);
    const second = await confirm(r, s, [milk(s, [], 1_000)]);
    expect(second.lines[0]?.markingCodes).toEqual([MILK_B]);
    expect(await errorOf(confirm(r, s, [milk(s, [], 1_000)]))).toMatchObject({ code: 'refund.over_refund' });
  });

  it('no ОИСМ answer: the bottle goes back on the ФН\'s own check, and the cashier is told the codes go out later', async () => {
    const r = rig();
    await openShift(r);
    const s = milkSale(r);
    r.emu.device.model.marking.oism.reachable = false;
    expect((await confirm(r, s, [milk(s, [MILK_A])])).state).toBe('synced');
    expect(fnReceipts(r)[0]?.positions?.[0]?.markingCode).toBe(MILK_A);
    expect(r.progress.some((m) => /без ответа системы маркировки.*передаст коды сам/.test(m))).toBe(true);
  });

  it('a code the ОИСМ refuses fails the refund (nothing printed) and frees the code for a later refund', async () => {
    const r = rig();
    await openShift(r);
    const s = milkSale(r);
    r.emu.device.model.marking.oism.refused.add('0104607053470016215aB7kQ');
    const refused = await confirm(r, s, [milk(s, [MILK_A])]);
    expect(refused).toMatchObject({ state: 'failed', reason: expect.stringMatching(/система маркировки не подтвердила/) });
    expect(fnReceipts(r)).toHaveLength(0);
    r.emu.device.model.marking.oism.refused.clear();
    expect((await confirm(r, s, [milk(s, [MILK_A])])).state).toBe('synced');
  });

  it('power cut after the codes were accepted, before the close: the refund waits, recovery redoes the checks and prints one receipt with both codes', async () => {
    const r = rig();
    await openShift(r);
    const s = milkSale(r);
    r.emu.setFault({ powerLoss: { afterPositions: 1 } });
    const pending = await confirm(r, s, [milk(s, [MILK_A, MILK_B])], 'refund-cut');
    expect(['confirmed', 'fiscalizing']).toContain(pending.state);
    expect(fnReceipts(r)).toHaveLength(0);
    expect(r.emu.device.model.snapshot.markingAccepted).toEqual([MILK_A, MILK_B]);
    // Its codes stay taken while it may still print.
    expect(await errorOf(confirm(r, s, [milk(s, [MILK_B])]))).toMatchObject({ code: 'refund.over_refund' });
    r.emu.device.link.powerOn();
    await r.restart().recoverPending();
    expect(r.saga.get('refund-cut').state).toBe('synced');
    expect(fnReceipts(r).map((d) => d.positions?.map((p) => p.markingCode))).toEqual([[MILK_A, MILK_B]]);
    expect(r.emu.device.model.marking.journal.filter((j) => j.command === 'check').map((j) => j.code)).toEqual([MILK_A, MILK_B, MILK_A, MILK_B]);
  });
});

describe('REGOS: marking codes as labels', () => {
  const sale = (labels: string[]): Sale => ({
    ref: { source: 'regos', id: 'r1' }, number: '1', createdAt: '2026-12-01T10:00:00Z', currency: 'UZS', totalMinor: 2_000_000, remainderFromLocalOnly: false,
    lines: labels.map((label, i) => ({
      lineId: `l${i}`, name: `Сигареты ${i + 1}`, priceMinor: 1_000_000, quantityMilli: 1_000, amountMinor: 1_000_000, vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods',
      refundedMilli: 0, refundedMinor: 0, refundableMilli: 1_000, extra: { code: `c${i}`, icps: '02202002001010036', package_code: '1218868', label, unit_name: 'шт' },
    })),
    payments: [{ paymentPartId: 'p', kind: 'cash', amountMinor: 2_000_000, refundedMinor: 0 }],
  });
  const refundOf = (s: Sale, codes: (string | undefined)[]) => ({
    id: 'x',
    lines: s.lines.map((l, i) => ({ lineId: l.lineId, name: l.name, quantityMilli: 1_000, amountMinor: 1_000_000, vat: 'vat12' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const, ...(codes[i] ? { markingCodes: [codes[i] ?? ''] } : {}) })),
    tenders: [{ paymentPartId: 'p', kind: 'cash' as const, amountMinor: 2_000_000, needsCard: false }],
  });
  const TOBACCO = '04780101164394TF&csaNNW1kK0tL';

  it('each unit\'s code is its position\'s label', () => {
    const s = sale([TOBACCO, '04780101164394TF&csaXNW1kK0tL']);
    const p = regosRefundParams(refundOf(s, [TOBACCO, '04780101164394TF&csaXNW1kK0tL']), s, 'Кассир', 'ratePercentTimes100');
    expect(p.positions.map((x) => [x.label, x.quantity])).toEqual([[TOBACCO, 1_000], ['04780101164394TF&csaXNW1kK0tL', 1_000]]);
  });

  it('the same label twice in one receipt is refused before sending, naming both lines', () => {
    const s = sale([TOBACCO, TOBACCO]);
    expect(() => regosRefundParams(refundOf(s, [undefined, undefined]), s, 'Кассир', 'ratePercentTimes100')).toThrow(/строках 1 \(«Сигареты 1»\) и 2 \(«Сигареты 2»\)/);
  });
});
