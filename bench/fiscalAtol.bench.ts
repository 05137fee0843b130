/**
 * `npx tsx bench/fiscalAtol.bench.ts`: bench/fiscal.bench.ts's 10-line refund receipt on an ATOL device
 * (main/fiscal/atol/), the emulator in this process on a socat pty. Prints figures only, never pass/fail.
 *
 * The floor is what ATOL link v3 itself needs for this receipt (main/fiscal/atol/PROTOCOL.md §2–4): open
 * receipt (92), cashier (E8 tag 1021), one E6 per position, one 99 per tender but the last, close (4A).
 * Each command on an instant device is one ADD packet, the device's reply carrying the result (A3 + 55 00 00),
 * and the host's ACK packet (no reply): their exact frame bytes (escapes included) × 10 bits ÷ baud.
 * The driver's own extra commands (mode entry, status and ФН reads before and after, the tax-system tag)
 * land in the ratio, as they do in the Shtrih-M bench.
 *
 * Unlike the Shtrih-M emulator, the ATOL emulator does not pace its bytes at the baud rate, and a pty moves
 * them at memory speed: the ratio compares the driver on a fast line with the floor of a real 115200 line,
 * so it can fall below 1. What the driver adds shows in `commands` against `min_commands`.
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtolDriver } from '../main/fiscal/atol/driver';
import { PaymentType, ReceiptType, closeReceipt, openReceipt, payment, registerLine, writeTag, atolTaxPlan, type AtolCommand } from '../main/fiscal/atol/commands';
import { encodeFrame } from '../main/fiscal/atol/frame';
import { ITEM_SIGN_CODE, PAYMENT_METHOD_CODE, parseReceipt, type FiscalReceiptInput } from '../main/fiscal/receipt';
import { startPtyAtol } from '../emulators/atol/device';

const BAUD = 115_200;
const RUNS = 5;
/** Any id without escapes; the floor does not depend on which ids the driver happens to use. */
const ID = 0x10;
const RESULT_OK = Buffer.from([0xa3, 0x55, 0x00, 0x00]);

function receipt(run: number): FiscalReceiptInput {
  const positions = Array.from({ length: 10 }, (_, i) => ({
    name: `Товар возврата ${run}-${i + 1}, упаковка 1 шт.`,
    priceMinor: 12_990 + i * 100,
    quantityMilli: 1_000,
    amountMinor: 12_990 + i * 100,
    vat: 'vat20' as const,
    paymentMethod: 'fullPayment' as const,
    itemSign: 'goods' as const,
  }));
  const total = positions.reduce((s, p) => s + p.amountMinor, 0);
  return { operation: 'refundOfIncome', cashier: 'Кассир Иванова А.', positions, tenders: { cashMinor: total - 5_000, electronicMinor: 5_000 } };
}

/** ADD (C1 flags tid command) → reply (A3 + answer) → ACK (C2 tid). */
const exchangeBytes = (cmd: AtolCommand<unknown>): number =>
  encodeFrame(ID, Buffer.concat([Buffer.from([0xc1, 0x01, ID]), cmd.request])).length + encodeFrame(ID, RESULT_OK).length + encodeFrame(ID, Buffer.from([0xc2, ID])).length;

interface Minimum {
  commands: number;
  bytes: number;
  wireMs: number;
}

function minimum(input: FiscalReceiptInput): Minimum {
  const r = parseReceipt(input);
  const plan = atolTaxPlan();
  const cmds: Array<AtolCommand<unknown>> = [
    openReceipt(ReceiptType[r.operation]),
    writeTag(1021, r.cashier),
    ...r.positions.map((p) =>
      registerLine({ name: p.name, priceMinor: p.priceMinor, quantityMilli: p.quantityMilli, itemSign: ITEM_SIGN_CODE[p.itemSign], paymentMethod: PAYMENT_METHOD_CODE[p.paymentMethod], taxNumber: plan.groups[p.vat] ?? 0 }),
    ),
    payment(PaymentType.cashless, r.tenders.electronicMinor),
    closeReceipt(PaymentType.cash, r.tenders.cashMinor),
  ];
  const bytes = cmds.reduce((s, c) => s + exchangeBytes(c), 0);
  return { commands: cmds.length, bytes, wireMs: (bytes * 10_000) / BAUD };
}

interface Row {
  ms: number;
  min: Minimum;
  bytes: number;
  commands: number;
  packets: number;
}

async function measure(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'atol-bench-'));
  const emu = await startPtyAtol({ stateFile: join(dir, 'fn.json'), printMs: 0 });
  const driver = await AtolDriver.connect({ port: { path: (emu.port as { path: string }).path, baudRate: BAUD } });
  try {
    if (!driver.connectStatus.shiftOpen) await driver.openShift('Кассир Иванова А.');
    await driver.printReceipt(receipt(0)); // warm-up
    const rows: Row[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const input = receipt(run);
      const before = { ...driver.stats };
      const t0 = performance.now();
      await driver.printReceipt(input);
      const ms = performance.now() - t0;
      const after = driver.stats;
      rows.push({
        ms,
        min: minimum(input),
        bytes: after.bytesIn + after.bytesOut - before.bytesIn - before.bytesOut,
        commands: after.commands - before.commands,
        packets: after.packets - before.packets,
      });
    }
    return rows;
  } finally {
    await driver.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => n.toFixed(1);
const rows = await measure();
console.log(`fiscal bench (ATOL link v3): 10-line refund receipt, emulator on a socat pty, floor = wire time of the minimal packets at ${BAUD} baud`);
console.log('run  time_ms  floor_ms  ratio  wire_bytes  min_bytes  commands  min_commands  packets');
rows.forEach((r, i) => {
  console.log(
    `${String(i + 1).padStart(3)}  ${fmt(r.ms).padStart(7)}  ${fmt(r.min.wireMs).padStart(8)}  ${(r.ms / r.min.wireMs).toFixed(3)}  ${String(r.bytes).padStart(10)}  ${String(r.min.bytes).padStart(9)}  ${String(r.commands).padStart(8)}  ${String(r.min.commands).padStart(12)}  ${String(r.packets).padStart(7)}`,
  );
});
