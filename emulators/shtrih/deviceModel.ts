import { createHmac } from 'node:crypto';
import iconv from 'iconv-lite';
import type { EmulatorState, StoredDocument, StoredPosition } from './state';
import { TAG_1199_OF_GROUP, groupOfTaxByte, taxOfLine, type Firmware, type TaxRow } from './firmware';
import { MarkingUnit } from './marking';
import { documentTlv } from './fnDocumentTlv';
import { TlvReadout } from './tlvReadout';
import { ASSUMED_DOCUMENT_BYTES, MAX_NAME_BYTES, PRINT_LINE_BYTES, TLV_MAX_BYTES, receiptDocumentBytes } from './receiptLimits';

/**
 * The device side of the Shtrih-M command set, written from the protocol description on its own
 * (not from the driver's encoders), so a layout mistake on either side shows up as a failing test.
 * Command layouts: main/fiscal/shtrih/PROTOCOL.md §Commands.
 */
export interface ProcessingTimes {
  status: number;
  fnQuery: number;
  tlv: number;
  writeTable: number;
  openReceipt: number;
  operation: number;
  closeReceipt: number;
  cancel: number;
  printLine: number;
  report: number;
  openShift: number;
  correction: number;
  continuePrint: number;
}

/** Declared processing time per command (ms): roughly a thermal register printing a receipt. */
export const DEFAULT_PROCESSING: ProcessingTimes = {
  status: 3,
  fnQuery: 5,
  tlv: 3,
  writeTable: 10,
  openReceipt: 20,
  operation: 25,
  closeReceipt: 300,
  cancel: 150,
  printLine: 15,
  report: 1200,
  openShift: 600,
  correction: 400,
  continuePrint: 50,
};

export interface ModelOptions {
  password: number;
  persist: (s: EmulatorState) => void;
  processing: ProcessingTimes;
  /** Multiplies every processing time; 0 makes the device instant (fast unit tests). */
  processingScale: number;
  firmware: Firmware;
  /**
   * 2026 firmware, table 17 field 71: 1 = from 1 January 2026 the device prints 22 % (22/122) for groups
   * 1 (5) whatever the host meant, 2 = it prints the group the host sends. Ignored by pre-2026 firmware.
   */
  replace20With22: 1 | 2;
  /** Overrides the assumed size of one ФН document (receiptLimits.ts), for a test that reaches it. */
  maxDocumentBytes?: number;
}

/** What 0xFC reports (PROTOCOL.md §Device type): a desktop ШТРИХ-М-01Ф speaking protocol 1.12. */
export const DEVICE_IDENTITY = { type: 0, subtype: 0, protocol: 1, subprotocol: 12, model: 250, language: 0, name: 'ШТРИХ-М-01Ф' } as const;

/** FF46 sum or tax of FF FF FF FF FF: "the device computes it" (javapos FSPrintRecItem). */
const NOT_GIVEN = 0xff_ffff_ffff;

export type ExecEvent = { kind: 'positionRegistered'; count: number } | { kind: 'closeFiscalized'; document: StoredDocument };

export interface ExecResult {
  answer: Buffer;
  processingMs: number;
  event?: ExecEvent;
}

interface OpenReceipt {
  /** 0x8D type: 0 sale, 1 purchase, 2 return of sale, 3 return of purchase. */
  type: number;
  positions: StoredPosition[];
  cashier?: string;
  cashierInn?: string;
  customerContact?: string;
}

/** Tags FF0C gave a shift document that FF41 (open) or FF42 (close) started. */
interface ShiftDocumentTags {
  kind: 'open' | 'close';
  cashier?: string;
  cashierInn?: string;
}

