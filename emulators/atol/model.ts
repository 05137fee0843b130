import { createHmac } from 'node:crypto';
import iconv from 'iconv-lite';
import type { AtolDocument, AtolState } from './state';

/**
 * An ATOL device's command set as main/fiscal/atol/PROTOCOL.md §4 describes it: modes, shift, receipt,
 * ФН requests. Written from that document; answers are 'U' (55) + error + extension, or 'D' (44) for 3F.
 */
export const AtolError = {
  wrongMode: 102,
  noPaper: 103,
  refundOpen: 135,
  shiftExpired: 136,
  wrongPassword: 140,
  receiptClosed: 154,
  receiptOpen: 155,
  shiftOpen: 156,
  /** «В ККТ нет денег для выплаты» ([A4J] error-messages.properties). */
  notEnoughCash: 152,
  /** «Неверная длина», «Неверная величина скидки/надбавки» ([A4J] error-messages.properties). */
  wrongLength: 20,
  wrongDiscount: 123,
  noData: 218,
} as const;

export interface ModelOptions {
  /** Access password of modes 1–3 (4 BCD bytes); 30 as the vendor ships it. */
  modePassword: number;
  persist: (s: AtolState) => void;
  /** Milliseconds a printing command takes. */
  printMs: number;
  now: () => number;
}

export interface Execution {
  answer: Buffer;
  /** The device reports the task as failed (A4): an error answer 55 EC EXT. */
  failed: boolean;
  /** How long the device is busy with it before the answer is ready. */
  durationMs: number;
}

const bcd = (value: number, bytes: number): Buffer => {
  const out = Buffer.alloc(bytes);
  let v = value;
  for (let i = bytes - 1; i >= 0; i--) {
    const two = v % 100;
    out[i] = ((Math.floor(two / 10) << 4) | two % 10) & 0xff;
    v = Math.floor(v / 100);
  }
  return out;
};
const unbcd = (b: Buffer): number => {
  let v = 0;
  for (const x of b) v = v * 100 + (x >> 4) * 10 + (x & 0x0f);
  return v;
};
/** ATOL's table: CP866 with № and $ swapped (PROTOCOL.md §4). */
const atolText = (b: Buffer): string =>
  iconv
    .decode(b, 'cp866')
    .replace(/\0+$/, '')
    .replace(/[$№]/g, (c) => (c === '$' ? '№' : '$'));

/** The model byte of 3F and A5: a fixed value of ours (PROTOCOL.md §8). */
const MODEL_BYTE = 0x43;
const encodeText = (text: string): Buffer => iconv.encode(text.replace(/[$№]/g, (c) => (c === '$' ? '№' : '$')), 'cp866');

