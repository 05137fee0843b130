import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../appError';
import { loggerOver } from '../log/logger';
import { openDatabase, type Database } from '../queue/database';
import type { Sale, SaleRef } from '../../preload/contract';
import type { FiscalDocument } from '../fiscal/documents';
import { rejectionOf } from '../../test/support/caughtAppError';
import { RefundStore } from './refundStore';
import { SaleFinder, SALE_FRESH_MS } from './saleFinder';
import type { RemoteSale, SaleSource } from './saleSources';
import { SeenSales } from './seenSales';
import type { OwnFnAnswer } from './search/ownFnReceipt';

/**
 * SaleFinder's decisions (issue 11 point 7, StrykerJS survivors of saleFinder.ts): which sale the cashier
 * opens, whether a record stands for a back end, and what the cashier reads when nothing is found. Real
 * SQLite file for the till's records; the back ends are scripted at the SaleSource seam (each source's own
 * HTTP is tested against its emulator in saleSources/search tests), so what each back end was asked is
 * counted.
 */

interface Scripted extends SaleSource {
  found: RemoteSale[];
  byId: Map<string, RemoteSale | null>;
  day: RemoteSale[];
  failure: Error | null;
  calls: string[];
}

function backEnd(name: SaleSource['name']): Scripted {
  const s: Scripted = {
    name, found: [], byId: new Map(), day: [], failure: null, calls: [],
    find: (query) => answer(`find ${query}`, () => s.found),
    byFiscalQr: () => answer('byFiscalQr', () => s.found),
    get: (id) => answer(`get ${id}`, () => s.byId.get(id) ?? null),
    onDay: (date) => answer(`onDay ${date}`, () => s.day),
  };
  function answer<T>(call: string, value: () => T): Promise<T> {
    s.calls.push(call);
    return s.failure ? Promise.reject(s.failure) : Promise.resolve(value());
  }
  return s;
}

const line = (id: string) => ({
  lineId: `${id}-l1`, name: 'Товар', priceMinor: 10_000, quantityMilli: 1_000, amountMinor: 10_000,
  vat: 'vat20' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const, refundedMilli: 0, refundedMinor: 0, refundableMilli: 1_000,
});

function saleOf(source: SaleRef['source'], id: string, number: string, extra: { createdAt?: string; fiscal?: Sale['fiscal']; lines?: boolean; totalMinor?: number } = {}): Sale {
  return {
    ref: { source, id }, number, createdAt: extra.createdAt ?? '2026-12-01T10:00:00Z', currency: source === 'regos' ? 'UZS' : 'RUB',
    totalMinor: extra.totalMinor ?? 10_000, lines: extra.lines === false ? [] : [line(id)],
    payments: [{ paymentPartId: `${id}-cash`, kind: 'cash', amountMinor: extra.totalMinor ?? 10_000, refundedMinor: 0 }],
    ...(extra.fiscal ? { fiscal: extra.fiscal } : {}), remainderFromLocalOnly: false,
  };
}

const remote = (sale: Sale): RemoteSale => ({ sale, knownToServer: new Set() });

const offline = (code: string, message: string) => new AppError({ code, message, retry: 'transient' });

let dir: string;
let db: Database;
let seen: SeenSales;
let clock: number;
let logs: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
let sources: Scripted[];
let ownFn: ((qr: unknown) => Promise<OwnFnAnswer>) | undefined;

const finder = () => new SaleFinder(() => sources, seen, new RefundStore(db), loggerOver((level, fields, message) => logs.push({ level, message, fields }), () => undefined),
  ownFn, () => clock);
