import { afterEach, describe, expect, it } from 'vitest';
import { ShtrihDriver } from './driver';
import type { FiscalReceiptInput } from '../receipt';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { GS } from '../../../preload/contract/markingCode';

/**
 * Marking codes on a ФФД 1.2 refund receipt, driver against the emulator (PROTOCOL.md §Marking codes):
 * the order of FF61/FF69/FF46/FF67 on the wire, the codes in the ФН's record of the receipt, an ОИСМ
 * refusal (receipt cancelled, nothing fiscalized), no ОИСМ answer (printed, reported), and a power cut
 * between the check and the close (the ФН keeps its accepted table, the receipt is lost, all is redone).
 */
const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MILK_A = `0104607053470016215'W9Um${GS}93dGVz`;
const MILK_B = `0104607053470016215Qbag!${GS}93Zjqw`;

function emulator(): InMemoryEmulator {
  const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
  cleanups.push(() => emu.close());
  return emu;
}

/** Every command code the driver sends, in order (frames: STX LEN payload LRC). */
async function connect(emu: InMemoryEmulator, sent: number[]): Promise<ShtrihDriver> {
  const d = await ShtrihDriver.connect({
    port: emu.port,
    timeouts: TIMEOUTS,
    trace: (dir, bytes) => {
      if (dir !== '>' || bytes[0] !== 0x02 || bytes.length < 4) return;
      sent.push(bytes[2] === 0xff ? 0xff00 | (bytes[3] ?? 0) : (bytes[2] ?? 0));
    },
  });
  cleanups.push(() => d.close());
  return d;
}

const milk = (code: string) => ({ name: 'Молоко 3,2 % 1 л', priceMinor: 8990, quantityMilli: 1000, amountMinor: 8990, vat: 'vat10' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const, markingCode: code });
const bread = { name: 'Хлеб', priceMinor: 5500, quantityMilli: 1000, amountMinor: 5500, vat: 'vat10' as const, paymentMethod: 'fullPayment' as const, itemSign: 'goods' as const };
const receipt = (positions: FiscalReceiptInput['positions']): FiscalReceiptInput => ({
  operation: 'refundOfIncome', cashier: 'Петрова И.', positions, tenders: { cashMinor: positions.reduce((s, p) => s + p.amountMinor, 0) },
});
const receiptsIn = (emu: InMemoryEmulator) => emu.device.model.documents.filter((d) => d.type === 3);

describe('marking codes on a refund receipt', () => {
  it('checks and accepts every code after the open, then binds each code right after its position', async () => {
    const emu = emulator();
    const sent: number[] = [];
    const d = await connect(emu, sent);
    await d.openShift('Петрова И.');
    sent.length = 0;
    await d.printReceipt(receipt([milk(MILK_A), bread, milk(MILK_B)]));
    const marking = sent.filter((c) => [0x8d, 0xff61, 0xff69, 0xff46, 0xff67, 0xff45].includes(c));
    expect(marking.map((c) => c.toString(16))).toEqual(['8d', 'ff69', 'ff61', 'ff69', 'ff61', 'ff69', 'ff46', 'ff67', 'ff46', 'ff46', 'ff67', 'ff45']);
    const [stored] = receiptsIn(emu);
    expect(stored?.positions?.map((p) => p.markingCode ?? null)).toEqual([MILK_A, null, MILK_B]);
    expect(emu.device.model.marking.journal.map((j) => j.command)).toEqual(['clear', 'check', 'accept', 'check', 'accept', 'bind', 'bind']);
    expect(d.lastUncheckedCodes).toEqual([]);
  });

  it('a code the ОИСМ refuses: rejected (FF69 0), the receipt cancelled, nothing in the ФН, the cashier told which line', async () => {
    const emu = emulator();
    const d = await connect(emu, []);
    await d.openShift('Петрова И.');
    emu.device.model.marking.oism.refused.add(`010460705347001621${'5Qbag!'}`);
    const error = await d.printReceipt(receipt([milk(MILK_A), milk(MILK_B)])).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'FISCAL_MARKING_REFUSED', retry: 'permanent', message: expect.stringMatching(/^«Молоко 3,2 % 1 л»: система маркировки не подтвердила.*Чек не пробит/) });
    expect(receiptsIn(emu)).toHaveLength(0);
    expect(emu.device.model.hasOpenReceipt).toBe(false);
    expect(emu.device.model.marking.journal.map((j) => j.command)).toEqual(['clear', 'check', 'accept', 'check', 'reject']);
  });

  it('no ОИСМ answer (offline): the codes go on the receipt with the ФН\'s own result, and the driver says which', async () => {
    const emu = emulator();
    const d = await connect(emu, []);
    await d.openShift('Петрова И.');
    emu.device.model.marking.oism.reachable = false;
    await d.printReceipt(receipt([milk(MILK_A)]));
    expect(receiptsIn(emu)[0]?.positions?.[0]?.markingCode).toBe(MILK_A);
    expect(d.lastUncheckedCodes).toEqual(['Молоко 3,2 % 1 л']);
  });

  it('power cut after the codes were accepted and a position added: the receipt is lost, the ФН keeps the accepted codes; the retry clears them, checks again and prints once', async () => {
    const emu = emulator();
    const d = await connect(emu, []);
    await d.openShift('Петрова И.');
    emu.setFault({ powerLoss: { afterPositions: 1 } });
    await expect(d.printReceipt(receipt([milk(MILK_A), milk(MILK_B)]))).rejects.toBeTruthy();
    expect(receiptsIn(emu)).toHaveLength(0);
    // The ФН's table outlived the cut: both codes were accepted before the first position.
    expect(emu.device.model.snapshot.markingAccepted).toEqual([MILK_A, MILK_B]);
    emu.device.link.powerOn();
    const doc = await d.printReceipt(receipt([milk(MILK_A), milk(MILK_B)]));
    const stored = receiptsIn(emu);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.number).toBe(doc.number);
    expect(stored[0]?.positions?.map((p) => p.markingCode)).toEqual([MILK_A, MILK_B]);
    expect(emu.device.model.snapshot.markingAccepted).toEqual([]);
    const journal = emu.device.model.marking.journal.map((j) => j.command);
    expect(journal.filter((c) => c === 'check')).toHaveLength(4);
    expect(journal.lastIndexOf('clear')).toBeGreaterThan(journal.indexOf('accept'));
  });
});