const ok = (...rest: Buffer[]): Buffer => Buffer.concat([Buffer.from([0x55, 0, 0]), ...rest]);
const fail = (code: number): Buffer => Buffer.from([0x55, code, 0]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/**
 * A position's sum before E6's discount or markup: price × quantity rounded half up to the kopeck
 * (main/fiscal/atol/PROTOCOL.md §4 "A line's sum", our rule). The driver has its own copy of the rule
 * (emulators import nothing from main/); lineSum.test.ts checks the two agree.
 */
export const roundedLineSum = (priceMinor: number, quantityMilli: number): number => Number((BigInt(priceMinor) * BigInt(quantityMilli) + 500n) / 1000n);

/** Receipt type byte (command 92) → tag 1054 and FFD document type. */
const RECEIPT_KINDS: Record<number, { operation: number; docType: number }> = {
  1: { operation: 1, docType: 3 },
  2: { operation: 2, docType: 3 },
  4: { operation: 3, docType: 3 },
  5: { operation: 4, docType: 3 },
  7: { operation: 1, docType: 31 },
  9: { operation: 3, docType: 31 },
};

export class AtolModel {
  /** 0 selection, 1 registration, 2 X reports, 3 Z reports (RAM: a power cut returns to 0). */
  mode = 0;
  paperOut = false;

  constructor(
    readonly state: AtolState,
    private readonly o: ModelOptions,
  ) {}

  /** Power-on: a receipt left open by a power cut is annulled, nothing of it is fiscalized. */
  powerOn(): void {
    if (this.state.receipt) {
      this.state.receipt = null;
      this.o.persist(this.state);
    }
    this.mode = 0;
  }

  execute(request: Buffer): Execution {
    const code = request[2] ?? 0;
    const r = this.run(code, request.subarray(3));
    // 45 answers 55 mode flags: its second byte is no error code ([A4J] DeviceStateCodeRequest).
    return { ...r, failed: code !== 0x45 && r.answer[0] === 0x55 && r.answer[1] !== 0 };
  }

  private run(code: number, data: Buffer): Omit<Execution, 'failed'> {
    const quick = (answer: Buffer): Omit<Execution, 'failed'> => ({ answer, durationMs: 0 });
    const printed = (answer: Buffer): Omit<Execution, 'failed'> => ({ answer, durationMs: answer[1] === 0 ? this.o.printMs : 0 });
    switch (code) {
      case 0x3f:
        return quick(this.deviceState());
      case 0x45:
        return quick(Buffer.from([0x55, this.mode, this.paperOut ? 1 : 0]));
      case 0x56:
        return quick(this.enterMode(data));
      case 0x48:
        if (this.state.receipt) return quick(fail(AtolError.receiptOpen));
        this.mode = 0;
        return quick(ok());
      case 0xe8:
        return quick(this.writeTag(data));
      case 0x9a:
        return printed(this.openShift());
      case 0x5a:
        return printed(this.closeShift());
      case 0x67:
        if (this.mode !== 2) return quick(fail(AtolError.wrongMode));
        return printed(this.print([`X-ОТЧЕТ СМЕНА ${this.state.shift.number}`]));
      case 0x92:
        return quick(this.openReceipt(data));
      case 0xe6:
        return printed(this.register(data));
      case 0x99:
        return quick(this.pay(data));
      case 0x4a:
        return printed(this.closeReceipt(data));
      case 0x59:
        if (!this.state.receipt) return quick(fail(AtolError.receiptClosed));
        this.state.receipt = null;
        this.o.persist(this.state);
        return printed(this.print(['ЧЕК АННУЛИРОВАН']));
      case 0x4c:
        return printed(this.print([atolText(data)]));
      case 0x80:
        return quick(ok());
      case 0xa5:
        return quick(this.deviceType());
      case 0x4d:
        return quick(Buffer.concat([Buffer.from([0x4d]), bcd(this.state.cashMinor, 7)]));
      case 0x49:
      case 0x4f:
        return printed(this.moveCash(code === 0x49 ? 1 : -1, unbcd(data.subarray(1, 6))));
      case 0xa4:
        return quick(this.fnRequest(data));
      default:
        return quick(fail(AtolError.wrongMode));
    }
  }

  private deviceState(): Buffer {
    const d = new Date(this.o.now());
    const s = this.state;
    const flags = 1 | (s.shift.open ? 2 : 0) | (this.paperOut ? 0 : 8);
    const receiptSum = s.receipt ? s.receipt.lines.reduce((a, l) => a + l.amountMinor, 0) : 0;
    return Buffer.concat([
      Buffer.from([0x44, 0x01, 0x01]),
      bcd(d.getFullYear() % 100, 1),
      bcd(d.getMonth() + 1, 1),
      bcd(d.getDate(), 1),
      bcd(d.getHours(), 1),
      bcd(d.getMinutes(), 1),
      bcd(d.getSeconds(), 1),
      Buffer.from([flags]),
      bcd(Number(s.serial.slice(-8)), 4),
      Buffer.from([MODEL_BYTE, 0x05, 0x00, this.mode & 0x0f]),
      // Receipt number: the shift's last document (receipts and cash documents), ours (PROTOCOL.md §8).
      bcd(s.shift.receipts, 2),
      bcd(s.shift.number, 2),
      Buffer.from([s.receipt?.type ?? 0]),
      bcd(receiptSum, 5),
      Buffer.from([2, 1]),
    ]);
  }

  /** A5 ([A4J] DeviceTypeRequest): error, protocol, type, model, mode (2), version (5), name. */
  private deviceType(): Buffer {
    return Buffer.concat([Buffer.from([0, 3, 1, MODEL_BYTE, 0, this.mode]), Buffer.from([0x05, 0x09, 0x00, 0x72, 0x13]), encodeText('АТОЛ 30Ф')]);
  }

  /** 49 внесение (+1) / 4F выплата (−1), registration mode, no receipt open. */
  private moveCash(sign: 1 | -1, amount: number): Buffer {
    if (this.mode !== 1 || !this.state.shift.open || this.state.receipt) return fail(AtolError.wrongMode);
    if (sign < 0 && amount > this.state.cashMinor) return fail(AtolError.notEnoughCash);
    if (this.paperOut) return fail(AtolError.noPaper);
    this.state.cashMinor += sign * amount;
    this.state.shift.receipts++;
    this.o.persist(this.state);
    return this.print([`${sign > 0 ? 'ВНЕСЕНИЕ' : 'ВЫПЛАТА'} ${amount / 100}`]);
  }

  private enterMode(data: Buffer): Buffer {
    const mode = data[0] ?? 0;
    if (this.mode !== 0 && this.mode !== mode) return fail(AtolError.wrongMode);
    if (unbcd(data.subarray(1, 5)) !== this.o.modePassword) return fail(AtolError.wrongPassword);
    this.mode = mode;
    return ok();
  }

  private writeTag(data: Buffer): Buffer {
    const tag = data.readUInt16LE(0);
    const len = data.readUInt16LE(2);
    const value = atolText(data.subarray(4, 4 + len));
    const target = this.state.receipt ? this.state.receipt.tags : this.state.pendingTags;
    target[String(tag)] = value;
    this.o.persist(this.state);
    return ok();
  }

  private shiftExpired(): boolean {
    return this.state.shift.open && this.o.now() - this.state.shift.openedAtMs > 24 * 3_600_000;
  }

  private openShift(): Buffer {
    if (this.mode !== 1) return fail(AtolError.wrongMode);
    if (this.state.shift.open) return fail(AtolError.shiftOpen);
    if (this.paperOut) return fail(AtolError.noPaper);
    this.state.shift = { open: true, number: this.state.shift.number + 1, openedAtMs: this.o.now(), receipts: 0 };
    this.fiscalize({ type: 2, operation: 0, totalMinor: 0, lines: [], payments: [], tags: this.takePendingTags() });
    return ok();
  }

  private closeShift(): Buffer {
    if (this.mode !== 3 || !this.state.shift.open) return fail(AtolError.wrongMode);
    if (this.paperOut) return fail(AtolError.noPaper);
    this.state.shift = { ...this.state.shift, open: false };
    this.fiscalize({ type: 5, operation: 0, totalMinor: 0, lines: [], payments: [], tags: this.takePendingTags() });
    return ok();
  }

  private openReceipt(data: Buffer): Buffer {
    if (this.mode !== 1 || !this.state.shift.open) return fail(AtolError.wrongMode);
    if (this.shiftExpired()) return fail(AtolError.shiftExpired);
    if (this.state.receipt) return fail(this.state.receipt.type === 2 ? AtolError.refundOpen : AtolError.receiptOpen);
    const type = data[1] ?? 0;
    if (!RECEIPT_KINDS[type]) return fail(AtolError.wrongMode);
    this.state.receipt = { type, lines: [], payments: [], tags: this.takePendingTags() };
    this.o.persist(this.state);
    return ok();
  }

  /**
   * E6 (PROTOCOL.md §4; data index = [A4J] offset − 1): flags, name 64, price 6 BCD, qty 5 BCD, discount
   * type, sign (0 discount, 1 markup), discount 6 BCD, tax, section; then our 1212 and 1214. The line's sum is
   * the device's rounding of price × quantity with the discount or markup applied, as the ФН stores it.
   */
  private register(data: Buffer): Buffer {
    const r = this.state.receipt;
    if (!r) return fail(AtolError.receiptClosed);
    if (data.length < 103) return fail(AtolError.wrongLength);
    if (this.paperOut) return fail(AtolError.noPaper);
    const priceMinor = unbcd(data.subarray(65, 71));
    const quantityMilli = unbcd(data.subarray(71, 76));
    const [type, sign] = [data[76], data[77]];
    const discount = unbcd(data.subarray(78, 84));
    // A discount other than by sum (type 1, [A4J]) is not modelled; a wrong sign or one beyond the sum is refused.
    const amountMinor = roundedLineSum(priceMinor, quantityMilli) + (sign === 1 ? discount : -discount);
    if ((discount > 0 && type !== 1) || (sign !== 0 && sign !== 1) || amountMinor < 0) return fail(AtolError.wrongDiscount);
    const line = { name: atolText(data.subarray(1, 65)), priceMinor, quantityMilli, amountMinor, tax: data[84] ?? 0, sign: data[86] ?? 0, method: data[87] ?? 0 };
    r.lines.push(line);
    this.o.persist(this.state);
    const adjusted = discount > 0 ? [`${sign === 1 ? 'НАДБАВКА' : 'СКИДКА'} ${discount / 100} = ${amountMinor / 100}`] : [];
    return this.print([`${line.name} ${quantityMilli / 1000} x ${priceMinor / 100}`, ...adjusted]);
  }

  private pay(data: Buffer): Buffer {
    const r = this.state.receipt;
    if (!r) return fail(AtolError.receiptClosed);
    r.payments.push({ type: data[1] ?? 0, amountMinor: unbcd(data.subarray(2, 7)) });
    this.o.persist(this.state);
    return ok();
  }

  private closeReceipt(data: Buffer): Buffer {
    const r = this.state.receipt;
    if (!r) return fail(AtolError.receiptClosed);
    if (this.paperOut) return fail(AtolError.noPaper);
    const last = { type: data[1] ?? 0, amountMinor: unbcd(data.subarray(2, 7)) };
    const payments = last.amountMinor > 0 ? [...r.payments, last] : r.payments;
    const paid = payments.reduce((a, p) => a + p.amountMinor, 0);
    // A correction receipt carries no positions: its total is what was paid.
    const total = r.lines.length > 0 ? r.lines.reduce((a, l) => a + l.amountMinor, 0) : paid;
    // 114 «Сумма платежей меньше суммы чека» ([A4J] error texts).
    if (paid < total) return fail(114);
    const kind = RECEIPT_KINDS[r.type] ?? { operation: 0, docType: 3 };
    // Cash comes in with приход and возврат расхода, goes out with возврат прихода and расход (tag 1054);
    // a drawer cannot go below empty, so a refund paid beyond it leaves it at 0 (ours: PROTOCOL.md §8).
    const cash = payments.filter((p) => p.type === 1).reduce((a, p) => a + p.amountMinor, 0);
    this.state.cashMinor = Math.max(0, this.state.cashMinor + (kind.operation === 1 || kind.operation === 4 ? cash : -cash));
    this.state.receipt = null;
    this.state.shift.receipts++;
    this.fiscalize({ type: kind.docType, operation: kind.operation, totalMinor: total, lines: r.lines, payments, tags: r.tags });
    return ok();
  }

  private fnRequest(data: Buffer): Buffer {
    const s = this.state;
    switch (data[0]) {
      case 0x10: {
        const b = Buffer.alloc(5);
        b[0] = s.shift.open ? 1 : 0;
        b.writeUInt16LE(s.shift.number, 1);
        b.writeUInt16LE(s.shift.receipts, 3);
        return ok(b);
      }
      case 0x30: {
        const last = s.documents.at(-1);
        return ok(
          Buffer.from([3, s.shift.open ? 1 : 0, s.receipt ? 1 : 0]),
          u32(last?.number ?? 0),
          Buffer.from(s.fnNumber.padEnd(16, ' ').slice(0, 16), 'ascii'),
          Buffer.from(this.shiftExpired() ? [1] : [0]),
        );
      }
      case 0x45: {
        const n = data.readUInt32LE(1);
        const d = s.documents.find((x) => x.number === n);
        if (!d) return fail(AtolError.noData);
        const total = Buffer.alloc(6);
        total.writeUIntLE(d.totalMinor, 0, 6);
        const dt = new Date(d.dateTime);
        return ok(
          Buffer.from([d.type]),
          u32(d.number),
          u32(d.fiscalSign),
          Buffer.from([dt.getUTCFullYear() % 100, dt.getUTCMonth() + 1, dt.getUTCDate(), dt.getUTCHours(), dt.getUTCMinutes()]),
          Buffer.from([d.operation]),
          total,
        );
      }
      default:
        return fail(AtolError.wrongMode);
    }
  }

  private takePendingTags(): Record<string, string> {
    const t = this.state.pendingTags;
    this.state.pendingTags = {};
    return t;
  }

  private fiscalize(doc: Omit<AtolDocument, 'number' | 'fiscalSign' | 'dateTime'>): void {
    const number = (this.state.documents.at(-1)?.number ?? 0) + 1;
    const minute = new Date(Math.floor(this.o.now() / 60_000) * 60_000).toISOString();
    const fiscalSign = createHmac('sha256', this.state.fnNumber).update(`${number}|${minute}|${doc.totalMinor}`).digest().readUInt32LE(0);
    this.state.documents.push({ ...doc, number, fiscalSign, dateTime: minute });
    this.state.printed.push(`ФД ${number} ФП ${fiscalSign}`);
    this.o.persist(this.state);
  }

  private print(lines: string[]): Buffer {
    if (this.paperOut) return fail(AtolError.noPaper);
    this.state.printed.push(...lines);
    return ok();
  }
}