const record = (sale: Sale) => seen.remember({ sale, knownToServer: new Set() });
const calls = () => sources.flatMap((s) => s.calls.map((c) => `${s.name} ${c}`));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sale-finder-'));
  db = openDatabase(join(dir, 'till.sqlite'));
  clock = Date.parse('2026-12-01T12:00:00Z');
  seen = new SeenSales(db, () => clock);
  logs = [];
  sources = [];
  ownFn = undefined;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a number the till recorded exactly (issue 13)', () => {
  it('opens that sale, refreshed from its back end, without a search of the back ends', async () => {
    const lifepos = backEnd('lifepos');
    sources = [lifepos];
    const own = saleOf('lifepos', 'deal-1', '7-LP-7');
    record(own);
    // The same number typed on the other layout is another sale to the search, not to the exact match.
    record(saleOf('lifepos', 'deal-2', '7-ДЗ-7'));
    lifepos.byId.set('deal-1', remote({ ...own, totalMinor: 9_000 }));
    lifepos.found = [remote(saleOf('lifepos', 'deal-3', '7-LP-70'))];
    const found = await finder().search('  7-LP-7 ');
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { id: 'deal-1' }, totalMinor: 9_000, remainderFromLocalOnly: false } });
    expect(calls()).toEqual(['lifepos get deal-1']);
  });

  it('a recorded sale is found by its id with no back end configured', async () => {
    record(saleOf('lifepay', 'pay-uuid-1', 'P-5'));
    const found = await finder().search('pay-uuid-1');
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { source: 'lifepay', id: 'pay-uuid-1' }, remainderFromLocalOnly: true } });
  });

  it('a recorded id is taken as typed, the back end is asked only to refresh it', async () => {
    const lifepos = backEnd('lifepos');
    sources = [lifepos];
    record(saleOf('lifepos', 'deal-guid', 'N-1'));
    lifepos.found = [remote(saleOf('lifepos', 'deal-other', 'N-2'))];
    await finder().search('deal-guid');
    expect(calls()).toEqual(['lifepos get deal-guid']);
  });

  it('digits alone are searched everywhere: other sales may share them', async () => {
    const lifepos = backEnd('lifepos');
    sources = [lifepos];
    record(saleOf('lifepos', 'deal-1', '1001', { createdAt: '2026-12-01T09:00:00Z' }));
    lifepos.found = [remote(saleOf('lifepos', 'deal-2', 'LP-01001', { createdAt: '2026-12-01T11:00:00Z' }))];
    const found = await finder().search('1001');
    expect(found).toMatchObject({ kind: 'choices', sales: [{ ref: { id: 'deal-2' } }, { ref: { id: 'deal-1' } }] });
    expect(calls()).toEqual(['lifepos find 1001']);
  });

  it('two recorded sales of one printed number are a choice, not the first of them', async () => {
    record(saleOf('lifepos', 'deal-1', 'A-77', { createdAt: '2026-12-01T09:00:00Z' }));
    record(saleOf('lifepay', 'pay-1', 'A-77', { createdAt: '2026-12-01T10:00:00Z' }));
    const found = await finder().search('A-77');
    expect(found).toMatchObject({ kind: 'choices', sales: [{ ref: { id: 'pay-1' } }, { ref: { id: 'deal-1' } }] });
  });
});

describe('find: one sale or a refusal', () => {
  it('several matches are refused with the numbers to type in full', async () => {
    record(saleOf('lifepos', 'deal-1', 'LP-1001', { createdAt: '2026-12-01T09:00:00Z' }));
    record(saleOf('lifepos', 'deal-2', 'LQ-1001', { createdAt: '2026-12-01T10:00:00Z' }));
    const e = await rejectionOf(finder().find(' 1001 '), AppError);
    expect(e).toMatchObject({ code: 'sale.ambiguous', retry: 'permanent', message: 'Под «1001» подходят несколько продаж: LQ-1001, LP-1001. Введите номер полностью.' });
  });

  it('one match is the sale', async () => {
    record(saleOf('local', 'train-1', 'T-5'));
    expect(await finder().find('T-5')).toMatchObject({ ref: { id: 'train-1' }, remainderFromLocalOnly: false });
  });
});