const E = {
  fnNotFound: 0x08,
  badParams: 0x33,
  /** "Не хватает наличности в кассе" (PROTOCOL.md §Cash, main/fiscal/shtrih/errors.ts). */
  noCash: 0x46,
  unsupported: 0x37,
  shiftClosed: 0x3d,
  paidLess: 0x45,
  wrongReceiptType: 0x49,
  receiptOpen: 0x4a,
  electronicTooBig: 0x4d,
  shiftExpired: 0x4e,
  badPassword: 0x4f,
  busy: 0x50,
  receiptClosed: 0x55,
  waitContinue: 0x58,
  noPaper: 0x6b,
  /** ФН: "Too many receipt items" (javapos Localizer FSPrinterError0E; PROTOCOL.md §Receipt limits). */
  tooManyItems: 0x0e,
  /** ФН: «Превышение размеров TLV данных» (javapos messages_ru.txt FSPrinterError10; PROTOCOL.md §Receipt limits). */
  tlvTooLarge: 0x10,
  wrongMode: 0x73,
  zeroTotal: 0x8e,
} as const;

/** Positions one receipt takes: no public source gives the number, so this is the documented assumption (PROTOCOL.md §Receipt limits). */
const MAX_POSITIONS_PER_RECEIPT = 100;

/** Operation type of FF46 → the receipt type 0x8D would open. */
const RECEIPT_TYPE_OF_OPERATION: Record<number, number> = { 1: 0, 2: 2, 3: 1, 4: 3 };
const OPERATION_OF_RECEIPT_TYPE: Record<number, number> = { 0: 1, 2: 2, 1: 3, 3: 4 };
const DAY_MS = 24 * 3600 * 1000;

const pad2 = (n: number): string => String(n).padStart(2, '0');

export class DeviceModel {
  paper: 'ok' | 'out' = 'ok';
  /** 0 paper present, 1 no paper, 2 paper ran out mid-print, 3 waiting for 0xB0. */
  submode = 0;
  coverOpen = false;
  busyUntil = 0;
  clockOffsetMs = 0;
  paperOutAfterPositions: number | null = null;
  paperOutInterruptedAnswer: 'ok' | 'paperError' = 'ok';
  private openReceipt: OpenReceipt | null = null;
  /** Text lines printed by 0x17 since start (non-fiscal: copies, reports' text), for a test to read. */
  readonly tape: string[] = [];
  private markingUnit: MarkingUnit | undefined;
  /** 0xFF3A/0xFF3B read-back position (RAM). */
  private readonly readout = new TlvReadout();
  private shiftTags: ShiftDocumentTags | null = null;
  /** How many times 0x28 opened the drawer (a test reads it; a real drawer just springs open). */
  drawerOpenings = 0;

  constructor(
    private state: EmulatorState,
    private readonly opts: ModelOptions,
  ) {}

  get documents(): readonly StoredDocument[] {
    return this.state.documents;
  }

  /** The firmware's settings as they are now (tests reprogram table 6 through it, as IT would). */
  get firmware(): Firmware {
    return this.opts.firmware;
  }

  get snapshot(): EmulatorState {
    return this.state;
  }

