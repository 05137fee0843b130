import { afterEach, describe, expect, it } from 'vitest';
import { fnCloseReceiptV2, fnOperationV2, requestPayload } from '../fiscal/shtrih/commands';
import { GS } from '../../preload/contract/markingCode';
import type { Sale } from '../../preload/contract';
import { PRINTER_LOST, PROGRAM_FAULT } from './printerChannel';
import { closeRigs, confirm, fnRefunds, lastDocumentNumber, rig, sale, total, type Rig } from './sagaTestRig';

/**
 * How the printer channel settles a refund once a receipt went out (main/refunds/README.md: a refund whose
 * receipt may have reached the ФН is never failed; it waits until the device says what happened): what
 * the cashier is told (Russian text and its code), what the emulated ФН holds, what LIFE POS is queued,
 * and the lines support reads in main.log to follow a refund. Same rig as printerChannel.test.ts.
 */
afterEach(closeRigs);

const LINES = 101;
/** Two receipts of 100 + 1 positions take a few seconds on the emulated serial line of a busy machine. */
const TWO_RECEIPTS = { timeout: 20_000 };

const said = (r: Rig, id: string) => r.progress.filter((p) => p.id === id);
const logged = (r: Rig, id: string, message: string) => r.logs.filter((l) => l.fields.refundId === id && l.message === message).map((l) => l.fields);

/** A LIFE POS sale whose payment names no sale session: seed 000 requires one in every reversal payment part. */
function withoutSession(r: Rig, n: number, source: Sale['ref']['source'] = 'lifepos'): Sale {
  const s = sale(r, n, source);
  const bare: Sale = { ...s, ref: { source, id: `${s.ref.id}-nosession` }, payments: s.payments.map(({ saleSessionId: _s, ...p }) => p) };
  r.seen.remember({ sale: bare, knownToServer: new Set() });
  return bare;
}

/** The next receipt breaks off in a power blip after 2 positions; `meanwhile` runs on the device as it comes back. */
async function blipMidReceipt(r: Rig, meanwhile: () => void = () => undefined): Promise<void> {
  await lastDocumentNumber(r);
  r.emu.device.link.onPowerLost(() => setImmediate(() => {
    r.emu.device.link.powerOn();
    meanwhile();
  }));
  r.emu.setFault({ powerLoss: { afterPositions: 2 } });
}

/** A fiscalizing refund as a killed run leaves it: sent with N0 (or without), nothing in the ФН. */
async function leftFiscalizing(r: Rig, s: Sale, id: string, n0: number | null): Promise<void> {
  r.emu.setFault({ silent: true });
  await confirm(r, s, id);
  r.emu.setFault({ silent: false });
  r.store.setState(id, 'fiscalizing', n0 === null ? {} : { docNumberBefore: n0 });
  if (n0 !== null) r.store.setReceiptSent(id, 1, n0);
}

