import { AppError } from '../appError';
import type { FiscalProtocolName } from '../../preload/contract/settings';
import type { FiscalDocument, ReconcileExpectation, ReconcileOutcome } from './documents';
import type { FfdReceipt } from './ffdReceipt';
import type { FiscalPort, SerialPortOptions } from './port';
import type { FiscalCorrectionInput, FiscalReceiptInput, TaxSystem } from './receipt';
import type { DeviceTaxFacts, TaxGroupPlan, VatGroups } from './taxGroups';
import type { DocumentTlv } from './tlv';

/**
 * The fiscal device as the app sees it, whatever protocol it speaks (issue 18 point 1). The refund saga,
 * the services, the CLI and the settings use only this file and protocols.ts; a protocol's folder
 * (shtrih/, atol/) implements it and is reached through protocols.ts alone (eslint no-restricted-imports).
 *
 * An operation a protocol lacks is still a method of its class: it throws `unsupportedOperation(…)`
 * (code FISCAL_UNSUPPORTED, retry 'permanent', a Russian message naming the device and the operation) the
 * moment it is called, before anything is sent to the device. A refusal is thus an answer the cashier can
 * act on, never a missing method or a silent no-op, and the protocol's PROTOCOL.md says why it lacks it.
 */

/** Protocol names as the settings, the CLI and the registry spell them (the settings contract lists them). */
export type FiscalProtocol = FiscalProtocolName;

/** The printer's state as the UI shows it; emitted on every change. */
export interface PrinterState {
  paperOut: boolean;
  coverOpen: boolean;
  offline: boolean;
  busy: boolean;
}

/** What the device reports of itself now. A protocol's own mode numbers stay inside it: `modeText` tells IT. */
export interface DeviceStatus {
  /** The device's mode in words, as its protocol names it ("смена открыта", "режим регистрации"). */
  modeText: string;
  shiftOpen: boolean;
  /** Open for more than 24 hours: only a Z report (closeShift) is accepted. */
  shiftExpired: boolean;
  paperOut: boolean;
  coverOpen: boolean;
  /** A receipt or another document is open (left by a crash or a power cut). */
  openDocument: boolean;
  /** The ФН's last fiscal document number (ФД). */
  lastDocumentNumber: number;
  fnNumber: string;
  /** The register's serial number (заводской номер). */
  serial: string;
  /** The device's clock, ISO local time. */
  deviceDateTime: string;
}

/** Who is on the other end, as far as its protocol lets it say at connect; null where it does not. */
export interface DeviceIdentity {
  protocol: FiscalProtocol;
  /** The device's own name ("ШТРИХ-М-01Ф", "АТОЛ 30Ф"). */
  model: string | null;
  modelNumber: number | null;
  /** The protocol version the device reports ("1.12"). */
  protocolVersion: string | null;
  firmware: string | null;
  firmwareBuild: number | null;
  firmwareDate: string | null;
}

/** Link counters every protocol keeps (for the bench and the logs); a protocol may keep more. */
export interface LinkStats {
  commands: number;
  bytesOut: number;
  bytesIn: number;
  /** Replies that came after their request was given up on. */
  lateReplies: number;
}

export interface FiscalDeviceEvents {
  status: [PrinterState];
  paperOut: [];
  paperBack: [];
}

/**
 * Timings every protocol knows, in milliseconds. A protocol's own link timings (Shtrih-M `enqMs`,
 * `ackMs`; ATOL `packetMs`, `pollMs`) are given by name beside them; a protocol ignores names it lacks.
 */
export interface CommonTimeouts {
  /** Default wait for a command's answer; printing commands use their own. */
  answerMs: number;
  /** How long a cashier gets to load paper mid-document before the device gives it back unfinished. */
  paperWaitMs: number;
  /** Status polling while waiting for paper or a closed cover. */
  paperPollMs: number;
}
export type DeviceTimeouts = Partial<CommonTimeouts> & { readonly [protocolTiming: string]: number };

export interface DeviceConnectOptions {
  port: FiscalPort | SerialPortOptions;
  /** Operator password; each protocol has its factory default (30 on both Shtrih-M and ATOL). */
  password?: number;
  timeouts?: DeviceTimeouts;
  /** Store overrides of the tax group per VAT rate (settings F9); the rest comes from the device. */
  vatGroups?: VatGroups;
  defaultTaxSystem?: TaxSystem;
  trace?: (direction: '>' | '<', bytes: Buffer) => void;
}

export interface FiscalDevice {
  readonly identity: DeviceIdentity;
  /** What the device looked like when we connected: the saga reads it before anything else. */
  readonly connectStatus: DeviceStatus;
  readonly printerState: PrinterState;
  readonly stats: LinkStats;
  /** Tax group per VAT rate on this device, and the rates it must not print (with the Russian reason). */
  readonly taxPlan: TaxGroupPlan;
  /** The device's own tax table as read at connect; null when the protocol has none to read. */
  readonly taxFacts: DeviceTaxFacts | null;
  /** Marking codes of the last receipt that had no ОИСМ answer (offline): the ФН sends them later. */
  readonly lastUncheckedCodes: readonly string[];

  on<K extends keyof FiscalDeviceEvents>(event: K, listener: (...args: FiscalDeviceEvents[K]) => void): this;
  off<K extends keyof FiscalDeviceEvents>(event: K, listener: (...args: FiscalDeviceEvents[K]) => void): this;
  close(): Promise<void>;

  status(): Promise<DeviceStatus>;
  openShift(cashier: string, cashierInn?: string): Promise<FiscalDocument>;
  closeShift(cashier?: string, cashierInn?: string): Promise<FiscalDocument>;
  xReport(): Promise<void>;
  openDrawer(): Promise<void>;
  /** Cash in the drawer as the register counts it, in minor units. */
  cashInDrawer(): Promise<number>;
  /** Внесение ('in') or выплата ('out'); answers the document's number. */
  cashOperation(kind: 'in' | 'out', amountMinor: number): Promise<number>;

  lastDocument(): Promise<FiscalDocument>;
  findDocument(number: number): Promise<FiscalDocument>;
  /** A document's TLV as the ФН keeps it. */
  readDocumentTlv(number: number): Promise<DocumentTlv>;
  /** A receipt with its positions, read back from the ФН. */
  readReceipt(number: number): Promise<FfdReceipt>;

  /** Non-fiscal lines (a receipt copy, a notice). */
  printText(lines: string[]): Promise<void>;
  /** Cancels a document left open; true when there was one. */
  cancelOpenDocument(): Promise<boolean>;
  /** Fiscalizes one receipt and returns the ФН's own record of it. */
  printReceipt(input: FiscalReceiptInput): Promise<FiscalDocument>;
  printCorrection(input: FiscalCorrectionInput): Promise<FiscalDocument>;
  /** After a crash or a lost answer: was the receipt fiscalized? Reads the device only, never prints again. */
  reconcileReceipt(expected: ReconcileExpectation): Promise<ReconcileOutcome>;
}

/** The refusal of an operation this device's protocol lacks (see the rule above). */
export function unsupportedOperation(device: string, operation: string): AppError {
  return new AppError({
    code: 'FISCAL_UNSUPPORTED',
    message: `ККТ ${device} не выполняет через эту программу операцию «${operation}». Выполните её на самой ККТ или обратитесь в техподдержку магазина.`,
    retry: 'permanent',
    detail: `${device}: ${operation} is not implemented for this protocol`,
  });
}