  get hasOpenReceipt(): boolean {
    return this.openReceipt !== null;
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** FF61/FF67/FF69 (./marking.ts); its table of accepted codes is the ФН's, kept in the state. */
  get marking(): MarkingUnit {
    const state = this.state;
    this.markingUnit ??= new MarkingUnit(
      {
        get accepted() {
          return state.markingAccepted ?? [];
        },
        set accepted(codes: string[]) {
          state.markingAccepted = codes;
        },
      },
      () => this.persist(),
    );
    return this.markingUnit;
  }

  /** A power cut: RAM is gone (the open receipt with it), the ФН keeps what it fiscalized. */
  powerLoss(): void {
    this.openReceipt = null;
    this.marking.powerLoss();
    this.readout.forget();
    this.shiftTags = null;
    this.busyUntil = 0;
    this.submode = this.paper === 'ok' ? 0 : 1;
  }

  setPaper(p: 'ok' | 'out'): void {
    this.paper = p;
    if (p === 'out') this.submode = this.openReceipt ? 2 : 1;
    else if (this.submode === 2) this.submode = 3;
    else if (this.submode === 1) this.submode = 0;
  }

  execute(payload: Buffer): ExecResult {
    const code = payload[0] === 0xff ? 0xff00 | (payload[1] ?? 0) : (payload[0] ?? 0);
    const data = payload.subarray(code > 0xff ? 2 : 1);
    const head = code > 0xff ? Buffer.from([0xff, code & 0xff]) : Buffer.from([code]);
    const p = this.opts.processing;
    const ms = (n: number): number => n * this.opts.processingScale;
    const fail = (e: number, t = p.status): ExecResult => ({ answer: Buffer.concat([head, Buffer.from([e])]), processingMs: ms(t) });
    const ok = (body: Buffer, t: number, event?: ExecEvent): ExecResult => ({ answer: Buffer.concat([head, Buffer.from([0]), body]), processingMs: ms(t), ...(event ? { event } : {}) });
    const operatorByte = Buffer.from([30]);

    // 0xFC carries no password (javapos ReadDeviceMetrics: "Length: 1 byte"; pyshtrih command_nopass).
    if (code === 0xfc) return ok(this.identityBody(), p.status);
    if (data.length < 4) return fail(E.badParams);
    if (data.readUInt32LE(0) !== this.opts.password) return fail(E.badPassword);
    const args = data.subarray(4);
    const statusLike = code === 0x10 || code === 0x11 || code === 0x1a || code === 0x1f || code === 0xff01 || code === 0xff0a;
    if (!statusLike && Date.now() < this.busyUntil) return fail(E.busy);

    switch (code) {
      case 0x10:
        return ok(this.shortStatusBody(), p.status);
      case 0x11:
        return ok(this.fullStatusBody(), p.status);
      case 0xff01:
        return ok(this.fnStatusBody(), p.fnQuery);
      case 0xff0a: {
        if (args.length < 4) return fail(E.badParams);
        const doc = this.state.documents.find((d) => d.number === args.readUInt32LE(0));
        return doc ? ok(this.documentBody(doc), p.fnQuery) : fail(E.fnNotFound, p.fnQuery);
      }
      case 0x1e: {
        if (args.length < 5) return fail(E.badParams);
        const [table = 0, , , field = 0] = args;
        const row = args.readUInt16LE(1);
        const value = args.subarray(4);
        if (table === 2 && field === 2) {
          this.state.operatorName = iconv.decode(value, 'win1251').replace(/\0+$/, '').trim();
          this.persist();
        } else if (table === 6 || table === 17) {
          if (!this.writeSetting(table, row, field, value)) return fail(E.badParams);
        }
        return ok(Buffer.alloc(0), p.writeTable);
      }
      case 0x1f: {
        if (args.length < 4) return fail(E.badParams);
        const value = this.readSetting(args[0] ?? 0, args.readUInt16LE(1), args[3] ?? 0);
        return value ? ok(value, p.status) : fail(E.badParams);
      }
      case 0xff0c: {
        if (args.length < 4) return fail(E.badParams);
        const tag = args.readUInt16LE(0);
        if (args.readUInt16LE(2) > (TLV_MAX_BYTES[tag] ?? Infinity)) return fail(E.badParams);
        const value = iconv.decode(args.subarray(4, 4 + args.readUInt16LE(2)), 'win1251');
        const target = this.openReceipt ?? this.shiftTags;
        if (target && tag === 1021) target.cashier = value;
        if (target && tag === 1203) target.cashierInn = value;
        if (this.openReceipt && tag === 1008) this.openReceipt.customerContact = value;
        return ok(Buffer.alloc(0), p.tlv);
      }
      case 0xff41:
      case 0xff42: {
        if (this.openReceipt) return fail(E.receiptOpen);
        const opening = code === 0xff41;
        if (opening === this.state.shift.open) return fail(E.wrongMode);
        this.shiftTags = { kind: opening ? 'open' : 'close' };
        return ok(Buffer.alloc(0), p.tlv);
      }
      case 0x28:
        if ((args[0] ?? 2) > 1) return fail(E.badParams);
        this.drawerOpenings += 1;
        return ok(operatorByte, p.status);
      case 0x1a: {
        const value = this.cashRegister(args[0]);
        return value === undefined ? fail(E.badParams) : ok(Buffer.concat([operatorByte, uint(value, 6)]), p.status);
      }
      case 0x50:
      case 0x51:
        return this.cashDocument(code === 0x50 ? 'in' : 'out', args, ok, fail);
      case 0xb0:
        if (this.submode === 3) this.submode = 0;
        return ok(operatorByte, p.continuePrint);
      case 0x17: {
        if (args.length > 1 + PRINT_LINE_BYTES) return fail(E.badParams);
        const blocked = this.printBlock();
        if (blocked) return fail(blocked);
        this.tape.push(iconv.decode(args.subarray(1), 'win1251').replace(/\0+$/, ''));
        return ok(operatorByte, p.printLine);
      }
      case 0x40: {
        const blocked = this.printBlock();
        if (blocked) return fail(blocked);
        if (this.openReceipt) return fail(E.receiptOpen);
        return ok(operatorByte, p.report);
      }
      case 0x41: {
        const blocked = this.printBlock();
        if (blocked) return fail(blocked);
        if (this.openReceipt) return fail(E.receiptOpen);
        if (!this.state.shift.open) return fail(E.wrongMode);
        this.fiscalize({ type: 5, shiftNumber: this.state.shift.number, ...this.takeShiftTags('close') });
        this.state.shift = { open: false, number: this.state.shift.number, openedAt: null };
        this.state.cash = { ...this.state.cash, inShiftMinor: 0, outShiftMinor: 0 };
        this.persist();
        return ok(operatorByte, p.report);
      }
      case 0xe0: {
        const blocked = this.printBlock();
        if (blocked) return fail(blocked);
        if (this.state.shift.open) return fail(E.wrongMode);
        this.state.shift = { open: true, number: this.state.shift.number + 1, openedAt: this.now().toISOString() };
        const tags = this.takeShiftTags('open');
        this.fiscalize({ type: 2, shiftNumber: this.state.shift.number, cashier: tags.cashier ?? this.state.operatorName, ...(tags.cashierInn ? { cashierInn: tags.cashierInn } : {}) });
        this.persist();
        return ok(operatorByte, p.openShift);
      }
      case 0x8d: {
        const type = args[0];
        if (type === undefined || type > 3) return fail(E.badParams);
        const refused = this.canOpenReceipt();
        if (refused) return fail(refused);
        this.openReceipt = { type, positions: [] };
        return ok(operatorByte, p.openReceipt);
      }
      case 0xff46:
      case 0xff45:
        if (this.marking.blocksReceipt) return fail(0xa1);
        return code === 0xff46 ? this.operation(args, ok, fail) : this.closeReceipt(args, ok, fail);
      case 0xff61:
      case 0xff67:
      case 0xff69: {
        const m = this.marking;
        const a = code === 0xff61 ? m.check(args) : code === 0xff69 ? m.decide(args) : m.bind(args, this.openReceipt?.positions ?? null);
        return 'body' in a ? ok(a.body, p.fnQuery) : fail(a.error, p.fnQuery);
      }
      case 0x88: {
        if (!this.openReceipt) return fail(E.receiptClosed);
        const blocked = this.printBlock();
        if (blocked === E.waitContinue) return fail(blocked);
        this.openReceipt = null;
        return ok(operatorByte, p.cancel);
      }
      case 0xff4a:
        return this.correction(args, ok, fail);
      case 0xff3a:
      case 0xff3b: {
        if (code === 0xff3a && args.length < 4) return fail(E.badParams);
        const a = code === 0xff3a
          ? this.readout.request(this.state.documents.find((d) => d.number === args.readUInt32LE(0)), this.state.fnNumber)
          : this.readout.nextBlock();
        return 'ok' in a ? ok(a.ok, p.fnQuery) : fail(a.error, p.fnQuery);
      }
      default:
        return fail(E.unsupported);
    }
  }

  private operation(args: Buffer, ok: (b: Buffer, t: number, e?: ExecEvent) => ExecResult, fail: (e: number, t?: number) => ExecResult): ExecResult {
    const p = this.opts.processing;
    if (args.length < 26 || args.length > 26 + MAX_NAME_BYTES) return fail(E.badParams);
    const operation = args[0] ?? 0;
    const quantityMicro = args.readUIntLE(1, 6);
    const priceMinor = args.readUIntLE(7, 5);
    const givenAmount = args.readUIntLE(12, 5);
    const givenTax = args.readUIntLE(17, 5);
    const taxByte = args[22] ?? 0;
    const paymentMethod = args[24] ?? 0;
    const itemSign = args[25] ?? 0;
    const name = iconv.decode(args.subarray(26), 'win1251');
    const receiptType = RECEIPT_TYPE_OF_OPERATION[operation];
    if (receiptType === undefined) return fail(E.badParams);
    // Sum FF..FF: the device takes price × quantity; a given sum must be within ±1 kopeck of it.
    const exact = BigInt(priceMinor) * BigInt(quantityMicro);
    const amountMinor = givenAmount === NOT_GIVEN ? Number((exact + 500_000n) / 1_000_000n) : givenAmount;
    const diff = exact - BigInt(amountMinor) * 1_000_000n;
    if (diff > 1_000_000n || diff < -1_000_000n) return fail(E.badParams);
    const group = groupOfTaxByte(taxByte);
    const vat = group === undefined ? undefined : this.vatOfGroup(group);
    if (quantityMicro === 0 || group === undefined || !vat) return fail(E.badParams);
    // 0 is accepted for both signs: the vendor's own driver sends FF46 with department, payment method and
    // item sign all 0 and the device answers OK (shtrih-m/fr_drv_ng issue 247, PROTOCOL.md §Golden frames).
    if (paymentMethod > 7 || itemSign > 33) return fail(E.badParams);
    if (!this.openReceipt) {
      const refused = this.canOpenReceipt();
      if (refused) return fail(refused);
      this.openReceipt = { type: receiptType, positions: [] };
    } else if (this.openReceipt.type !== receiptType) {
      return fail(E.wrongReceiptType);
    }
    if (this.openReceipt.positions.length >= MAX_POSITIONS_PER_RECEIPT) return fail(E.tooManyItems);
    const blocked = this.printBlock();
    if (blocked) return fail(blocked);
    // Tax FF..FF: not given, the device computes it; 0 % and без НДС carry no tax (javapos FSPrintRecItem).
    const vatMinor = givenTax === NOT_GIVEN ? taxOfLine(amountMinor, vat.rate) : givenTax;
    const added: StoredPosition = { name, priceMinor, quantityMicro, amountMinor, taxRate: taxByte, paymentMethod, itemSign, taxGroup: group, vatTag: vat.tag, vatRate: vat.rate, vatMinor };
    if (receiptDocumentBytes([...this.openReceipt.positions, added]) > (this.opts.maxDocumentBytes ?? ASSUMED_DOCUMENT_BYTES)) return fail(E.tlvTooLarge);
    this.openReceipt.positions.push(added);
    const count = this.openReceipt.positions.length;
    const event: ExecEvent = { kind: 'positionRegistered', count };
    if (this.paperOutAfterPositions !== null && count >= this.paperOutAfterPositions) {
      this.paperOutAfterPositions = null;
      this.paper = 'out';
      this.submode = 2;
      if (this.paperOutInterruptedAnswer === 'paperError') return { ...fail(E.noPaper, p.operation), event };
    }
    return ok(Buffer.alloc(0), p.operation, event);
  }

  /**
   * The rate and tag 1199 the device really records for a group: the table row's rate, the group's tag,
   * except that 2026 firmware left at "replace 20 with 22" prints 22 % for group 1 and 22/122 for group 5
   * once its own clock is in 2026 or later.
   */
  private vatOfGroup(group: number): { rate: number; tag: number } | undefined {
    const row = this.opts.firmware.taxRows[group - 1];
    const tag = TAG_1199_OF_GROUP[group];
    if (!row || tag === undefined) return undefined;
    const replacing = this.opts.firmware.generation === '2026' && this.opts.replace20With22 === 1 && this.now().getFullYear() >= 2026;
    if (replacing && group === 1) return { rate: 2200, tag: 11 };
    if (replacing && group === 5) return { rate: 2200, tag: 12 };
    return { rate: row.rate, tag };
  }

  /** Table 6 (tax rates), table 17 field 71 (2026 firmware), table 1 field 14 (who computes taxes: 0 = the device). */
  private readSetting(table: number, row: number, field: number): Buffer | undefined {
    const fw = this.opts.firmware;
    if (table === 6) {
      const r = fw.taxRows[row - 1];
      if (!r) return undefined;
      if (field === 1) return uint(r.rate, 2);
      if (field === 2) return fixedCp1251(r.name, 64);
      return undefined;
    }
    if (table === 17 && row === 1 && field === 71 && fw.generation === '2026') return Buffer.from([this.opts.replace20With22]);
    if (table === 1 && row === 1 && field === 14) return Buffer.from([0]);
    return undefined;
  }

  private writeSetting(table: number, row: number, field: number, value: Buffer): boolean {
    const fw = this.opts.firmware;
    if (table === 6) {
      const r: TaxRow | undefined = fw.taxRows[row - 1];
      if (!r || (field !== 1 && field !== 2)) return false;
      if (field === 1) r.rate = value.readUIntLE(0, Math.min(2, value.length));
      else r.name = iconv.decode(value, 'win1251').replace(/\0+$/, '');
      return true;
    }
    if (table === 17 && row === 1 && field === 71 && fw.generation === '2026' && (value[0] === 1 || value[0] === 2)) {
      this.opts.replace20With22 = value[0];
      return true;
    }
    return false;
  }

  private closeReceipt(args: Buffer, ok: (b: Buffer, t: number, e?: ExecEvent) => ExecResult, fail: (e: number, t?: number) => ExecResult): ExecResult {
    const p = this.opts.processing;
    if (!this.openReceipt) return fail(E.receiptClosed);
    if (args.length < 80 + 1 + 30 + 1) return fail(E.badParams);
    const blocked = this.printBlock();
    if (blocked) return fail(blocked);
    const payments = Array.from({ length: 16 }, (_, i) => args.readUIntLE(i * 5, 5));
    const total = this.openReceipt.positions.reduce((s, x) => s + x.amountMinor, 0);
    const paid = payments.reduce((s, x) => s + x, 0);
    const cash = payments[0] ?? 0;
    if (total === 0) return fail(E.zeroTotal);
    if (paid < total) return fail(E.paidLess);
    if (paid - cash > total) return fail(E.electronicTooBig);
    const receipt = this.openReceipt;
    const operation = OPERATION_OF_RECEIPT_TYPE[receipt.type] ?? 1;
    const doc = this.fiscalize({
      type: 3,
      shiftNumber: this.state.shift.number,
      operation,
      totalMinor: total,
      positions: receipt.positions,
      payments,
      ...(receipt.cashier ? { cashier: receipt.cashier } : {}),
      ...(receipt.cashierInn ? { cashierInn: receipt.cashierInn } : {}),
      ...(receipt.customerContact ? { customerContact: receipt.customerContact } : {}),
    });
    this.openReceipt = null;
    this.marking.receiptClosed();
    // Cash in the drawer: a sale keeps the cash it took (less change), a refund hands its cash part out.
    const cashMoved = operation === 1 || operation === 4 ? cash - (paid - total) : -cash;
    this.state.cash = { ...this.state.cash, inDrawerMinor: Math.max(0, this.state.cash.inDrawerMinor + cashMoved) };
    this.persist();
    const body = Buffer.concat([uint(paid - total, 5), uint(doc.number, 4), uint(doc.fiscalSign, 4), fnDateTimeBytes(doc.dateTime)]);
    return ok(body, p.closeReceipt, { kind: 'closeFiscalized', document: doc });
  }

  private correction(args: Buffer, ok: (b: Buffer, t: number) => ExecResult, fail: (e: number, t?: number) => ExecResult): ExecResult {
    const p = this.opts.processing;
    if (args.length < 2 + 30 + 30 + 1) return fail(E.badParams);
    if (this.openReceipt) return fail(E.receiptOpen);
    const refused = this.canOpenReceipt();
    if (refused) return fail(refused);
    const blocked = this.printBlock();
    if (blocked) return fail(blocked);
    const operation = args[1] ?? 0;
    if (operation !== 1 && operation !== 3) return fail(E.badParams);
    const total = args.readUIntLE(2, 5);
    const paid = [0, 1, 2, 3, 4].reduce((s, i) => s + args.readUIntLE(7 + i * 5, 5), 0);
    if (total === 0) return fail(E.zeroTotal);
    if (paid !== total) return fail(E.paidLess);
    const doc = this.fiscalize({ type: 31, shiftNumber: this.state.shift.number, operation, totalMinor: total });
    this.persist();
    return ok(Buffer.concat([uint(this.state.documents.filter((d) => d.type === 31).length, 2), uint(doc.number, 4), uint(doc.fiscalSign, 4)]), p.correction);
  }

  /** Tags FF0C gave the shift document now being printed; without FF41/FF42 first there are none. */
  private takeShiftTags(kind: ShiftDocumentTags['kind']): { cashier?: string; cashierInn?: string } {
    const tags = this.shiftTags?.kind === kind ? this.shiftTags : null;
    this.shiftTags = null;
    return { ...(tags?.cashier ? { cashier: tags.cashier } : {}), ...(tags?.cashierInn ? { cashierInn: tags.cashierInn } : {}) };
  }

  /** 241 cash in the drawer, 242/243 cash in/out this shift; the emulator models no other register. */
  private cashRegister(register: number | undefined): number | undefined {
    const c = this.state.cash;
    if (register === 241) return c.inDrawerMinor;
    if (register === 242) return c.inShiftMinor;
    if (register === 243) return c.outShiftMinor;
    return undefined;
  }

  /** 0x50 внесение / 0x51 выплата: in an open shift, no receipt open; a cash-out above the drawer is 0x46. */
  private cashDocument(kind: 'in' | 'out', args: Buffer, ok: (b: Buffer, t: number) => ExecResult, fail: (e: number, t?: number) => ExecResult): ExecResult {
    if (args.length < 5) return fail(E.badParams);
    const refused = this.canOpenReceipt();
    if (refused) return fail(refused);
    const blocked = this.printBlock();
    if (blocked) return fail(blocked);
    const amount = args.readUIntLE(0, 5);
    if (amount === 0) return fail(E.badParams);
    const c = this.state.cash;
    if (kind === 'out' && amount > c.inDrawerMinor) return fail(E.noCash);
    const documents = c.documents + 1;
    this.state.cash = kind === 'in'
      ? { inDrawerMinor: c.inDrawerMinor + amount, inShiftMinor: c.inShiftMinor + amount, outShiftMinor: c.outShiftMinor, documents }
      : { inDrawerMinor: c.inDrawerMinor - amount, inShiftMinor: c.inShiftMinor, outShiftMinor: c.outShiftMinor + amount, documents };
    this.persist();
    return ok(Buffer.concat([Buffer.from([30]), uint(documents & 0xffff, 2)]), this.opts.processing.printLine * 3);
  }

  private canOpenReceipt(): number {
    if (this.openReceipt) return E.receiptOpen;
    if (!this.state.shift.open) return E.shiftClosed;
    if (this.shiftExpired()) return E.shiftExpired;
    return 0;
  }

  /** What stops printing now: paper (or a cover that hides it) or a wait for the continue command. */
  private printBlock(): number {
    if (this.submode === 3) return E.waitContinue;
    if (this.paper === 'out' || this.coverOpen || this.submode === 1 || this.submode === 2) return E.noPaper;
    return 0;
  }

  private shiftExpired(): boolean {
    const at = this.state.shift.openedAt;
    return this.state.shift.open && at !== null && this.now().getTime() - Date.parse(at) > DAY_MS;
  }

  private fiscalize(doc: Omit<StoredDocument, 'number' | 'dateTime' | 'fiscalSign'>): StoredDocument {
    const number = this.state.lastDocumentNumber + 1;
    const d = this.now();
    const dateTime = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:00`;
    // Fiscal sign: an HMAC over the document, keyed per emulated ФН (a stand-in for the ФН's real MAC).
    const mac = createHmac('sha256', Buffer.from(this.state.hmacKeyHex, 'hex'))
      .update(`${this.state.fnNumber}|${number}|${doc.type}|${dateTime}|${doc.operation ?? 0}|${doc.totalMinor ?? 0}`)
      .digest();
    const stored: StoredDocument = { ...doc, number, dateTime, fiscalSign: mac.readUInt32LE(0) };
    stored.tlvHex = documentTlv(stored, this.state.fnNumber).toString('hex');
    this.state.lastDocumentNumber = number;
    this.state.documents.push(stored);
    return stored;
  }

  private modeByte(): number {
    if (this.openReceipt) return 8 | (this.openReceipt.type << 4);
    if (!this.state.shift.open) return 4;
    return this.shiftExpired() ? 3 : 2;
  }

  private flags(): number {
    let f = 0;
    if (this.paper === 'ok') f |= (1 << 1) | (1 << 7);
    if (this.coverOpen) f |= 1 << 10;
    return f;
  }

  private shortStatusBody(): Buffer {
    const ops = this.openReceipt?.positions.length ?? 0;
    return Buffer.concat([Buffer.from([30]), uint(this.flags(), 2), Buffer.from([this.modeByte(), this.submode, ops & 0xff, 0x9b, 0xb4, 0, 0, ops >> 8, 0, 0, 0])]);
  }

  private fullStatusBody(): Buffer {
    const d = this.now();
    const lastDoc = this.state.lastDocumentNumber & 0xffff;
    const inn = Buffer.from('007707083893', 'hex');
    const fw = this.opts.firmware;
    const version = Buffer.from(fw.version.replace('.', ''), 'latin1').subarray(0, 2);
    return Buffer.concat([
      Buffer.from([30]),
      version,
      uint(fw.build, 2),
      Buffer.from([...fw.date, 1]),
      uint(lastDoc, 2),
      uint(this.flags(), 2),
      Buffer.from([this.modeByte(), this.submode, 0, 0x31, 0x30]),
      uint(1234, 2),
      Buffer.from([1, 1, 24]),
      Buffer.from([d.getDate(), d.getMonth() + 1, d.getFullYear() - 2000, d.getHours(), d.getMinutes(), d.getSeconds()]),
      Buffer.from([0]),
      uint(this.state.serial % 2 ** 32, 4),
      uint(this.state.shift.open ? Math.max(0, this.state.shift.number - 1) : this.state.shift.number, 2),
      uint(1000, 2),
      Buffer.from([1, 11]),
      inn,
      uint(Math.floor(this.state.serial / 2 ** 32), 2),
    ]);
  }

  private identityBody(): Buffer {
    const d = DEVICE_IDENTITY;
    return Buffer.concat([Buffer.from([d.type, d.subtype, d.protocol, d.subprotocol, d.model, d.language]), iconv.encode(d.name, 'win1251')]);
  }

  private fnStatusBody(): Buffer {
    const fnNumber = Buffer.alloc(16, 0x20);
    fnNumber.write(this.state.fnNumber, 'latin1');
    const d = this.now();
    return Buffer.concat([
      Buffer.from([0x03, this.openReceipt ? 0x04 : 0x00, this.openReceipt && this.openReceipt.positions.length > 0 ? 1 : 0, this.state.shift.open ? 1 : 0, 0]),
      Buffer.from([d.getFullYear() - 2000, d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()]),
      fnNumber,
      uint(this.state.lastDocumentNumber, 4),
    ]);
  }

  private documentBody(doc: StoredDocument): Buffer {
    const head = Buffer.concat([Buffer.from([doc.type, 0]), fnDateTimeBytes(doc.dateTime), uint(doc.number, 4), uint(doc.fiscalSign, 4)]);
    if (doc.type === 3 || doc.type === 31) return Buffer.concat([head, Buffer.from([doc.operation ?? 0]), uint(doc.totalMinor ?? 0, 5)]);
    if (doc.type === 2 || doc.type === 5) return Buffer.concat([head, uint(doc.shiftNumber, 2)]);
    return head;
  }

  private persist(): void {
    this.opts.persist(this.state);
  }
}

function uint(v: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  b.writeUIntLE(v, 0, bytes);
  return b;
}

function fixedCp1251(text: string, width: number): Buffer {
  const out = Buffer.alloc(width);
  iconv.encode(text, 'win1251').copy(out, 0, 0, width);
  return out;
}

function fnDateTimeBytes(iso: string): Buffer {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) throw new Error(`bad stored date ${iso}`);
  return Buffer.from([Number(m[1]) - 2000, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])]);
}
