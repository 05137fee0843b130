import { z } from 'zod';
import { Reader, fixedText, cp1251, fnDateTime, fromCp1251, uintLE } from './binary';
import { commandBytes, splitCommand } from './frameCodec';
import { deviceError, protocolError } from './errors';

/**
 * Typed Shtrih-M commands: each builds its request data and decodes its answer through a zod schema.
 * Layouts and sources: PROTOCOL.md §Commands. Every request starts with a 4-byte password.
 */
export const Cmd = {
  ShortStatus: 0x10,
  FullStatus: 0x11,
  PrintString: 0x17,
  WriteTable: 0x1e,
  ReadTable: 0x1f,
  ReadCashRegister: 0x1a,
  OpenDrawer: 0x28,
  CashIn: 0x50,
  CashOut: 0x51,
  XReport: 0x40,
  ZReport: 0x41,
  CancelReceipt: 0x88,
  OpenReceipt: 0x8d,
  ContinuePrint: 0xb0,
  OpenShift: 0xe0,
  DeviceType: 0xfc,
  FnStatus: 0xff01,
  FnFindDocument: 0xff0a,
  FnRequestDocumentTlv: 0xff3a,
  FnReadDocumentTlvBlock: 0xff3b,
  FnSendTlv: 0xff0c,
  FnStartShiftOpen: 0xff41,
  FnStartShiftClose: 0xff42,
  FnCloseReceiptV2: 0xff45,
  FnOperationV2: 0xff46,
  FnCorrectionV2: 0xff4a,
} as const;

/** Answer waits by what the command makes the device do. */
export const AnswerMs = { status: 3_000, print: 10_000, fiscal: 30_000, report: 90_000 } as const;

export interface CommandSpec<T> {
  code: number;
  data: Buffer;
  answerMs: number;
  decode(r: Reader): T;
}

export function requestPayload(spec: CommandSpec<unknown>): Buffer {
  return Buffer.concat([commandBytes(spec.code), spec.data]);
}

