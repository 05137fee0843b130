import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { TLV_BLOCK_BYTES } from '../../../emulators/shtrih/tlvReadout';
import { tempDir } from '../../../test/queue/tempDir';
import { rejectionOf } from '../../../test/support/caughtAppError';
import { AppError } from '../../appError';
import { ShtrihDriver } from './driver';
import type { FiscalPosition } from '../receipt';

/** 0xFF3A/0xFF3B against the Shtrih-M emulator: a receipt's positions read back as the ФН registered them. */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };

const open: Array<{ emu: InMemoryEmulator; driver: ShtrihDriver }> = [];
let tmp: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  for (const { emu, driver } of open.splice(0)) {
    await driver.close();
    await emu.close();
  }
  tmp?.remove();
  tmp = undefined;
});

async function rig(stateFile?: string): Promise<{ emu: InMemoryEmulator; driver: ShtrihDriver }> {
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10, ...(stateFile ? { stateFile } : {}) });
  const driver = await ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS });
  const r = { emu, driver };
  open.push(r);
  return r;
}

const line = (name: string, priceMinor: number, quantityMilli: number, vat: FiscalPosition['vat'] = 'vat20'): FiscalPosition => ({
  name, priceMinor, quantityMilli, amountMinor: Math.round((priceMinor * quantityMilli) / 1000), vat, paymentMethod: 'fullPayment', itemSign: 'goods',
});

const POSITIONS = [line('Молоко 3,2 % 1 л', 8990, 2000), line('Хлеб Бородинский нарезка 400 г', 5450, 1000, 'vat10'), line('Сыр Российский весовой', 89_900, 356)];
const total = POSITIONS.reduce((s, p) => s + p.amountMinor, 0);

async function printRefund(driver: ShtrihDriver) {
  await driver.openShift('Петрова И.');
  return driver.printReceipt({ operation: 'refundOfIncome', cashier: 'Петрова И.', positions: POSITIONS, tenders: { cashMinor: 10_000, electronicMinor: total - 10_000 } });
}

describe('fiscal document read-back (0xFF3A / 0xFF3B)', () => {
  it('reads a refund receipt back with every position, rate and tender, over several blocks', async () => {
    const { driver } = await rig();
    const doc = await printRefund(driver);
    const raw = await driver.readDocumentTlv(doc.number);
    expect(raw.tlv.length).toBeGreaterThan(TLV_BLOCK_BYTES * 2);
    const r = await driver.readReceipt(doc.number);
    expect(r).toMatchObject({ number: doc.number, fiscalSign: doc.fiscalSign, operation: 'refundOfIncome', totalMinor: total, cashier: 'Петрова И.' });
    expect(r.dateTime.slice(0, 16)).toBe(doc.dateTime.slice(0, 16));
    expect(r.positions.map((p) => [p.name, p.priceMinor, p.quantityMilli, p.amountMinor, p.vat, p.paymentMethod, p.itemSign])).toEqual(
      POSITIONS.map((p) => [p.name, p.priceMinor, p.quantityMilli, p.amountMinor, p.vat, 'fullPayment', 'goods']),
    );
    expect(r.tenders).toEqual({ cashMinor: 10_000, electronicMinor: total - 10_000, prepaymentMinor: 0, creditMinor: 0, counterMinor: 0 });
  });

  it('a number the ФН does not hold is the device error 0x08 (not found), for the read-back as for 0xFF0A', async () => {
    const { driver } = await rig();
    const doc = await printRefund(driver);
    const missing = await rejectionOf(driver.readReceipt(doc.number + 5), AppError);
    expect([missing.code, missing.deviceCode]).toEqual(['FISCAL_NOT_FOUND', 0x08]);
    const raw = await rejectionOf(driver.readDocumentTlv(doc.number + 5), AppError);
    expect(raw.deviceCode).toBe(0x08);
    // The failed request left nothing half read: the next document reads whole.
    expect((await driver.readReceipt(doc.number)).positions).toHaveLength(3);
  });

  it('the ФН keeps each document as registered across a restart from its state file', async () => {
    tmp = tempDir('readback-');
    const first = await rig(tmp.file('fn.json'));
    const doc = await printRefund(first.driver);
    const before = await first.driver.readDocumentTlv(doc.number);
    first.emu.restart();
    const driver = await ShtrihDriver.connect({ port: await first.emu.reconnect(), timeouts: TIMEOUTS });
    open.push({ emu: first.emu, driver });
    expect((await driver.readDocumentTlv(doc.number)).tlv.equals(before.tlv)).toBe(true);
  });

  it('a block damaged where the frame checksum cannot see it is refused (two reads differ), and the next read is whole', async () => {
    const { emu, driver } = await rig();
    const doc = await printRefund(driver);
    // Payload bytes 7 and 8 of the first 0xFF3B answer are the low bytes of tag 1040 (the document number).
    emu.setFault({ undetectedDamage: [{ code: 0xff3b, bytes: [7, 8], xor: 0x01 }] });
    const refused = await rejectionOf(driver.readReceipt(doc.number), AppError);
    expect(refused.code).toBe('FISCAL_DOCUMENT_UNREADABLE');
    expect(refused.message).toContain(`ФД № ${doc.number}`);
    expect(refused.detail).toContain('two reads of the document differ');
    expect((await driver.readReceipt(doc.number)).totalMinor).toBe(total);
  });

  it('a length 0xFF3A announces that the blocks do not come to is refused', async () => {
    const { emu, driver } = await rig();
    const doc = await printRefund(driver);
    // Answer payload: FF 3A, error, type (2), length (2): damage the length.
    emu.setFault({ undetectedDamage: [{ code: 0xff3a, bytes: [5, 6], xor: 0x10 }] });
    const refused = await rejectionOf(driver.readDocumentTlv(doc.number), AppError);
    expect(refused.detail).toMatch(/0xFF3A announced \d+ bytes, 0xFF3B gave \d+/);
  });

  it('a document the ФН holds in a form that does not add up is refused, not read partly', async () => {
    const { emu, driver } = await rig();
    const doc = await printRefund(driver);
    const stored = emu.device.model.snapshot.documents.find((d) => d.number === doc.number);
    if (!stored?.tlvHex) throw new Error('the emulator keeps every document as TLV');
    // A damaged record in the ФН itself: its last TLV is one byte short of its length (the same on every read).
    const bytes = Buffer.from(stored.tlvHex, 'hex');
    stored.tlvHex = bytes.subarray(0, bytes.length - 1).toString('hex');
    const refused = await rejectionOf(driver.readReceipt(doc.number), AppError);
    expect(refused.code).toBe('FISCAL_DOCUMENT_UNREADABLE');
    expect(refused.detail).toMatch(/document \d+: /);
  });
});
