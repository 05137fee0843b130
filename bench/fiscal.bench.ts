/**
 * `npm run bench:fiscal`: a 10-line refund receipt against the emulator in its own process on a socat pty
 * at 115200 baud. Prints figures only, never pass/fail.
 *
 * The floor is what the protocol itself needs for this receipt (main/fiscal/shtrih/PROTOCOL.md §Link, §Commands):
 * open receipt (0x8D), cashier (FF0C tag 1021), one FF46 per position, close (FF45); each exchange is
 * ENQ → NAK, frame → ACK, answer frame → ACK. Its bytes × 10 bits ÷ baud is the wire time of the minimal
 * frame sequence. The headline ratio is the driver's time on an instant device against that wire time;
 * the driver's own extra commands (its safety reads: status before the close, the ФН read-back of the
 * closed receipt) and every turnaround on the line land in the ratio. A second run adds the emulator's
 * declared processing time of the minimal commands to the floor.
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShtrihDriver } from '../main/fiscal/shtrih/driver';
import { fnCloseReceiptV2, fnOperationV2, fnSendTextTlv, openReceipt, requestPayload, type CommandSpec } from '../main/fiscal/shtrih/commands';
import { ITEM_SIGN_CODE, OPEN_RECEIPT_TYPE, OPERATION_CODE, PAYMENT_METHOD_CODE, TAX_SYSTEM_CODE, parseReceipt, type FiscalReceiptInput } from '../main/fiscal/receipt';
import { FACTORY_GROUP } from '../main/fiscal/taxGroups';
import { taxByteOfGroup } from '../main/fiscal/shtrih/taxByte';
import { startSocatPair } from '../emulators/shtrih/socat';
import { spawnEmulatorProcess } from '../emulators/shtrih/process';
import { DEFAULT_PROCESSING } from '../emulators/shtrih/deviceModel';

const BAUD = 115_200;
const RUNS = 5;
const PASSWORD = 30;

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

/** Answer payload sizes (code + error byte + data) of the minimal commands (PROTOCOL.md §Commands). */
const ANSWER_BYTES = { open: 3, tlv: 3, operation: 3, close: 2 + 1 + 5 + 4 + 4 + 5 } as const;
/** One exchange on the line: ENQ, NAK, STX LEN payload LRC, ACK, STX LEN answer LRC, ACK. */
const exchangeBytes = (spec: CommandSpec<unknown>, answer: number): number => 1 + 1 + (requestPayload(spec).length + 3) + 1 + (answer + 3) + 1;

interface Minimum {
  commands: number;
  bytes: number;
  wireMs: number;
  processingMs: number;
}

/** The protocol's minimal frame sequence for this receipt on a device that prints groups 1..12 as the vendor ships them. */
function minimum(input: FiscalReceiptInput): Minimum {
  const r = parseReceipt(input);
  const op = OPERATION_CODE[r.operation];
  const specs: Array<[CommandSpec<unknown>, number, number]> = [
    [openReceipt(PASSWORD, OPEN_RECEIPT_TYPE[r.operation]), ANSWER_BYTES.open, DEFAULT_PROCESSING.openReceipt],
    [fnSendTextTlv(PASSWORD, 1021, r.cashier), ANSWER_BYTES.tlv, DEFAULT_PROCESSING.tlv],
    ...r.positions.map((p): [CommandSpec<unknown>, number, number] => [
      fnOperationV2(PASSWORD, {
        operation: op,
        quantityMicro: p.quantityMilli * 1000,
        priceMinor: p.priceMinor,
        amountMinor: p.amountMinor,
        taxRate: taxByteOfGroup(FACTORY_GROUP[p.vat as keyof typeof FACTORY_GROUP], undefined),
        paymentMethod: PAYMENT_METHOD_CODE[p.paymentMethod],
        itemSign: ITEM_SIGN_CODE[p.itemSign],
        name: p.name,
      }),
      ANSWER_BYTES.operation,
      DEFAULT_PROCESSING.operation,
    ]),
    [fnCloseReceiptV2(PASSWORD, { ...r.tenders, taxSystem: TAX_SYSTEM_CODE.osn }), ANSWER_BYTES.close, DEFAULT_PROCESSING.closeReceipt],
  ];
  const bytes = specs.reduce((s, [spec, answer]) => s + exchangeBytes(spec, answer), 0);
  return { commands: specs.length, bytes, wireMs: (bytes * 10_000) / BAUD, processingMs: specs.reduce((s, [, , ms]) => s + ms, 0) };
}

interface Row {
  ms: number;
  floorMs: number;
  min: Minimum;
  bytes: number;
  commands: number;
  roundTrips: number;
}

async function measure(processingScale: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fiscal-bench-'));
  const pair = await startSocatPair();
  const emu = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: join(dir, 'fn.json'), baudRate: BAUD, processingScale });
  const driver = await ShtrihDriver.connect({ port: { path: pair.hostPath, baudRate: BAUD } });
  try {
    if (!driver.connectStatus.shiftOpen) await driver.openShift('Кассир Иванова А.');
    await driver.printReceipt(receipt(0)); // warm-up: JIT, first touch of code paths
    const rows: Row[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const input = receipt(run);
      const min = minimum(input);
      await emu.resetStats();
      const before = driver.stats;
      const t0 = performance.now();
      await driver.printReceipt(input);
      const ms = performance.now() - t0;
      const after = driver.stats;
      const s = await emu.stats();
      rows.push({
        ms,
        floorMs: min.wireMs + min.processingMs * processingScale,
        min,
        bytes: s.bytesIn + s.bytesOut,
        commands: after.commands - before.commands,
        roundTrips: after.roundTrips - before.roundTrips,
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

const fmt = (n: number): string => n.toFixed(1);

function report(title: string, rows: Row[], floorName: string): void {
  console.log(title);
  console.log(`run  time_ms  ${floorName.padStart(8)}  ratio  wire_bytes  min_bytes  commands  min_commands  round_trips`);
  rows.forEach((r, i) =>
    console.log(
      `${String(i + 1).padStart(3)}  ${fmt(r.ms).padStart(7)}  ${fmt(r.floorMs).padStart(8)}  ${(r.ms / r.floorMs).toFixed(3)}  ${String(r.bytes).padStart(10)}  ${String(r.min.bytes).padStart(9)}  ${String(r.commands).padStart(8)}  ${String(r.min.commands).padStart(12)}  ${String(r.roundTrips).padStart(11)}`,
    ),
  );
  const median = [...rows].sort((a, b) => a.ms / a.floorMs - b.ms / b.floorMs)[Math.floor(rows.length / 2)];
  if (median) {
    console.log(
      `median: time ${fmt(median.ms)} ms, ${floorName} ${fmt(median.floorMs)} ms, ratio ${(median.ms / median.floorMs).toFixed(3)}x (goal ≤ 1.15x); ` +
        `commands per receipt ${median.commands} vs ${median.min.commands} the protocol needs (${(median.commands / median.min.commands).toFixed(2)}x); ` +
        `bytes ${median.bytes} vs ${median.min.bytes} (${(median.bytes / median.min.bytes).toFixed(3)}x)\n`,
    );
  }
}

report(
  `fiscal bench: 10-line refund receipt, emulator (own process) on a socat pty, ${BAUD} baud, instant device — floor = wire time of the minimal frame sequence`,
  await measure(0),
  'floor_ms',
);
report(
  'fiscal bench: same with the emulator\'s declared processing times — floor = minimal wire time + declared processing of the minimal commands',
  await measure(1),
  'floor_ms',
);
