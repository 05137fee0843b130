import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../appError';
import { fnCloseReceiptV2, fnOperationV2, requestPayload } from '../fiscal/shtrih/commands';
import { jobKey } from './lifePosJobs';
import { LifePayCloudStore } from './lifePayCloudStore';
import { PRINTER_LOST } from './printerChannel';
import { caught, closeRigs, confirm, fnRefunds, lastDocumentNumber, recordedRefund, rig, sale, total, type Rig } from './sagaTestRig';

/**
 * The printer channel's guards (main/refunds/README.md, "The local printer"), each a case the emulated ФН
 * judges: what blocks a new receipt, what an unclear answer from the device leads to, and what the
 * LIFE POS jobs carry. The saga's own cases are in refundSaga.test.ts, on the same rig.
 */
afterEach(closeRigs);

/** A sale receipt of 5.00 ₽ in cash, as the store's own sale program prints it on the same printer. */
function printSaleOnDevice(r: Rig): void {
  const model = r.emu.device.model;
  model.execute(requestPayload(fnOperationV2(30, { operation: 1, quantityMicro: 1_000_000, priceMinor: 500, amountMinor: 500, taxRate: 1, paymentMethod: 4, itemSign: 1, name: 'Продажа' })));
  model.execute(requestPayload(fnCloseReceiptV2(30, { cashMinor: 500, electronicMinor: 0, prepaymentMinor: 0, creditMinor: 0, taxSystem: 1 })));
}

describe('printer channel: what may print', () => {
  it('a LIFE PAY refund the cloud register holds (fiscalizing there) is not in this ФН, so it never holds up a printer receipt', async () => {
    const r = rig();
    const cloudSale = sale(r, 1, 'lifepay');
    recordedRefund(r, cloudSale, 'r-cloud');
    new LifePayCloudStore(r.db).add('r-cloud', 'r-cloud');
    r.store.setState('r-cloud', 'fiscalizing');
    const s = sale(r, 1);
    expect(await confirm(r, s, 'r-here')).toMatchObject({ state: 'fiscalized' });
    expect(fnRefunds(r)).toEqual([total(s)]);
    // The cloud's refund is the cloud's: this till neither printed it nor touched it.
    expect(r.store.require('r-cloud').state).toBe('fiscalizing');
  });

  it('a receipt broken off while another receipt reached the ФН after N0 (the device cannot say which is ours): to a person, never printed again and never cancellable', async () => {
    const r = rig();
    const s = sale(r, 3);
    await lastDocumentNumber(r);
    // As our receipt opens, the store's sale program has just printed a sale on the same printer; then the
    // printer blinks off in the middle of our receipt. After N0 the ФН holds one receipt that is not ours.
    const model = r.emu.device.model;
    const execute = model.execute.bind(model);
    let interleaved = false;
    model.execute = (payload) => {
      if (!interleaved && payload[0] === 0x8d) {
        interleaved = true;
        printSaleOnDevice(r);
      }
      return execute(payload);
    };
    r.emu.device.link.onPowerLost(() => setImmediate(() => r.emu.device.link.powerOn()));
    r.emu.setFault({ powerLoss: { afterPositions: 2 } });
    const refund = await confirm(r, s, 'r-unclear');
    expect(refund).toMatchObject({ state: 'review', reason: expect.stringMatching(/не пробивайте повторно/) });
    expect(fnRefunds(r)).toEqual([]);
    expect(isAppError(await caught(() => r.saga.cancel('r-unclear')))).toBe(true);
    await r.saga.recoverPending();
    expect(await confirm(r, s, 'r-unclear')).toMatchObject({ state: 'review' });
    expect(fnRefunds(r)).toEqual([]);
  });

  it('the receipt printed but its answer lost, the device answering at once: found in the ФН as this refund (a refund receipt of its total) and completed, never printed twice', async () => {
    const r = rig();
    const s = sale(r, 1);
    await lastDocumentNumber(r);
    r.emu.device.link.onPowerLost(() => setImmediate(() => r.emu.device.link.powerOn()));
    r.emu.setFault({ powerLoss: 'afterCloseFiscalized' });
    const refund = await confirm(r, s, 'r-found');
    expect(refund.state).toBe('fiscalized');
    expect(fnRefunds(r)).toEqual([total(s)]);
    expect(refund.fiscal?.number).toBe(await lastDocumentNumber(r));
  });

  it('the printer gone while the receipt was sent: "may have printed", pending in fiscalizing with what not to do', async () => {
    const r = rig();
    const s = sale(r, 1);
    r.onProgress = (m) => {
      if (m === 'Печать чека возврата…') r.emu.setFault({ silent: true });
    };
    expect(await confirm(r, s, 'r-gone')).toMatchObject({ state: 'fiscalizing', reason: PRINTER_LOST });
    expect(r.saga.hasPending()).toBe(true);
  });
});

describe('printer channel: what the receipt carries', () => {
  it('the signed-in cashier\'s INN goes on the refund receipt (tag 1203) and on the shift the refund opens; without one, none is sent', async () => {
    const r = rig({ cashierInn: () => '500100732259' });
    const s = sale(r, 1);
    await confirm(r, s, 'r-inn');
    const [shift, receipt] = r.emu.device.model.documents;
    expect(shift).toMatchObject({ type: 2, cashierInn: '500100732259' });
    expect(receipt).toMatchObject({ type: 3, operation: 2, cashierInn: '500100732259' });
    const plain = rig();
    await confirm(plain, sale(plain, 1), 'r-no-inn');
    expect(plain.emu.device.model.documents.map((d) => d.cashierInn)).toEqual([undefined, undefined]);
  });
});

describe('printer channel: what LIFE POS is told', () => {
  it('the receipt data of the reversal session names this till\'s ФН, so another till can name it in an overlap', async () => {
    const r = rig();
    r.db.prepare('INSERT INTO till_fiscal_drives (fn_number, last_known_document, first_seen_at, updated_at) VALUES (?, 0, 0, 0)').run('9999078900001234');
    const s = sale(r, 1);
    await confirm(r, s, 'r-fn');
    const job = r.outbox.list({}).find((j) => j.idempotencyKey === jobKey('r-fn', 'receipt'));
    expect(job?.payload).toMatchObject({ dealGuid: s.ref.id, receipt: { fiscal_drive_number: '9999078900001234' } });
  });
});
