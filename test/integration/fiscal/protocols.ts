/**
 * The two fiscal protocols as the driver-level recovery and corruption tests and the refund chaos see
 * them: how to run the emulator (in its own process on a pty the test owns, in this process behind a pty,
 * or in memory), how to connect, how to read what the ФН holds, and how a receipt's commands look on the
 * wire. No vitest import: driverChild.ts runs it too.
 */
import { readFileSync } from 'node:fs';
import type { FiscalDevice, FiscalProtocol } from '../../../main/fiscal/device';
import type { FiscalPort } from '../../../main/fiscal/port';
import { ShtrihDriver } from '../../../main/fiscal/shtrih/driver';
import { AtolDriver } from '../../../main/fiscal/atol/driver';
import { atolPrintable } from '../../../main/fiscal/atol/commands';
import { EmulatorState, type StoredDocument } from '../../../emulators/shtrih/state';
import { spawnEmulatorProcess } from '../../../emulators/shtrih/process';
import { createInMemoryEmulator } from '../../../emulators/shtrih/memory';
import { AtolState, type AtolDocument } from '../../../emulators/atol/state';
import { spawnAtolProcess } from '../../../emulators/atol/process';
import { createInMemoryAtol, startPtyAtol } from '../../../emulators/atol/device';
import { startPtyEmulator } from '../../../emulators/shtrih/pty';
import type { PtyFront } from '../../../emulators/ptyFront';

/** A receipt as the ФН holds it, in one shape for both emulators. */
export interface StoredReceipt {
  number: number;
  fiscalSign: string;
  /** Tag 1054. */
  operation: number;
  totalMinor: number;
  cashier: string | undefined;
  /** name, price, quantity (thousandths), payment method (1214), item sign (1212). */
  positions: Array<[string, number, number, number, number]>;
  /** Each position's sum as the ФН holds it. */
  lineAmountsMinor: number[];
  cashMinor: number;
  electronicMinor: number;
}

export interface EmulatorProcessHandle {
  /** Power cut right after the receipt's close took effect in the ФН, before its answer leaves. */
  powerCutAfterClose(): Promise<void>;
  kill(): Promise<void>;
}

export interface NoisyEmulator {
  port: FiscalPort;
  noise(corruptProbability: number, seed: number): void;
  quiet(): void;
  /** Frames the noise changed that the checksum still let through (no host can see these). */
  undetected(): number;
  receipts(): StoredReceipt[];
  close(): Promise<void>;
}

export interface ProtocolUnderTest {
  name: FiscalProtocol;
  spawn(devicePath: string, stateFile: string, baudRate: number): Promise<EmulatorProcessHandle>;
  /** The emulator in this process on a socat pty in `dir` at 115200 baud, its device times cut down for long seeded runs (the refund chaos). */
  startPty(stateFile: string, dir: string): Promise<PtyFront>;
  connect(path: string, baudRate: number, opts?: { trace?: (dir: '>' | '<', bytes: Buffer) => void; quickTimeouts?: boolean }): Promise<FiscalDevice>;
  receiptsIn(stateFile: string): StoredReceipt[];
  lastDocumentIn(stateFile: string): number;
  /** This written frame carries a position (Shtrih-M FF46, ATOL E6). */
  isPositionFrame(bytes: Buffer): boolean;
  /** A driverChild trace line (`> hex`) of the frame that carries the receipt's close (FF45, 4A). */
  closeTrace: RegExp;
  /** The name as the device can print it (ATOL's table has no typographic quotes). */
  printable(name: string): string;
  /** In-memory emulator with instant device and the driver on tight timeouts (the link is instant too). */
  inMemory(): Promise<{ emu: NoisyEmulator; driver: FiscalDevice }>;
  /** How many times the link repaired something (resends, NAKs): proof the noise really bit. */
  repairs(device: FiscalDevice): number;
  /** Shtrih-M keeps an unconfirmed answer across a host restart and counts fetching it; ATOL's ABORT at connect drops it. */
  staleAnswersFetched(device: FiscalDevice): number | null;
}

export const shtrihReceipt = (d: StoredDocument): StoredReceipt => ({
  number: d.number,
  fiscalSign: String(d.fiscalSign),
  operation: d.operation ?? 0,
  totalMinor: d.totalMinor ?? 0,
  cashier: d.cashier,
  positions: (d.positions ?? []).map((p) => [p.name, p.priceMinor, p.quantityMicro / 1000, p.paymentMethod, p.itemSign]),
  lineAmountsMinor: (d.positions ?? []).map((p) => p.amountMinor),
  cashMinor: d.payments?.[0] ?? 0,
  electronicMinor: d.payments?.[1] ?? 0,
});

const atolReceipt = (d: AtolDocument): StoredReceipt => ({
  number: d.number,
  fiscalSign: String(d.fiscalSign),
  operation: d.operation,
  totalMinor: d.totalMinor,
  cashier: d.tags['1021'],
  positions: d.lines.map((l) => [l.name, l.priceMinor, l.quantityMilli, l.method, l.sign]),
  lineAmountsMinor: d.lines.map((l) => l.amountMinor),
  // ATOL payment types of 99/4A: 1 cash, 2 cashless (main/fiscal/atol/PROTOCOL.md §4).
  cashMinor: d.payments.filter((p) => p.type === 1).reduce((s, p) => s + p.amountMinor, 0),
  electronicMinor: d.payments.filter((p) => p.type === 2).reduce((s, p) => s + p.amountMinor, 0),
});