describe('printer channel: what the cashier and support are told when receipts print', () => {
  it('two receipts: each printed one is announced with its ФД, then both; the coded texts carry the numbers; main.log names each receipt and the refund\'s ФД numbers', TWO_RECEIPTS, async () => {
    const r = rig();
    const s = sale(r, LINES);
    expect(await confirm(r, s, 'r-two')).toMatchObject({ state: 'fiscalized' });
    const [one, two] = r.store.receipts('r-two').map((p) => p.fiscal!);
    expect(fnRefunds(r)).toHaveLength(2);
    expect(said(r, 'r-two')).toContainEqual({ id: 'r-two', state: 'fiscalizing', message: `Чек 1 из 2 напечатан: ФД № ${one!.number}`, coded: { code: 'printer.printedOf', params: { seq: 1, count: 2, fd: one!.number } } });
    expect(said(r, 'r-two').at(-1)).toEqual({
      id: 'r-two', state: 'fiscalized', message: `Напечатано чеков: 2 (ФД № ${one!.number}, ${two!.number})`,
      coded: { code: 'printer.printedAll', params: { count: 2, fds: [one!.number, two!.number] } },
    });
    expect(logged(r, 'r-two', 'refund receipt printed')).toEqual([
      { refundId: 'r-two', receipt: 1, of: 2, fiscalNumber: one!.number },
      { refundId: 'r-two', receipt: 2, of: 2, fiscalNumber: two!.number },
    ]);
    expect(logged(r, 'r-two', 'refund fiscalized')).toEqual([{ refundId: 'r-two', fiscalNumbers: [one!.number, two!.number], fiscalSign: one!.fiscalSign, by: 'counter' }]);
  });

  it('a local sale whose payment names no LIFE POS session: one receipt, synced at once with "Чек напечатан: ФД № …" — nothing for LIFE POS, never sent to a person', async () => {
    const r = rig();
    const s = withoutSession(r, 1, 'local');
    const refund = await confirm(r, s, 'r-local');
    expect(refund.state).toBe('synced');
    const fd = refund.fiscal!.number;
    expect(fnRefunds(r)).toEqual([total(s)]);
    expect(r.outbox.list({})).toEqual([]);
    expect(said(r, 'r-local').at(-1)).toEqual({ id: 'r-local', state: 'synced', message: `Чек напечатан: ФД № ${fd}`, coded: { code: 'printer.printedOne', params: { fd } } });
  });

  it('marked goods checked while the ОИСМ does not answer: printed on the ФН\'s own check, the cashier told the ФН sends the codes later, support sees which positions', async () => {
    const MILK = [`0104607053470016215aB7kQ${GS}93dGVz`, `0104607053470016215Xq3Zr${GS}93Zjqw`];
    const r = rig({ takeMarkingCodesFromSale: () => true });
    const s = sale(r, 1);
    const marked: Sale = { ...s, ref: { source: 'local', id: `${s.ref.id}-marked` }, lines: s.lines.map((l) => ({ ...l, barcode: '4607053470016', quantityMilli: 2_000, refundableMilli: 2_000, marking: { codes: MILK } })) };
    r.seen.remember({ sale: marked, knownToServer: new Set() });
    r.emu.device.model.marking.oism.reachable = false;
    expect(await confirm(r, marked, 'r-oism')).toMatchObject({ state: 'synced' });
    expect(fnRefunds(r)).toEqual([total(marked)]);
    expect(said(r, 'r-oism')).toContainEqual({
      id: 'r-oism', state: 'fiscalizing',
      message: 'Коды маркировки проверены без ответа системы маркировки (нет связи): чек напечатан, фискальный накопитель передаст коды сам, когда связь появится.',
      coded: { code: 'printer.markingOffline', params: {} },
    });
    const [warning] = logged(r, 'r-oism', 'marking codes checked without an ОИСМ answer');
    expect(warning).toMatchObject({ refundId: 'r-oism', receipt: 1 });
    expect(warning?.positions).toHaveLength(2);
  });
});