/** Splits an answer into code, error byte and data; a device error becomes an AppError. */
export function decodeAnswer<T>(spec: CommandSpec<T>, payload: Buffer): T {
  const { code, rest } = splitCommand(payload);
  if (code !== spec.code) throw protocolError(`answer to 0x${spec.code.toString(16)} carries code 0x${code.toString(16)}`);
  const err = rest[0];
  if (err === undefined) throw protocolError(`answer to 0x${code.toString(16)} has no error byte`);
  if (err !== 0) throw deviceError(err, code);
  try {
    return spec.decode(new Reader(rest.subarray(1)));
  } catch (cause) {
    throw protocolError(`cannot decode answer to 0x${code.toString(16)}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}

const pwd = (password: number): Buffer => uintLE(password, 4);
const u8 = z.number().int().min(0).max(0xff);
const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffff_ffff);

const OperatorAnswer = z.object({ operator: u8 });
const operatorOnly = (r: Reader) => OperatorAnswer.parse({ operator: r.remaining > 0 ? r.u8() : 0 });

// ---- 0x10 short status --------------------------------------------------------------------------
export const ShortStatus = z.object({
  operator: u8,
  flags: u16,
  /** Low nibble: mode (2 shift open, 3 shift over 24 h, 4 shift closed, 8 document open ...). */
  mode: z.number().int().min(0).max(15),
  /** High nibble of the mode byte: in mode 8 the document type (0 sale, 2 return of sale ...). */
  modeStatus: z.number().int().min(0).max(15),
  /** 0 paper, 1 no paper (passive), 2 no paper mid-print, 3 waits for 0xB0, 4/5 printing. */
  submode: z.number().int().min(0).max(15),
  receiptOperations: u16,
  batteryVoltage: u8,
  powerVoltage: u8,
});
export type ShortStatus = z.infer<typeof ShortStatus>;

export function shortStatus(password: number): CommandSpec<ShortStatus> {
  return {
    code: Cmd.ShortStatus,
    data: pwd(password),
    answerMs: AnswerMs.status,
    decode: (r) => {
      const operator = r.u8();
      const flags = r.uint(2);
      const modeByte = r.u8();
      const submode = r.u8();
      const opsLow = r.u8();
      const batteryVoltage = r.u8();
      const powerVoltage = r.u8();
      r.u8(); // FP error code
      r.u8(); // EKLZ error code
      const opsHigh = r.remaining > 0 ? r.u8() : 0;
      return ShortStatus.parse({ operator, flags, mode: modeByte & 0x0f, modeStatus: modeByte >> 4, submode, receiptOperations: opsLow | (opsHigh << 8), batteryVoltage, powerVoltage });
    },
  };
}

/** ECR flags (PROTOCOL.md §Flags): bit 1 receipt roll present, bit 7 receipt optical sensor, bit 10 cover up. */
export const Flag = { receiptRoll: 1 << 1, receiptOptical: 1 << 7, coverOpen: 1 << 10 } as const;

// ---- 0x11 full status ---------------------------------------------------------------------------
export const FullStatus = z.object({
  operator: u8,
  firmwareVersion: z.string(),
  firmwareBuild: u16,
  firmwareDate: z.string(),
  documentNumber: u16,
  flags: u16,
  mode: z.number().int().min(0).max(15),
  submode: z.number().int().min(0).max(15),
  date: z.string(),
  time: z.string(),
  serial: z.string().min(1),
  lastClosedShift: u16,
  inn: z.string(),
});
export type FullStatus = z.infer<typeof FullStatus>;

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function fullStatus(password: number): CommandSpec<FullStatus> {
  return {
    code: Cmd.FullStatus,
    data: pwd(password),
    answerMs: AnswerMs.status,
    decode: (r) => {
      const operator = r.u8();
      const ver = r.bytes(2);
      const firmwareBuild = r.uint(2);
      const [fd = 0, fm = 0, fy = 0] = r.bytes(3);
      r.u8(); // number in the hall
      const documentNumber = r.uint(2);
      const flags = r.uint(2);
      const modeByte = r.u8();
      const submode = r.u8();
      r.u8(); // port
      r.bytes(2 + 2 + 3); // FP version, build, date
      const [d = 0, m = 0, y = 0] = r.bytes(3);
      const [hh = 0, mi = 0, ss = 0] = r.bytes(3);
      r.u8(); // FP flags
      const serialLow = r.uint(4);
      const lastClosedShift = r.uint(2);
      r.uint(2); // free FP records
      r.u8(); // re-registrations
      r.u8(); // re-registrations left
      const innBytes = r.bytes(6);
      const serialHigh = r.remaining >= 2 ? r.uint(2) : 0;
      const inn = innBytes.every((b) => b === 0xff) ? '' : String(innBytes.readUIntBE(0, 6));
      return FullStatus.parse({
        operator,
        firmwareVersion: `${String.fromCharCode(ver[0] ?? 0x30)}.${String.fromCharCode(ver[1] ?? 0x30)}`,
        firmwareBuild,
        firmwareDate: `${2000 + fy}-${pad2(fm)}-${pad2(fd)}`,
        documentNumber,
        flags,
        mode: modeByte & 0x0f,
        submode,
        date: `${2000 + y}-${pad2(m)}-${pad2(d)}`,
        time: `${pad2(hh)}:${pad2(mi)}:${pad2(ss)}`,
        serial: String(serialHigh * 2 ** 32 + serialLow),
        lastClosedShift,
        inn,
      });
    },
  };
}

// ---- simple commands answered with the operator number -------------------------------------------
function simple(code: number, password: number, answerMs: number, extra: Buffer = Buffer.alloc(0)): CommandSpec<{ operator: number }> {
  return { code, data: Buffer.concat([pwd(password), extra]), answerMs, decode: operatorOnly };
}

export const xReport = (password: number) => simple(Cmd.XReport, password, AnswerMs.report);
export const zReport = (password: number) => simple(Cmd.ZReport, password, AnswerMs.report);
export const openShift = (password: number) => simple(Cmd.OpenShift, password, AnswerMs.report);
export const cancelReceipt = (password: number) => simple(Cmd.CancelReceipt, password, AnswerMs.fiscal);
export const continuePrint = (password: number) => simple(Cmd.ContinuePrint, password, AnswerMs.print);
/** 0x8D: document type 0 sale, 1 purchase, 2 return of sale, 3 return of purchase. */
export const openReceipt = (password: number, type: number) => simple(Cmd.OpenReceipt, password, AnswerMs.print, Buffer.from([type]));
/** 0x17: flags bit 0 control tape, bit 1 receipt tape; the line is a fixed 40-byte field. */
export const printString = (password: number, text: string) => simple(Cmd.PrintString, password, AnswerMs.print, Buffer.concat([Buffer.from([0x02]), fixedText(text, 40)]));

/** 0x1E write table: table, row (2 bytes), field, value. */
export function writeTableText(password: number, table: number, row: number, field: number, text: string, width: number): CommandSpec<{ operator: number }> {
  return {
    code: Cmd.WriteTable,
    data: Buffer.concat([pwd(password), Buffer.from([table]), uintLE(row, 2), Buffer.from([field]), fixedText(text, width)]),
    answerMs: AnswerMs.status,
    decode: () => ({ operator: 0 }),
  };
}

/** 0x1F read table: table, row (2 bytes), field; the answer is the field's bytes (BIN little-endian, or CP1251 text). */
export function readTable(password: number, table: number, row: number, field: number): CommandSpec<Buffer> {
  return {
    code: Cmd.ReadTable,
    data: Buffer.concat([pwd(password), Buffer.from([table]), uintLE(row, 2), Buffer.from([field])]),
    answerMs: AnswerMs.status,
    decode: (r) => Buffer.from(r.rest()),
  };
}

// ---- 0xFC device type (no password) -------------------------------------------------------------
export const DeviceType = z.object({
  type: u8,
  subtype: u8,
  protocol: u8,
  subprotocol: u8,
  model: u8,
  /** 0 Russian, 1 English. */
  language: u8,
  name: z.string(),
});
export type DeviceType = z.infer<typeof DeviceType>;

export function deviceType(): CommandSpec<DeviceType> {
  return {
    code: Cmd.DeviceType,
    data: Buffer.alloc(0),
    answerMs: AnswerMs.status,
    decode: (r) =>
      DeviceType.parse({
        type: r.u8(),
        subtype: r.u8(),
        protocol: r.u8(),
        subprotocol: r.u8(),
        model: r.u8(),
        language: r.u8(),
        name: fromCp1251(r.rest()).replace(/\0+$/, '').trim(),
      }),
  };
}

// ---- 0xFF01 FN status ---------------------------------------------------------------------------
export const FnStatus = z.object({
  lifePhase: u8,
  /** 0 none, 0x02 open-shift report, 0x04 receipt, 0x08 close-shift report ... */
  currentDocument: u8,
  documentDataReceived: z.boolean(),
  shiftOpen: z.boolean(),
  warnings: u8,
  dateTime: z.string(),
  fnNumber: z.string(),
  lastDocumentNumber: u32,
});
export type FnStatus = z.infer<typeof FnStatus>;

export function fnStatus(password: number): CommandSpec<FnStatus> {
  return {
    code: Cmd.FnStatus,
    data: pwd(password),
    answerMs: AnswerMs.status,
    decode: (r) =>
      FnStatus.parse({
        lifePhase: r.u8(),
        currentDocument: r.u8(),
        documentDataReceived: r.u8() !== 0,
        shiftOpen: r.u8() !== 0,
        warnings: r.u8(),
        dateTime: fnDateTime(r.bytes(5)),
        fnNumber: r.bytes(16).toString('latin1').replace(/\0+$/, '').trim(),
        lastDocumentNumber: r.uint(4),
      }),
  };
}

// ---- 0xFF0A find a fiscal document --------------------------------------------------------------
/** FN document types (ФФД tag 1000 values): 2 open shift, 3 receipt, 5 close shift, 31 correction receipt. */
export const FnDocType = { registration: 1, openShift: 2, receipt: 3, closeShift: 5, closeFiscalMode: 6, correction: 31 } as const;

export const FnDocument = z.object({
  type: u8,
  ofdReceiptReceived: z.boolean(),
  dateTime: z.string(),
  number: u32,
  fiscalSign: u32,
  /** Receipts and correction receipts: 1 income, 2 refund of income, 3 expense, 4 refund of expense. */
  operation: u8.optional(),
  totalMinor: z.number().int().nonnegative().optional(),
  shiftNumber: u16.optional(),
});
export type FnDocument = z.infer<typeof FnDocument>;

export function fnFindDocument(password: number, number: number): CommandSpec<FnDocument> {
  return {
    code: Cmd.FnFindDocument,
    data: Buffer.concat([pwd(password), uintLE(number, 4)]),
    answerMs: AnswerMs.status,
    decode: (r) => {
      const type = r.u8();
      const ofdReceiptReceived = r.u8() !== 0;
      const dateTime = fnDateTime(r.bytes(5));
      const docNumber = r.uint(4);
      const fiscalSign = r.uint(4);
      const tail: Partial<FnDocument> = {};
      if ((type === FnDocType.receipt || type === FnDocType.correction) && r.remaining >= 6) {
        tail.operation = r.u8();
        tail.totalMinor = r.uint(5);
      } else if ((type === FnDocType.openShift || type === FnDocType.closeShift) && r.remaining >= 2) {
        tail.shiftNumber = r.uint(2);
      }
      return FnDocument.parse({ type, ofdReceiptReceived, dateTime, number: docNumber, fiscalSign, ...tail });
    },
  };
}

// ---- 0xFF0C send a TLV (tag 1021 cashier, 1008 customer contact) ----------------------------------
export function fnSendTlv(password: number, tag: number, value: Buffer): CommandSpec<Record<string, never>> {
  return {
    code: Cmd.FnSendTlv,
    data: Buffer.concat([pwd(password), uintLE(tag, 2), uintLE(value.length, 2), value]),
    answerMs: AnswerMs.status,
    decode: () => ({}),
  };
}

export const fnSendTextTlv = (password: number, tag: number, text: string) => fnSendTlv(password, tag, cp1251(text));

// ---- 0xFF3A / 0xFF3B read a fiscal document back as TLV (PROTOCOL.md §Fiscal document read-back) ---
export const DocumentTlvHeader = z.object({
  /** ФФД document type (STLV tag): 3 receipt, 2 open shift, 5 close shift ... */
  documentType: u16,
  /** Bytes of TLV the following 0xFF3B answers carry in all. */
  length: u16,
});
export type DocumentTlvHeader = z.infer<typeof DocumentTlvHeader>;

/** 0xFF3A: system administrator password, document number (4); answer type (2), TLV length (2). */
export function fnRequestDocumentTlv(password: number, number: number): CommandSpec<DocumentTlvHeader> {
  return {
    code: Cmd.FnRequestDocumentTlv,
    data: Buffer.concat([pwd(password), uintLE(number, 4)]),
    answerMs: AnswerMs.status,
    decode: (r) => DocumentTlvHeader.parse({ documentType: r.uint(2), length: r.uint(2) }),
  };
}

/** 0xFF3B: password only; answer the next block of the document's TLV (the rest of the answer). */
export function fnReadDocumentTlvBlock(password: number): CommandSpec<Buffer> {
  return { code: Cmd.FnReadDocumentTlvBlock, data: pwd(password), answerMs: AnswerMs.status, decode: (r) => Buffer.from(r.rest()) };
}

// ---- 0xFF46 operation V2 ------------------------------------------------------------------------
export interface OperationV2 {
  operation: number;
  /** Quantity in millionths (the command carries 6 decimals). */
  quantityMicro: number;
  priceMinor: number;
  amountMinor: number;
  /** Bit mask of the tax group. */
  taxRate: number;
  paymentMethod: number;
  itemSign: number;
  name: string;
}

/** 0xFFFFFFFFFF in the tax field means "not given, the device computes it". */
const TAX_NOT_GIVEN = 0xff_ffff_ffff;

export function fnOperationV2(password: number, op: OperationV2): CommandSpec<Record<string, never>> {
  return {
    code: Cmd.FnOperationV2,
    data: Buffer.concat([
      pwd(password),
      Buffer.from([op.operation]),
      uintLE(op.quantityMicro, 6),
      uintLE(op.priceMinor, 5),
      uintLE(op.amountMinor, 5),
      uintLE(TAX_NOT_GIVEN, 5),
      Buffer.from([op.taxRate, 1 /* department */, op.paymentMethod, op.itemSign]),
      cp1251(op.name).subarray(0, 128),
    ]),
    answerMs: AnswerMs.print,
    decode: () => ({}),
  };
}

// ---- 0xFF45 close receipt V2 --------------------------------------------------------------------
/** Payment slots of FF45: 1 cash, 2 electronic, 14 prepayment (advance), 15 postpayment (credit), 16 counter. */
export interface CloseV2 {
  cashMinor: number;
  electronicMinor: number;
  prepaymentMinor: number;
  creditMinor: number;
  taxSystem: number;
  text?: string;
}

export const CloseReceiptAnswer = z.object({
  changeMinor: z.number().int().nonnegative(),
  documentNumber: u32,
  fiscalSign: u32,
  dateTime: z.string().optional(),
});
export type CloseReceiptAnswer = z.infer<typeof CloseReceiptAnswer>;

export function fnCloseReceiptV2(password: number, c: CloseV2): CommandSpec<CloseReceiptAnswer> {
  const payments = Array.from({ length: 16 }, () => 0);
  payments[0] = c.cashMinor;
  payments[1] = c.electronicMinor;
  payments[13] = c.prepaymentMinor;
  payments[14] = c.creditMinor;
  return {
    code: Cmd.FnCloseReceiptV2,
    data: Buffer.concat([
      pwd(password),
      ...payments.map((p) => uintLE(p, 5)),
      Buffer.from([0]), // rounding, kopecks
      ...Array.from({ length: 6 }, () => uintLE(0, 5)), // tax sums: 0 = the device computes them
      Buffer.from([c.taxSystem]),
      cp1251(c.text ?? '').subarray(0, 64),
    ]),
    answerMs: AnswerMs.fiscal,
    decode: (r) =>
      CloseReceiptAnswer.parse({
        changeMinor: r.uint(5),
        documentNumber: r.uint(4),
        fiscalSign: r.uint(4),
        ...(r.remaining >= 5 ? { dateTime: fnDateTime(r.bytes(5)) } : {}),
      }),
  };
}

// ---- 0xFF4A correction receipt V2 (ФФД 1.05) ----------------------------------------------------
export interface CorrectionV2 {
  correctionType: number;
  /** 1 income correction, 3 expense correction. */
  operation: number;
  totalMinor: number;
  cashMinor: number;
  electronicMinor: number;
  prepaymentMinor: number;
  creditMinor: number;
  counterMinor: number;
  /** VAT 20, VAT 10, 0 %, no VAT, 20/120, 10/110. */
  taxTotals: [number, number, number, number, number, number];
  taxSystem: number;
}

export const CorrectionAnswer = z.object({ receiptNumber: u16, documentNumber: u32, fiscalSign: u32 });
export type CorrectionAnswer = z.infer<typeof CorrectionAnswer>;

export function fnCorrectionV2(password: number, c: CorrectionV2): CommandSpec<CorrectionAnswer> {
  return {
    code: Cmd.FnCorrectionV2,
    data: Buffer.concat([
      pwd(password),
      Buffer.from([c.correctionType, c.operation]),
      ...[c.totalMinor, c.cashMinor, c.electronicMinor, c.prepaymentMinor, c.creditMinor, c.counterMinor].map((v) => uintLE(v, 5)),
      ...c.taxTotals.map((v) => uintLE(v, 5)),
      Buffer.from([c.taxSystem]),
    ]),
    answerMs: AnswerMs.fiscal,
    decode: (r) => CorrectionAnswer.parse({ receiptNumber: r.uint(2), documentNumber: r.uint(4), fiscalSign: r.uint(4) }),
  };
}


// ---- cash: drawer, cash in/out, cash register (PROTOCOL.md §Cash) ---------------------------------
/** 0x28 open cash drawer: drawer number 0 or 1. */
export const openDrawer = (password: number, drawer: number) => simple(Cmd.OpenDrawer, password, AnswerMs.status, Buffer.from([drawer]));

export const CashDocumentAnswer = z.object({ operator: u8, documentNumber: u16 });
export type CashDocumentAnswer = z.infer<typeof CashDocumentAnswer>;

function cashDocument(code: number, password: number, amountMinor: number): CommandSpec<CashDocumentAnswer> {
  return {
    code,
    data: Buffer.concat([pwd(password), uintLE(amountMinor, 5)]),
    answerMs: AnswerMs.print,
    decode: (r) => CashDocumentAnswer.parse({ operator: r.u8(), documentNumber: r.uint(2) }),
  };
}
/** 0x50 внесение / 0x51 выплата: sum (5 bytes); answer operator and the through document number (2 bytes). */
export const cashIn = (password: number, amountMinor: number) => cashDocument(Cmd.CashIn, password, amountMinor);
export const cashOut = (password: number, amountMinor: number) => cashDocument(Cmd.CashOut, password, amountMinor);

/** Cash register 241: "Cash total in ECR accumulation" (наличность в кассе). */
export const CASH_IN_DRAWER_REGISTER = 241;

/** 0x1A read a cash register: number (1 byte); answer operator and the value (6 bytes, kopecks). */
export function readCashRegister(password: number, register: number): CommandSpec<number> {
  return {
    code: Cmd.ReadCashRegister,
    data: Buffer.concat([pwd(password), Buffer.from([register])]),
    answerMs: AnswerMs.status,
    decode: (r) => {
      r.u8(); // operator
      return z.number().int().nonnegative().parse(r.uint(6));
    },
  };
}

// ---- FF41 / FF42: the shift documents' own TLVs (tags 1021, 1203) go between these and 0xE0 / 0x41 ---
const fnOnly = (code: number, password: number): CommandSpec<Record<string, never>> => ({ code, data: pwd(password), answerMs: AnswerMs.status, decode: () => ({}) });
export const fnStartShiftOpen = (password: number) => fnOnly(Cmd.FnStartShiftOpen, password);
export const fnStartShiftClose = (password: number) => fnOnly(Cmd.FnStartShiftClose, password);
