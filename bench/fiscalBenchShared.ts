/**
 * What bench/fiscal.bench.ts (Shtrih-M) and bench/fiscalAtol.bench.ts (ATOL) share: the same 10-line refund
 * receipt, and one report — each protocol's time against its own wire-time floor, as a ratio, never pass/fail.
 */
import type { FiscalReceiptInput } from '../main/fiscal/receipt';

export const BAUD = 115_200;
export const RUNS = 5;

export function benchReceipt(run: number): FiscalReceiptInput {
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

export interface BenchRow {
  ms: number;
  floorMs: number;
  bytes: number;
  minBytes: number;
  commands: number;
  minCommands: number;
  /** The protocol's own exchange count (Shtrih-M round trips, ATOL packets). */
  exchanges: number;
}

const fmt = (n: number): string => n.toFixed(1);

export function report(title: string, rows: BenchRow[], exchangesName: string): void {
  console.log(title);
  console.log(`run  time_ms  floor_ms  ratio  wire_bytes  min_bytes  commands  min_commands  ${exchangesName}`);
  rows.forEach((r, i) =>
    console.log(
      `${String(i + 1).padStart(3)}  ${fmt(r.ms).padStart(7)}  ${fmt(r.floorMs).padStart(8)}  ${(r.ms / r.floorMs).toFixed(3)}  ${String(r.bytes).padStart(10)}  ${String(r.minBytes).padStart(9)}  ${String(r.commands).padStart(8)}  ${String(r.minCommands).padStart(12)}  ${String(r.exchanges).padStart(exchangesName.length)}`,
    ),
  );
  const median = [...rows].sort((a, b) => a.ms / a.floorMs - b.ms / b.floorMs)[Math.floor(rows.length / 2)];
  if (median) {
    console.log(
      `median: time ${fmt(median.ms)} ms, floor ${fmt(median.floorMs)} ms, ratio ${(median.ms / median.floorMs).toFixed(3)}x (goal ≤ 1.15x); ` +
        `commands per receipt ${median.commands} vs ${median.minCommands} the protocol needs (${(median.commands / median.minCommands).toFixed(2)}x); ` +
        `bytes ${median.bytes} vs ${median.minBytes} (${(median.bytes / median.minBytes).toFixed(3)}x)\n`,
    );
  }
}
