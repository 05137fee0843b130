import { createHmac } from 'node:crypto';
import iconv from 'iconv-lite';
import type { EmulatorState, StoredDocument, StoredPosition } from './state';

/**
 * The device side of the Shtrih-M command set, written from the protocol description on its own
 * (not from the driver's encoders), so a layout mistake on either side shows up as a failing test.
 * Command layouts: main/fiscal/PROTOCOL.md §Commands.
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
}

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
  customerContact?: string;
}

const E = {
  fnNotFound: 0x08,
  badParams: 0x33,
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
  wrongMode: 0x73,
  zeroTotal: 0x8e,
} as const;

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

  constructor(
    private state: EmulatorState,
    private readonly opts: ModelOptions,
  ) {}

  get documents(): readonly StoredDocument[] {
    return this.state.documents;
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

  /** A power cut: RAM is gone (the open receipt with it), the ФН keeps what it fiscalized. */
  powerLoss(): void {
    this.openReceipt = null;
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

    if (data.length < 4) return fail(E.badParams);
    if (data.readUInt32LE(0) !== this.opts.password) return fail(E.badPassword);
    const args = data.subarray(4);
    const statusLike = code === 0x10 || code === 0x11 || code === 0xff01 || code === 0xff0a;
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
        if (args[0] === 2 && args[3] === 2) {
          this.state.operatorName = iconv.decode(args.subarray(4), 'win1251').replace(/\0+$/, '').trim();
          this.persist();
        }
        return ok(Buffer.alloc(0), p.writeTable);
      }
      case 0xff0c: {
        if (args.length < 4) return fail(E.badParams);
        const tag = args.readUInt16LE(0);
        const value = iconv.decode(args.subarray(4, 4 + args.readUInt16LE(2)), 'win1251');
        if (this.openReceipt && tag === 1021) this.openReceipt.cashier = value;
        if (this.openReceipt && tag === 1008) this.openReceipt.customerContact = value;
        return ok(Buffer.alloc(0), p.tlv);
      }
      case 0xb0:
        if (this.submode === 3) this.submode = 0;
        return ok(operatorByte, p.continuePrint);
      case 0x17: {
        const blocked = this.printBlock();
        return blocked ? fail(blocked) : ok(operatorByte, p.printLine);
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
        this.fiscalize({ type: 5, shiftNumber: this.state.shift.number });
        this.state.shift = { open: false, number: this.state.shift.number, openedAt: null };
        this.persist();
        return ok(operatorByte, p.report);
      }
      case 0xe0: {
        const blocked = this.printBlock();
        if (blocked) return fail(blocked);
        if (this.state.shift.open) return fail(E.wrongMode);
        this.state.shift = { open: true, number: this.state.shift.number + 1, openedAt: this.now().toISOString() };
        this.fiscalize({ type: 2, shiftNumber: this.state.shift.number, cashier: this.state.operatorName });
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
        return this.operation(args, ok, fail);
      case 0xff45:
        return this.closeReceipt(args, ok, fail);
      case 0x88: {
        if (!this.openReceipt) return fail(E.receiptClosed);
        const blocked = this.printBlock();
        if (blocked === E.waitContinue) return fail(blocked);
        this.openReceipt = null;
        return ok(operatorByte, p.cancel);
      }
      case 0xff4a:
        return this.correction(args, ok, fail);
      default:
        return fail(E.unsupported);
    }
  }

  private operation(args: Buffer, ok: (b: Buffer, t: number, e?: ExecEvent) => ExecResult, fail: (e: number, t?: number) => ExecResult): ExecResult {
    const p = this.opts.processing;
    if (args.length < 27) return fail(E.badParams);
    const operation = args[0] ?? 0;
    const quantityMicro = args.readUIntLE(1, 6);
    const priceMinor = args.readUIntLE(7, 5);
    const amountMinor = args.readUIntLE(12, 5);
    const taxRate = args[22] ?? 0;
    const paymentMethod = args[24] ?? 0;
    const itemSign = args[25] ?? 0;
    const name = iconv.decode(args.subarray(26, 26 + 128), 'win1251');
    const receiptType = RECEIPT_TYPE_OF_OPERATION[operation];
    if (receiptType === undefined) return fail(E.badParams);
    // The register checks price × quantity against the given sum (±1 kopeck) and the one-of tags.
    const exact = BigInt(priceMinor) * BigInt(quantityMicro);
    const diff = exact - BigInt(amountMinor) * 1_000_000n;
    if (diff > 1_000_000n || diff < -1_000_000n) return fail(E.badParams);
    if (quantityMicro === 0 || ![1, 2, 4, 8, 16, 32].includes(taxRate)) return fail(E.badParams);
    if (paymentMethod < 1 || paymentMethod > 7 || itemSign < 1 || itemSign > 13) return fail(E.badParams);
    if (!this.openReceipt) {
      const refused = this.canOpenReceipt();
      if (refused) return fail(refused);
      this.openReceipt = { type: receiptType, positions: [] };
    } else if (this.openReceipt.type !== receiptType) {
      return fail(E.wrongReceiptType);
    }
    const blocked = this.printBlock();
    if (blocked) return fail(blocked);
    this.openReceipt.positions.push({ name, priceMinor, quantityMicro, amountMinor, taxRate, paymentMethod, itemSign });
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
      ...(receipt.customerContact ? { customerContact: receipt.customerContact } : {}),
    });
    this.openReceipt = null;
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
    return Buffer.concat([
      Buffer.from([30, 0x31, 0x30]),
      uint(1234, 2),
      Buffer.from([1, 1, 24, 1]),
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

function fnDateTimeBytes(iso: string): Buffer {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) throw new Error(`bad stored date ${iso}`);
  return Buffer.from([Number(m[1]) - 2000, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])]);
}