describe('REGOS: this till\'s record is the receipt VCR answers under its own id', () => {
  const fiscal = { terminalId: 'UZ170703100597', documentNumber: '123' };
  const choicesOf = async () => {
    const found = await finder().search('123');
    return found.kind === 'choices' ? found.sales.map((s) => s.ref.id).sort() : [found.sale.ref.id];
  };

  it('VCR\'s copy of a recorded receipt is dropped: the record, with its lines, opens', async () => {
    const vcr = backEnd('regos');
    sources = [vcr];
    record(saleOf('regos', 'own-1', '123', { fiscal }));
    vcr.found = [remote(saleOf('regos', 'vcr-9', '123', { fiscal, lines: false }))];
    const found = await finder().search('123');
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { id: 'own-1' }, lines: [{ lineId: 'own-1-l1' }] } });
  });

  it.each([
    ['another receipt number', { source: 'regos', fiscal }, { source: 'regos', fiscal: { ...fiscal, documentNumber: '124' } }],
    ['another module', { source: 'regos', fiscal }, { source: 'regos', fiscal: { ...fiscal, terminalId: 'UZ170703100598' } }],
    ['a record of another back end', { source: 'lifepos', fiscal }, { source: 'regos', fiscal }],
    ['an answer of another back end', { source: 'regos', fiscal }, { source: 'lifepos', fiscal }],
    ['no module known', { source: 'regos', fiscal: { documentNumber: '123' } }, { source: 'regos', fiscal: { documentNumber: '123' } }],
    ['no receipt number known', { source: 'regos', fiscal: { terminalId: fiscal.terminalId } }, { source: 'regos', fiscal: { terminalId: fiscal.terminalId } }],
    ['a record without fiscal data', { source: 'regos' }, { source: 'regos', fiscal }],
    ['an answer without fiscal data', { source: 'regos', fiscal }, { source: 'regos' }],
  ] as const)('not the same receipt (%s): both are offered', async (_, own, answer) => {
    const vcr = backEnd(answer.source === 'regos' ? 'regos' : 'lifepos');
    sources = [vcr];
    record(saleOf(own.source, 'own-1', '123', 'fiscal' in own ? { fiscal: own.fiscal } : {}));
    vcr.found = [remote(saleOf(answer.source, 'vcr-9', '123', 'fiscal' in answer ? { fiscal: answer.fiscal, lines: false } : { lines: false }))];
    expect(await choicesOf()).toEqual(['own-1', 'vcr-9']);
  });

  it('a REGOS sale VCR answers under the recorded id opens from the record (VCR has no lines)', async () => {
    const vcr = backEnd('regos');
    sources = [vcr];
    record(saleOf('regos', 'r-1', '555'));
    vcr.found = [remote(saleOf('regos', 'r-1', '555', { lines: false }))];
    const found = await finder().search('555');
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { id: 'r-1' }, lines: [{ lineId: 'r-1-l1' }], remainderFromLocalOnly: false } });
  });

  it('a pick list keeps the record of a REGOS sale: VCR\'s answer without lines does not replace it', async () => {
    const vcr = backEnd('regos');
    sources = [vcr];
    record(saleOf('regos', 'r-1', '555'));
    vcr.found = [remote(saleOf('regos', 'r-1', '555', { lines: false })), remote(saleOf('regos', 'r-2', '0555', { lines: false }))];
    expect(await finder().search('555')).toMatchObject({ kind: 'choices', sales: [{}, {}] });
    expect(await finder().get({ source: 'regos', id: 'r-1' })).toMatchObject({ lines: [{ lineId: 'r-1-l1' }] });
  });

  it('a REGOS QR of a receipt this till recorded is not asked of VCR', async () => {
    const url = 'https://ofd.soliq.uz/check?t=UZ170703100597&r=123&c=20261201120000&s=123456789012';
    const vcr = backEnd('regos');
    sources = [vcr];
    record(saleOf('regos', 'own-1', '123', { fiscal: { ...fiscal, qrCodeUrl: url } }));
    vcr.found = [remote(saleOf('regos', 'vcr-9', '123', { lines: false }))];
    const found = await finder().search(url);
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { id: 'own-1' }, lines: [{ lineId: 'own-1-l1' }] } });
    expect(calls()).toEqual([]);
  });

  it('a REGOS QR found nowhere: the cashier refunds on the till of the sale', async () => {
    sources = [backEnd('regos')];
    const e = await rejectionOf(finder().search('https://ofd.soliq.uz/check?t=UZ170703100597&r=77&c=20261201120000&s=123456789012'), AppError);
    expect(e).toMatchObject({
      code: 'sale.not_found', retry: 'permanent',
      message: 'Чек REGOS № 77 (модуль UZ170703100597) не найден: VCR этой кассы находит только свои чеки. Оформите возврат на кассе, где была продажа.',
    });
  });
});