const shtrihState = (file: string) => EmulatorState.parse(JSON.parse(readFileSync(file, 'utf8')));
const atolState = (file: string) => AtolState.parse(JSON.parse(readFileSync(file, 'utf8')));

export const shtrih: ProtocolUnderTest = {
  name: 'shtrih',
  spawn: async (devicePath, stateFile, baudRate) => {
    const p = await spawnEmulatorProcess({ devicePath, stateFile, baudRate, processingScale: 0.2 });
    return { powerCutAfterClose: () => p.setFault({ powerLoss: 'afterCloseFiscalized' }), kill: () => p.kill() };
  },
  startPty: (stateFile, dir) => startPtyEmulator({ stateFile, dir, baudRate: 115_200, processingScale: 0.02 }),
  connect: (path, baudRate, opts = {}) =>
    ShtrihDriver.connect({ port: { path, baudRate }, ...(opts.quickTimeouts ? { timeouts: { enqMs: 100, ackMs: 150 } } : {}), ...(opts.trace ? { trace: opts.trace } : {}) }),
  receiptsIn: (file) => shtrihState(file).documents.filter((d) => d.type === 3).map(shtrihReceipt),
  lastDocumentIn: (file) => shtrihState(file).lastDocumentNumber,
  // 02 LEN FF 46 …
  isPositionFrame: (b) => b[0] === 0x02 && b[2] === 0xff && b[3] === 0x46,
  closeTrace: /^> 02[0-9a-f]{2}ff45/m,
  printable: (name) => name,
  inMemory: async () => {
    const emu = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 2 });
    // A reply 40 ms late on an instant link is not coming: settleMs writes it off here, not after a real line's 600 ms.
    const driver = await ShtrihDriver.connect({ port: emu.port, timeouts: { enqMs: 8, ackMs: 10, interByteMs: 4, answerMs: 200, busyRetryMs: 2, settleMs: 40 } });
    return {
      driver,
      emu: {
        port: emu.port,
        noise: (corruptProbability, seed) => emu.setFault({ corruptProbability, seed }),
        quiet: () => emu.setFault({ corruptProbability: 0 }),
        undetected: () => emu.stats.undetectedCorruptions,
        receipts: () => emu.device.model.documents.filter((d) => d.type === 3).map(shtrihReceipt),
        close: () => emu.close(),
      },
    };
  },
  repairs: (d) => {
    const s = (d as ShtrihDriver).stats;
    return s.naksSent + s.frameResends;
  },
  staleAnswersFetched: (d) => (d as ShtrihDriver).stats.staleAnswers,
};

/** FE LEN0 LEN1 ID | C1 flags tid | password 00 00 | code …: ids and tids never need escaping (≤ 0xDF). */
const atolCommandCode = (b: Buffer): number | undefined => (b[0] === 0xfe && b[4] === 0xc1 ? b[9] : undefined);

export const atol: ProtocolUnderTest = {
  name: 'atol',
  spawn: async (devicePath, stateFile, baudRate) => {
    const p = await spawnAtolProcess({ devicePath, stateFile, baudRate, printMs: 10 });
    return { powerCutAfterClose: () => p.setFault({ powerLossAfter: 0x4a }), kill: () => p.kill() };
  },
  startPty: (stateFile, dir) => startPtyAtol({ stateFile, dir, baudRate: 115_200, printMs: 2 }),
  connect: (path, baudRate, opts = {}) =>
    AtolDriver.connect({ port: { path, baudRate }, ...(opts.quickTimeouts ? { timeouts: { packetMs: 150 } } : {}), ...(opts.trace ? { trace: opts.trace } : {}) }),
  receiptsIn: (file) => atolState(file).documents.filter((d) => d.type === 3).map(atolReceipt),
  lastDocumentIn: (file) => atolState(file).documents.at(-1)?.number ?? 0,
  isPositionFrame: (b) => atolCommandCode(b) === 0xe6,
  closeTrace: /^> fe[0-9a-f]{6}c101[0-9a-f]{2}00004a/m,
  printable: atolPrintable,
  inMemory: async () => {
    const emu = createInMemoryAtol({ printMs: 0, byteTimeoutMs: 2 });
    const driver = await AtolDriver.connect({ port: emu.port as FiscalPort, timeouts: { packetMs: 40, pollMs: 1, interByteMs: 4, answerMs: 2_000 } });
    return {
      driver,
      emu: {
        port: emu.port as FiscalPort,
        noise: (corruptProbability, seed) => emu.setFault({ corruptProbability, seed }),
        quiet: () => emu.setFault({ corruptProbability: 0 }),
        undetected: () => emu.device.link.stats.undetectedCorruptions,
        receipts: () => emu.device.model.state.documents.filter((d) => d.type === 3).map(atolReceipt),
        close: () => emu.close(),
      },
    };
  },
  repairs: (d) => {
    const s = (d as AtolDriver).stats;
    return s.resends + s.badFrames;
  },
  staleAnswersFetched: () => null,
};

export const PROTOCOLS_UNDER_TEST: Record<FiscalProtocol, ProtocolUnderTest> = { shtrih, atol };
