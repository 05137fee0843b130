/**
 * `npx tsx bench/fiscalAtol.bench.ts` (also the second half of `npm run bench:fiscal`): bench/fiscal.bench.ts's
 * 10-line refund receipt on an ATOL device (main/fiscal/atol/), the emulator in its own process on a socat pty,
 * its bytes paced at the baud rate as the Shtrih-M emulator's are. Prints figures only, never pass/fail.
 *
 * The floor is what ATOL link v3 itself needs for this receipt (main/fiscal/atol/PROTOCOL.md §2–4): open
 * receipt (92), cashier (E8 tag 1021), one E6 per position, one 99 per tender but the last, close (4A).
 * Each command on an instant device is one ADD packet, the device's reply carrying the result (A3 + 55 00 00),
 * and the host's ACK packet (no reply): their exact frame bytes (escapes included) × 10 bits ÷ baud.
 * The driver's own extra commands (mode entry and exit, status and ФН reads before and after, the
 * tax-system tag, the ФН read-back of the closed receipt) land in the ratio, as they do for Shtrih-M.
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtolDriver } from '../main/fiscal/atol/driver';
import { PaymentType, ReceiptType, closeReceipt, openReceipt, payment, registerLine, writeTag, atolTaxPlan, type AtolCommand } from '../main/fiscal/atol/commands';
import { encodeFrame } from '../main/fiscal/atol/frame';
import { atolLine } from '../main/fiscal/atol/lineSum';
import { parseReceipt, type FiscalReceiptInput } from '../main/fiscal/receipt';
import { startSocatPair } from '../emulators/socat';
import { spawnAtolProcess } from '../emulators/atol/process';
import { BAUD, RUNS, benchReceipt, report, type BenchRow } from './fiscalBenchShared';

/** Any id without escapes; the floor does not depend on which ids the driver happens to use. */
const ID = 0x10;
const RESULT_OK = Buffer.from([0xa3, 0x55, 0x00, 0x00]);

/** ADD (C1 flags tid command) → reply (A3 + answer) → ACK (C2 tid). */
const exchangeBytes = (cmd: AtolCommand<unknown>): number =>
  encodeFrame(ID, Buffer.concat([Buffer.from([0xc1, 0x01, ID]), cmd.request])).length + encodeFrame(ID, RESULT_OK).length + encodeFrame(ID, Buffer.from([0xc2, ID])).length;

function minimum(input: FiscalReceiptInput): { commands: number; bytes: number; wireMs: number } {
  const r = parseReceipt(input);
  const plan = atolTaxPlan();
  const cmds: Array<AtolCommand<unknown>> = [
    openReceipt(ReceiptType[r.operation]),
    writeTag(1021, r.cashier),
    ...r.positions.map((p) => registerLine(atolLine(p, plan.groups[p.vat] ?? 0))),
    payment(PaymentType.cashless, r.tenders.electronicMinor),
    closeReceipt(PaymentType.cash, r.tenders.cashMinor),
  ];
  const bytes = cmds.reduce((s, c) => s + exchangeBytes(c), 0);
  return { commands: cmds.length, bytes, wireMs: (bytes * 10_000) / BAUD };
}

async function measure(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'atol-bench-'));
  const pair = await startSocatPair();
  const emu = await spawnAtolProcess({ devicePath: pair.devicePath, stateFile: join(dir, 'fn.json'), baudRate: BAUD, printMs: 0 });
  const driver = await AtolDriver.connect({ port: { path: pair.hostPath, baudRate: BAUD } });
  try {
    if (!driver.connectStatus.shiftOpen) await driver.openShift('Кассир Иванова А.');
    await driver.printReceipt(benchReceipt(0)); // warm-up: JIT, first touch of code paths
    const rows: BenchRow[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const input = benchReceipt(run);
      const min = minimum(input);
      await emu.resetStats();
      const before = { ...driver.stats };
      const t0 = performance.now();
      await driver.printReceipt(input);
      const ms = performance.now() - t0;
      const after = driver.stats;
      const s = await emu.stats();
      rows.push({
        ms,
        floorMs: min.wireMs,
        bytes: s.bytesIn + s.bytesOut,
        minBytes: min.bytes,
        commands: after.commands - before.commands,
        minCommands: min.commands,
        exchanges: after.packets - before.packets,
      });
    }
    return rows;
  } finally {
    await driver.close();
    await emu.kill('SIGTERM');
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

report(
  `fiscal bench (ATOL link v3): 10-line refund receipt, emulator (own process) on a socat pty, ${BAUD} baud, instant device — floor = wire time of the minimal packets`,
  await measure(),
  'packets',
);