describe('one sale a back end answered', () => {
  it('is the back end\'s, recorded for later, counted as checked with the server', async () => {
    const lifepay = backEnd('lifepay');
    sources = [lifepay];
    lifepay.found = [remote(saleOf('lifepay', 'pay-1', 'P-42'))];
    const found = await finder().search('P-42');
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { id: 'pay-1' }, remainderFromLocalOnly: false } });
    expect(seen.get({ source: 'lifepay', id: 'pay-1' })?.sale.remainderFromLocalOnly).toBe(false);
    expect(calls()).toEqual(['lifepay find P-42']);
  });

  it('a sale the back end answers and the till recorded is the back end\'s answer, asked once', async () => {
    const lifepos = backEnd('lifepos');
    sources = [lifepos];
    record(saleOf('lifepos', 'deal-1', '1002'));
    lifepos.found = [remote(saleOf('lifepos', 'deal-1', '1002', { totalMinor: 8_000 }))];
    const found = await finder().search('1002');
    expect(found).toMatchObject({ kind: 'sale', sale: { totalMinor: 8_000, remainderFromLocalOnly: false } });
    expect(calls()).toEqual(['lifepos find 1002']);
  });

  it('a REGOS sale only VCR knows is VCR\'s answer, asked once', async () => {
    const vcr = backEnd('regos');
    sources = [vcr];
    vcr.found = [remote(saleOf('regos', 'vcr-1', '900', { lines: false }))];
    const found = await finder().search('900');
    expect(found).toMatchObject({ kind: 'sale', sale: { ref: { id: 'vcr-1' }, lines: [] } });
    expect(calls()).toEqual(['regos find 900']);
  });
});

describe('a pick list', () => {
  it('holds at most ten sales, newest first, and records the back end\'s sales for the pick', async () => {
    const lifepos = backEnd('lifepos');
    sources = [lifepos];
    record(saleOf('lifepos', 'deal-own', 'X-3000', { createdAt: '2026-11-30T08:00:00Z' }));
    lifepos.found = Array.from({ length: 12 }, (_, i) => remote(saleOf('lifepos', `deal-${i}`, `N-${i}3000`, { createdAt: `2026-12-01T${String(10 + i).padStart(2, '0')}:00:00Z` })));
    const found = await finder().search('3000');
    if (found.kind !== 'choices') throw new Error('expected a list');
    expect(found.sales.map((s) => s.ref.id)).toEqual(['deal-8', 'deal-7', 'deal-6', 'deal-5', 'deal-4', 'deal-3', 'deal-2', 'deal-1', 'deal-0', 'deal-own']);
    expect(seen.get({ source: 'lifepos', id: 'deal-0' })?.sale.remainderFromLocalOnly).toBe(false);
    expect(seen.get({ source: 'lifepos', id: 'deal-9' })).toBeNull();
  });
});