describe('printer channel: trouble after a receipt was sent', () => {
  it('a receipt dropped in a power blip: support reads the driver\'s code, then the device\'s answer; the refund waits as confirmed', async () => {
    const r = rig();
    const s = sale(r, 3);
    await blipMidReceipt(r);
    expect(await confirm(r, s, 'r-blip')).toMatchObject({ state: 'confirmed' });
    expect(fnRefunds(r)).toEqual([]);
    const [failed] = logged(r, 'r-blip', 'printing failed, asking the device');
    expect(failed).toMatchObject({ refundId: 'r-blip', receipt: 1, code: expect.stringMatching(/^FISCAL_/) });
  });

  it('a fault that is no device error inside printing (the cashier\'s name unreadable): the device is asked, nothing is in the ФН, the refund waits as confirmed; the cashier is told a program fault, not "Принтер не отвечает" nor the fault\'s text, and main.log quotes the fault with its stack', async () => {
    const r = rig({
      cashierName: () => {
        throw new TypeError('no signed-in cashier');
      },
    });
    const s = sale(r, 1);
    const fault = { code: 'printer.programFault', params: {} };
    expect(await confirm(r, s, 'r-fault')).toMatchObject({ state: 'confirmed', reason: PROGRAM_FAULT, reasonText: fault });
    expect(said(r, 'r-fault').at(-1)).toEqual({ id: 'r-fault', state: 'confirmed', message: PROGRAM_FAULT, coded: fault });
    expect(PROGRAM_FAULT).toMatch(/^Чек возврата не напечатан: внутренняя ошибка программы, принтер исправен\..*main\.log.*второй чек не напечатается/);
    expect(fnRefunds(r)).toEqual([]);
    expect(logged(r, 'r-fault', 'printing failed, asking the device')).toEqual([{
      refundId: 'r-fault', receipt: 1, code: 'TypeError: no signed-in cashier', deviceCode: undefined, stack: expect.stringMatching(/^TypeError: no signed-in cashier\n\s+at /),
    }]);
  });

  it('the same fault on receipt 2 after receipt 1 printed: receipt 1 stays, the refund waits in fiscalizing for the rest with the program fault as the reason', TWO_RECEIPTS, async () => {
    let firstPrinted = false;
    const r = rig({
      cashierName: () => {
        if (firstPrinted) throw new TypeError('no signed-in cashier');
        return 'Петрова И.';
      },
    });
    r.onProgress = (m) => {
      if (m.startsWith('Чек 1 из 2 напечатан')) firstPrinted = true;
    };
    const s = sale(r, LINES);
    const refund = await confirm(r, s, 'r-fault2');
    const fd = r.store.receipts('r-fault2')[0]!.fiscal!.number;
    expect(fnRefunds(r)).toHaveLength(1);
    expect(refund).toMatchObject({
      state: 'fiscalizing', reason: `Напечатано чеков: 1 из 2 (ФД № ${fd}), они остаются в силе. ${PROGRAM_FAULT}`,
      reasonText: { code: 'printer.partlyPrinted', params: { printed: 1, count: 2, fds: [fd], then: { code: 'printer.programFault', params: {} } } },
    });
  });

  it('the printer gone while the receipt was sent and for the question after: "may have printed" in fiscalizing, and main.log says the device did not answer', async () => {
    const r = rig();
    const s = sale(r, 1);
    r.onProgress = (m) => {
      if (m === 'Печать чека возврата…') r.emu.setFault({ silent: true });
    };
    expect(await confirm(r, s, 'r-mute')).toMatchObject({ state: 'fiscalizing', reason: PRINTER_LOST, reasonText: { code: 'printer.lost', params: {} } });
    expect(logged(r, 'r-mute', 'device did not answer reconciliation; refund stays fiscalizing')).toEqual([{ refundId: 'r-mute', code: expect.stringMatching(/^FISCAL_/) }]);
  });

  it('a foreign sale receipt in the ФН after N0 when ours broke off: to a person, and main.log carries the device\'s reason (which document it found)', async () => {
    const r = rig();
    const s = sale(r, 3);
    const model = r.emu.device.model;
    // The store's sale program prints a 5.00 ₽ sale while our receipt is lost in the blip.
    await blipMidReceipt(r, () => {
      model.execute(requestPayload(fnOperationV2(30, { operation: 1, quantityMicro: 1_000_000, priceMinor: 500, amountMinor: 500, taxRate: 1, paymentMethod: 4, itemSign: 1, name: 'Продажа' })));
      model.execute(requestPayload(fnCloseReceiptV2(30, { cashMinor: 500, electronicMinor: 0, prepaymentMinor: 0, creditMinor: 0, taxSystem: 1 })));
    });
    expect(await confirm(r, s, 'r-foreign')).toMatchObject({ state: 'review' });
    expect(fnRefunds(r)).toEqual([]);
    expect(logged(r, 'r-foreign', 'refund needs review')).toEqual([{ refundId: 'r-foreign', detail: expect.stringMatching(new RegExp(`^document \\d+ is receipt/income for 500, expected receipt/refundOfIncome for ${total(s)}$`)), by: 'counter' }]);
  });

  it('receipt 2 refused for good after receipt 1 printed: to a person, and main.log says which receipt and the device\'s refusal', TWO_RECEIPTS, async () => {
    const r = rig();
    const s = sale(r, LINES);
    const mixed: Sale = { ...s, lines: s.lines.map((l, i) => (i === LINES - 1 ? { ...l, vat: 'vat12' as const } : l)) };
    r.seen.remember({ sale: mixed, knownToServer: new Set() });
    const refund = await confirm(r, mixed, 'r-refused2');
    expect(refund).toMatchObject({ state: 'review', reasonText: { code: 'printer.partlyRefused' } });
    expect(fnRefunds(r)).toHaveLength(1);
    // The driver's detail (English, for support) rather than the cashier's message.
    expect(logged(r, 'r-refused2', 'refund needs review')).toEqual([
      { refundId: 'r-refused2', detail: 'receipt 2 refused for good after earlier receipts were printed: vat12: refused by the device tax table check', by: 'counter' },
    ]);
  });
});

