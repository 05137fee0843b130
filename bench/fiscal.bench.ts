/**
 * `npm run bench:fiscal`: a 10-line refund receipt (then the same on ATOL, bench/fiscalAtol.bench.ts) against the emulator in its own process on a socat pty
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
import { startSocatPair } from '../emulators/socat';
import { spawnEmulatorProcess } from '../emulators/shtrih/process';
import { DEFAULT_PROCESSING } from '../emulators/shtrih/deviceModel';
import { BAUD, RUNS, benchReceipt as receipt, report, type BenchRow } from './fiscalBenchShared';

const PASSWORD = 30;

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

async function measure(processingScale: number): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fiscal-bench-'));
  const pair = await startSocatPair();
  const emu = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: join(dir, 'fn.json'), baudRate: BAUD, processingScale });
  const driver = await ShtrihDriver.connect({ port: { path: pair.hostPath, baudRate: BAUD } });
  try {
    if (!driver.connectStatus.shiftOpen) await driver.openShift('Кассир Иванова А.');
    await driver.printReceipt(receipt(0)); // warm-up: JIT, first touch of code paths
    const rows: BenchRow[] = [];
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
        bytes: s.bytesIn + s.bytesOut,
        minBytes: min.bytes,
        commands: after.commands - before.commands,
        minCommands: min.commands,
        exchanges: after.roundTrips - before.roundTrips,
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
  `fiscal bench: 10-line refund receipt, emulator (own process) on a socat pty, ${BAUD} baud, instant device — floor = wire time of the minimal frame sequence`,
  await measure(0),
  'round_trips',
);
report(
  'fiscal bench: same with the emulator\'s declared processing times — floor = minimal wire time + declared processing of the minimal commands',
  await measure(1),
  'round_trips',
);

// `npm run bench:fiscal` runs both protocols: ATOL against its own floor (bench/fiscalAtol.bench.ts).
await import('./fiscalAtol.bench');