describe('a back end that fails', () => {
  it('a fault of the program itself is not taken for a back end that is down', async () => {
    const lifepos = backEnd('lifepos');
    lifepos.failure = new TypeError('bug');
    sources = [lifepos];
    await expect(finder().search('A-1')).rejects.toThrow('bug');
  });

  it('down and asking to wait: the cashier reads each reason, and when to search again', async () => {
    const [a, b, c, d] = [backEnd('lifepos'), backEnd('lifepay'), backEnd('regos'), backEnd('lifepay')];
    a.failure = offline('lifepos.offline', 'LIFE POS не отвечает.');
    b.failure = offline('lifepay.rate_limited', 'LIFE PAY просит подождать 30 с.');
    c.failure = offline('regos.offline', 'REGOS не отвечает.');
    d.failure = offline('lifepay.rate_limited', 'Повторите через 20 с.');
    sources = [a, b, c, d];
    const e = await rejectionOf(finder().search('Z-1'), AppError);
    expect(e).toMatchObject({
      code: 'sale.not_found', retry: 'permanent',
      message: 'Продажа «Z-1» не найдена. LIFE POS не отвечает. REGOS не отвечает. Продажа, пробитая на другой кассе, найдётся, когда связь восстановится. LIFE PAY просит подождать 30 с. Повторите через 20 с.',
    });
    expect(logs).toContainEqual({ level: 'warn', message: 'sale lookup failed', fields: { source: 'lifepos', code: 'lifepos.offline' } });
  });

  it('nothing found anywhere, nothing failed: the plain answer', async () => {
    sources = [backEnd('lifepos')];
    const e = await rejectionOf(finder().search('  Z-2 '), AppError);
    expect(e).toMatchObject({ code: 'sale.not_found', retry: 'permanent', message: 'Продажа «Z-2» не найдена.' });
    expect(calls()).toEqual(['lifepos find Z-2']);
  });
});

describe('a Russian receipt QR', () => {
  const qrText = (n = 1) => `t=20261201T1000&s=100.00&fn=9999078900004792&i=17&fp=1234567890&n=${n}`;
  const document: FiscalDocument = { number: 17, fiscalSign: '1234567890', dateTime: '2026-12-01T10:00', type: 'receipt', operation: 'income', totalMinor: 10_000 };

  it('of a refund or expense receipt is refused before anything is asked', async () => {
    const lifepay = backEnd('lifepay');
    lifepay.found = [remote(saleOf('lifepay', 'pay-1', 'P-1'))];
    sources = [lifepay];
    const e = await rejectionOf(finder().search(`  ${qrText(2)}`), AppError);
    expect(e).toMatchObject({ code: 'sale.qr_not_a_sale', retry: 'permanent', message: 'Это QR-код чека возврата или расхода, а не продажи. Отсканируйте QR-код с чека продажи.' });
    expect(calls()).toEqual([]);
  });

  it('a typed number is not a QR: the ФН is not asked', async () => {
    const asked: unknown[] = [];
    ownFn = (qr) => {
      asked.push(qr);
      return Promise.resolve({ kind: 'document', document });
    };
    const lifepay = backEnd('lifepay');
    lifepay.found = [remote(saleOf('lifepay', 'pay-1', 'P-1'))];
    sources = [lifepay];
    expect(await finder().search('P-1')).toMatchObject({ kind: 'sale', sale: { ref: { id: 'pay-1' } } });
    expect(asked).toEqual([]);
  });

  it('on a till without a printer the back ends alone decide', async () => {
    const lifepay = backEnd('lifepay');
    lifepay.found = [remote(saleOf('lifepay', 'pay-1', 'P-1'))];
    sources = [lifepay];
    expect(await finder().search(qrText())).toMatchObject({ kind: 'sale', sale: { ref: { id: 'pay-1' } } });
  });

  it('found nowhere, not on this till\'s ФН: the receipt\'s number, sum and day', async () => {
    sources = [backEnd('lifepay')];
    const e = await rejectionOf(finder().search(qrText()), AppError);
    expect(e).toMatchObject({ code: 'sale.not_found', retry: 'permanent', message: 'Чек ФД № 17 на 100,00 ₽ от 01.12.2026 не найден. Найдите продажу по номеру чека или сделки (F2).' });
  });

  it('confirmed by this till\'s ФН but found nowhere: the cashier is told it is this till\'s', async () => {
    ownFn = () => Promise.resolve({ kind: 'document', document });
    sources = [backEnd('lifepay')];
    const e = await rejectionOf(finder().search(qrText()), AppError);
    expect(e).toMatchObject({ code: 'sale.not_found', retry: 'permanent' });
    expect(e.message).toContain('пробит на этой кассе');
  });

  it('the ФН\'s time picks the payment among several of that sum; none near it leaves the list', async () => {
    ownFn = () => Promise.resolve({ kind: 'document', document });
    const lifepay = backEnd('lifepay');
    sources = [lifepay];
    lifepay.found = [
      remote(saleOf('lifepay', 'early', 'P-1', { createdAt: '2026-12-01T08:00:00Z' })),
      remote(saleOf('lifepay', 'near', 'P-2', { createdAt: '2026-12-01T10:03:00' })),
    ];
    expect(await finder().search(qrText())).toMatchObject({ kind: 'sale', sale: { ref: { id: 'near' } } });
    lifepay.found = [lifepay.found[0]!, remote(saleOf('lifepay', 'late', 'P-3', { createdAt: '2026-12-01T15:00:00Z' }))];
    expect(await finder().search(qrText())).toMatchObject({ kind: 'choices', sales: [{ ref: { id: 'late' } }, { ref: { id: 'early' } }] });
  });

  it('a ФН that cannot be asked: logged, the back ends decide; a fault of the program is not swallowed', async () => {
    const lifepay = backEnd('lifepay');
    lifepay.found = [remote(saleOf('lifepay', 'pay-1', 'P-1'))];
    sources = [lifepay];
    ownFn = () => Promise.reject(offline('FISCAL_OFFLINE', 'Принтер не отвечает'));
    expect(await finder().search(qrText())).toMatchObject({ kind: 'sale' });
    expect(logs).toContainEqual({ level: 'warn', message: 'own fiscal drive not asked about a receipt QR', fields: { code: 'FISCAL_OFFLINE' } });
    ownFn = () => Promise.reject(new TypeError('bug'));
    await expect(finder().search(qrText())).rejects.toThrow('bug');
  });
});

