/**
 * `npm run bench:fiscal`: a 10-line refund receipt against the emulator on a socat pty at 115200 baud,
 * the emulator in its own process. Prints figures only (no pass/fail on absolute time):
 *   - time to print the receipt (driver call to FN-verified document),
 *   - the physical floor: bytes on the wire (both ways) × 10 bits ÷ baud + the emulator's declared
 *     processing time of the commands it ran,
 *   - their ratio (goal ≤ 1.10x) and round trips per receipt.
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FiscalDriver } from '../main/fiscal/driver';
import type { FiscalReceiptInput } from '../main/fiscal/receipt';
import { startSocatPair } from '../emulators/fiscal/socat';
import { spawnEmulatorProcess } from '../emulators/fiscal/process';

const BAUD = 115_200;
const RUNS = 5;

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

interface Row {
  ms: number;
  floorMs: number;
  bytes: number;
  processingMs: number;
  roundTrips: number;
  commands: number;
}

async function measure(processingScale: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fiscal-bench-'));
  const pair = await startSocatPair();
  const emu = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: join(dir, 'fn.json'), baudRate: BAUD, processingScale });
  const driver = await FiscalDriver.connect({ port: { path: pair.hostPath, baudRate: BAUD } });
  try {
    if (!driver.connectStatus.shiftOpen) await driver.openShift('Кассир Иванова А.');
    await driver.printReceipt(receipt(0)); // warm-up: JIT, first-touch of code paths
    const rows: Row[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await emu.resetStats();
      const before = driver.stats;
      const t0 = performance.now();
      await driver.printReceipt(receipt(run));
      const ms = performance.now() - t0;
      const after = driver.stats;
      const s = await emu.stats();
      const bytes = s.bytesIn + s.bytesOut;
      rows.push({ ms, floorMs: (bytes * 10 * 1000) / BAUD + s.processingMs, bytes, processingMs: s.processingMs, roundTrips: after.roundTrips - before.roundTrips, commands: after.commands - before.commands });
    }
    return rows;
  } finally {
    await driver.close();
    await emu.kill('SIGTERM');
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => n.toFixed(1);

function report(title: string, rows: Row[]): void {
  console.log(title);
  console.log('run  time_ms  floor_ms  ratio  wire_bytes  wire_ms  declared_processing_ms  round_trips  commands');
  rows.forEach((r, i) =>
    console.log(
      `${String(i + 1).padStart(3)}  ${fmt(r.ms).padStart(7)}  ${fmt(r.floorMs).padStart(8)}  ${(r.ms / r.floorMs).toFixed(3)}  ${String(r.bytes).padStart(10)}  ${fmt((r.bytes * 10_000) / BAUD).padStart(7)}  ${fmt(r.processingMs).padStart(22)}  ${String(r.roundTrips).padStart(11)}  ${String(r.commands).padStart(8)}`,
    ),
  );
  const median = [...rows].sort((a, b) => a.ms / a.floorMs - b.ms / b.floorMs)[Math.floor(rows.length / 2)];
  if (median) {
    console.log(
      `median: time ${fmt(median.ms)} ms, physical floor ${fmt(median.floorMs)} ms, ratio ${(median.ms / median.floorMs).toFixed(3)}x (goal ≤ 1.10x), round trips per receipt ${median.roundTrips}, commands per receipt ${median.commands}\n`,
    );
  }
}

report(`fiscal bench: 10-line refund receipt, emulator (own process) on a socat pty, ${BAUD} baud, declared processing times`, await measure(1));
// The same with an instant device: only wire time is left in the floor, so this shows the link overhead alone.
report(`fiscal bench: same, instant device (processing 0): wire time is the whole floor`, await measure(0));