describe('printer channel: recovery of a fiscalizing refund', () => {
  it('no N0 on any receipt: to a person, and main.log says no document number was recorded', async () => {
    const r = rig();
    const s = sale(r, 1);
    await leftFiscalizing(r, s, 'r-no-n0', null);
    await r.saga.recoverPending();
    expect(r.store.require('r-no-n0').state).toBe('review');
    expect(fnRefunds(r)).toEqual([]);
    expect(logged(r, 'r-no-n0', 'refund needs review')).toEqual([{ refundId: 'r-no-n0', detail: 'no ФН document number recorded before printing', by: 'recovery' }]);
  });

  it('sent and not in the ФН: main.log records the device\'s judgement of that receipt, then it prints once', async () => {
    const r = rig();
    const s = sale(r, 1);
    await leftFiscalizing(r, s, 'r-judged', await lastDocumentNumber(r));
    await r.saga.recoverPending();
    expect(r.store.require('r-judged').state).toBe('fiscalized');
    expect(fnRefunds(r)).toEqual([total(s)]);
    expect(logged(r, 'r-judged', 'pending refund judged by the device')).toEqual([{ refundId: 'r-judged', receipt: 1, outcome: 'notPrinted', by: 'recovery' }]);
  });

  it('settled by someone else while recovery waited for the printer: the device is not asked, nothing prints, the refund keeps its state', async () => {
    const r = rig();
    const s = sale(r, 1);
    await leftFiscalizing(r, s, 'r-raced', await lastDocumentNumber(r));
    let release = (): void => undefined;
    let holding = (): void => undefined;
    const holds = new Promise<void>((started) => {
      holding = started;
    });
    const held = r.printer.use(() => new Promise<void>((done) => {
      release = done;
      holding();
    }));
    await holds;
    const use = r.printer.use.bind(r.printer);
    r.printer.use = (fn) => {
      // Recovery now waits for the printer: the refund is taken to a person meanwhile.
      r.printer.use = use;
      r.store.setState('r-raced', 'review');
      release();
      return use(fn);
    };
    await r.saga.recoverPending();
    await held;
    expect(r.store.require('r-raced').state).toBe('review');
    expect(fnRefunds(r)).toEqual([]);
    expect(logged(r, 'r-raced', 'pending refund judged by the device')).toEqual([]);
  });
});

describe('printer channel: printed, and LIFE POS cannot be told', () => {
  it('two receipts printed for a sale with no payment session: to a person with both ФД numbers, what went wrong and what the senior cashier does; nothing queued', TWO_RECEIPTS, async () => {
    const r = rig();
    const s = withoutSession(r, LINES);
    const refund = await confirm(r, s, 'r-unsynced');
    const [one, two] = r.store.receipts('r-unsynced').map((p) => p.fiscal!.number);
    expect(fnRefunds(r)).toHaveLength(2);
    expect(refund).toMatchObject({ state: 'review', reasonText: { code: 'printer.printedUnsynced', params: { fds: [one, two], saleNumber: s.number } } });
    const why = (refund.reasonText as { params: { error: { message: string } } }).params.error.message;
    expect(refund.reason).toBe(`Чек возврата напечатан: ФД № ${one}, ${two}. Он в силе — не пробивайте возврат повторно, деньги выдайте покупателю. `
      + `В LIFE POS возврат не отправлен: ${why} (у оплаты продажи № ${s.number} нет сессии оплаты, на которую LIFE POS требует сослаться). `
      + 'Старший кассир вносит этот возврат в LIFE POS вручную (обратная сессия по продаже с данными чека), затем отмечает его проверенным.');
    expect(r.outbox.list({})).toEqual([]);
    expect(logged(r, 'r-unsynced', 'refund printed; LIFE POS reversal cannot be built, to a person')).toEqual([
      { refundId: 'r-unsynced', code: 'refund.payment_part_unknown', detail: expect.anything(), fiscalNumbers: `${one}, ${two}`, by: 'counter' },
    ]);
  });
});