describe('get: the sale with an up-to-date remainder', () => {
  it('asks the back end of the sale, not another', async () => {
    const [lifepos, lifepay] = [backEnd('lifepos'), backEnd('lifepay')];
    sources = [lifepos, lifepay];
    lifepay.byId.set('pay-1', remote(saleOf('lifepay', 'pay-1', 'P-1')));
    expect(await finder().get({ source: 'lifepay', id: 'pay-1' })).toMatchObject({ ref: { id: 'pay-1' }, remainderFromLocalOnly: false });
    expect(calls()).toEqual(['lifepay get pay-1']);
  });

  it('a back end that no longer has the sale: the record, marked counted locally only', async () => {
    const lifepos = backEnd('lifepos');
    sources = [lifepos];
    record(saleOf('lifepos', 'deal-1', 'N-1'));
    expect(await finder().get({ source: 'lifepos', id: 'deal-1' })).toMatchObject({ ref: { id: 'deal-1' }, remainderFromLocalOnly: true });
  });

  it('a back end that is down: the record, counted locally only, and IT reads why', async () => {
    const lifepos = backEnd('lifepos');
    lifepos.failure = offline('lifepos.offline', 'LIFE POS не отвечает.');
    sources = [lifepos];
    record(saleOf('lifepos', 'deal-1', 'N-1'));
    expect(await finder().get({ source: 'lifepos', id: 'deal-1' })).toMatchObject({ remainderFromLocalOnly: true });
    expect(logs).toContainEqual({ level: 'warn', message: 'sale refresh failed, using the local record', fields: { source: 'lifepos', code: 'lifepos.offline' } });
  });

  it('a back end that is down and no record: its own reason; a fault of the program propagates', async () => {
    const lifepos = backEnd('lifepos');
    lifepos.failure = offline('lifepos.offline', 'LIFE POS не отвечает.');
    sources = [lifepos];
    expect(await rejectionOf(finder().get({ source: 'lifepos', id: 'deal-x' }), AppError)).toMatchObject({ code: 'lifepos.offline' });
    record(saleOf('lifepos', 'deal-1', 'N-1'));
    lifepos.failure = new TypeError('bug');
    await expect(finder().get({ source: 'lifepos', id: 'deal-1' })).rejects.toThrow('bug');
  });

  it('no back end and no record: not found on this till', async () => {
    const e = await rejectionOf(finder().get({ source: 'lifepos', id: 'deal-x' }), AppError);
    expect(e).toMatchObject({ code: 'sale.not_found', message: 'Продажа не найдена на этой кассе', retry: 'permanent', detail: 'lifepos:deal-x' });
  });

  it('REGOS and this till\'s own sales: the record is the remainder, not a local-only guess', async () => {
    const vcr = backEnd('regos');
    sources = [vcr];
    record(saleOf('regos', 'r-1', '1'));
    record(saleOf('local', 'train-1', 'T-1'));
    expect(await finder().get({ source: 'regos', id: 'r-1' })).toMatchObject({ remainderFromLocalOnly: false });
    expect(await finder().get({ source: 'local', id: 'train-1' })).toMatchObject({ remainderFromLocalOnly: false });
    expect(calls()).toEqual([]);
  });
});

describe('a back end that asks to wait (429)', () => {
  const limited = () => offline('lifepay.rate_limited', 'Повторите через 30 с.');

  it('its answer of the last minute stands, to the millisecond; IT reads how old it was', async () => {
    const lifepay = backEnd('lifepay');
    lifepay.failure = limited();
    sources = [lifepay];
    record(saleOf('lifepay', 'pay-1', 'P-1'));
    clock += SALE_FRESH_MS;
    expect(await finder().get({ source: 'lifepay', id: 'pay-1' })).toMatchObject({ ref: { id: 'pay-1' }, remainderFromLocalOnly: false });
    expect(logs).toContainEqual({ level: 'info', message: 'back end asked to wait, using its answer from moments ago', fields: { source: 'lifepay', ageMs: SALE_FRESH_MS } });
    clock += 1;
    expect(await rejectionOf(finder().get({ source: 'lifepay', id: 'pay-1' }), AppError)).toMatchObject({ code: 'lifepay.rate_limited' });
  });

  it('no record: its wait', async () => {
    const lifepay = backEnd('lifepay');
    lifepay.failure = limited();
    sources = [lifepay];
    expect(await rejectionOf(finder().get({ source: 'lifepay', id: 'pay-x' }), AppError)).toMatchObject({ code: 'lifepay.rate_limited', message: 'Повторите через 30 с.' });
  });
});

describe('recent sales', () => {
  it('of a day: the back ends\' sales of that day are recorded, a record already kept is not replaced', async () => {
    const [lifepos, lifepay, broken] = [backEnd('lifepos'), backEnd('lifepay'), backEnd('regos')];
    broken.failure = offline('regos.offline', 'REGOS не отвечает.');
    sources = [lifepos, broken, lifepay];
    record(saleOf('lifepos', 'deal-1', 'N-1', { createdAt: '2026-12-01T09:00:00', totalMinor: 5_000 }));
    record(saleOf('local', 'noreceipt-1', 'БЧ-1', { createdAt: '2026-12-01T09:30:00' }));
    record(saleOf('lifepos', 'deal-old', 'N-0', { createdAt: '2026-11-30T09:00:00' }));
    lifepos.day = [remote(saleOf('lifepos', 'deal-1', 'N-1', { createdAt: '2026-12-01T09:00:00', totalMinor: 7_000 }))];
    lifepay.day = [remote(saleOf('lifepay', 'pay-1', 'P-1', { createdAt: '2026-12-01T11:00:00' }))];
    const list = await finder().recent('2026-12-01', 10);
    expect(list.map((s) => [s.ref.id, s.totalMinor])).toEqual([['pay-1', 10_000], ['deal-1', 5_000]]);
    expect(seen.get({ source: 'lifepay', id: 'pay-1' })?.sale.remainderFromLocalOnly).toBe(false);
    expect(logs).toContainEqual({ level: 'warn', message: 'recent sales lookup failed', fields: { source: 'regos', code: 'regos.offline' } });
    expect(await finder().recent('2026-12-01', 1)).toHaveLength(1);
  });

  it('without a day: this till\'s records, newest first, up to the limit; the back ends are not asked', async () => {
    const lifepos = backEnd('lifepos');
    sources = [lifepos];
    record(saleOf('lifepos', 'deal-1', 'N-1'));
    clock += 1;
    record(saleOf('lifepos', 'deal-2', 'N-2', { createdAt: '2026-11-01T09:00:00' }));
    clock += 1;
    record(saleOf('lifepos', 'deal-3', 'N-3'));
    expect((await finder().recent(undefined, 2)).map((s) => s.ref.id)).toEqual(['deal-3', 'deal-2']);
    expect(calls()).toEqual([]);
  });

  it('a fault of the program while asking is not swallowed', async () => {
    const lifepos = backEnd('lifepos');
    lifepos.failure = new TypeError('bug');
    sources = [lifepos];
    await expect(finder().recent('2026-12-01', 5)).rejects.toThrow('bug');
  });
});

describe('lines typed from a REGOS paper receipt', () => {
  const vcrSale = () => saleOf('regos', 'vcr-1', '900', { lines: false, totalMinor: 10_000 });
  const typed = (amountMinor: number) => [{ name: 'Чай', icps: '02202002001010036', quantityMilli: 2_000, amountMinor, vat: 'vat12' as const }];

  it('up to the receipt\'s total become the sale, checked with VCR', () => {
    record(vcrSale());
    const sale = finder().enterLines({ source: 'regos', id: 'vcr-1' }, typed(10_000), 'card');
    expect(sale).toMatchObject({ remainderFromLocalOnly: false, lines: [{ priceMinor: 5_000, refundableMilli: 2_000 }], payments: [{ kind: 'card', amountMinor: 10_000 }] });
    expect(seen.get({ source: 'lifepos', id: 'x' })).toBeNull();
    expect(seen.get({ source: 'regos', id: 'vcr-1' })?.sale.lines).toHaveLength(1);
  });

  it('more than the total is refused with both sums', () => {
    record(vcrSale());
    expect(() => finder().enterLines({ source: 'regos', id: 'vcr-1' }, typed(10_001), 'cash')).toThrow(expect.objectContaining({ code: 'sale.lines_over_total', retry: 'permanent' }));
  });

  it('a sale whose lines are known, of another back end, or not recorded is refused', () => {
    record(saleOf('regos', 'own-1', '1'));
    record(saleOf('lifepos', 'deal-1', 'N-1', { lines: false }));
    expect(() => finder().enterLines({ source: 'regos', id: 'own-1' }, typed(1), 'cash')).toThrow(expect.objectContaining({
      code: 'sale.lines_known', retry: 'permanent', message: 'Позиции этой продажи уже известны: выберите из них, что возвращается.' }));
    const notFound = expect.objectContaining({ code: 'sale.not_found', retry: 'permanent', message: 'Продажа не найдена на этой кассе: найдите её снова (F2).' });
    expect(() => finder().enterLines({ source: 'lifepos', id: 'deal-1' }, typed(1), 'cash')).toThrow(notFound);
    expect(() => finder().enterLines({ source: 'regos', id: 'vcr-x' }, typed(1), 'cash')).toThrow(notFound);
  });
});

it('a sale this till made is recorded, found while every back end is down', async () => {
  const lifepos = backEnd('lifepos');
  lifepos.failure = offline('lifepos.offline', 'LIFE POS не отвечает.');
  sources = [lifepos];
  finder().rememberOwnSale(saleOf('local', 'train-9', 'T-9'));
  expect(await finder().get({ source: 'local', id: 'train-9' })).toMatchObject({ number: 'T-9' });
});
