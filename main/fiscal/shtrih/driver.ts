import { EventEmitter } from 'node:events';
import { AppError, isAppError } from '../../appError';
import {
  Flag,
  cancelReceipt,
  continuePrint,
  decodeAnswer,
  deviceType,
  fnCloseReceiptV2,
  fnCorrectionV2,
  fnFindDocument,
  fnOperationV2,
  fnSendTextTlv,
  fnStatus,
  fnStartShiftClose,
  fnStartShiftOpen,
  fullStatus,
  cashIn,
  cashOut,
  openDrawer,
  readCashRegister,
  CASH_IN_DRAWER_REGISTER,
  openReceipt,
  openShift,
  printString,
  readTable,
  requestPayload,
  shortStatus,
  writeTableText,
  xReport,
  zReport,
  type CloseReceiptAnswer,
  type CommandSpec,
  type FnStatus,
  type FullStatus,
  type ShortStatus,
} from './commands';
import { OPERATION_NAMES, judgeNewDocuments, type FiscalDocument, type ReconcileExpectation, type ReconcileOutcome } from '../documents';
import { toFiscalDocument } from './fnDocument';
import type { DeviceConnectOptions, DeviceIdentity, DeviceStatus, FiscalDevice, FiscalDeviceEvents, PrinterState } from '../device';
import { isPortOptions, openSerialPort } from '../port';
import {
  FiscalCorrection,
  ITEM_SIGN_CODE,
  OPEN_RECEIPT_TYPE,
  OPERATION_CODE,
  PAYMENT_METHOD_CODE,
  TAX_SYSTEM_CODE,
  checkReceipt,
  parseReceipt,
  validationError,
  type FiscalCorrectionInput,
  type FiscalReceiptInput,
  type TaxSystem,
} from '../receipt';
import { planTaxGroups, type DeviceTaxFacts, type TaxGroupPlan, type TaxRow, type VatGroups } from '../taxGroups';
import { taxByteOfGroup } from './taxByte';
import { fromCp1251 } from './binary';
import { ShtrihTransport, type TransportStats, type TransportTimeouts } from './transport';
import { MARKING_REFUSED, bindPositionCode, checkReceiptCodes } from './markingCheck';
import { readDocumentTlv, readReceipt } from './documentReadback';
import type { DocumentTlv } from '../tlv';
import type { FfdReceipt } from '../ffdReceipt';


export interface DriverTimeouts {
  /** How long a cashier gets to load paper mid-receipt before the driver gives the receipt back unfinished. */
  paperWaitMs: number;
  /** Status polling while waiting for a person to load paper or close the cover. */
  paperPollMs: number;
  /** Pause before resending a command the device refused with "printing the previous command". */
  busyRetryMs: number;
  busyMaxMs: number;
}

const DEFAULT_DRIVER_TIMEOUTS: DriverTimeouts = { paperWaitMs: 300_000, paperPollMs: 400, busyRetryMs: 40, busyMaxMs: 60_000 };

/** The neutral status with Shtrih-M's own mode numbers (PROTOCOL.md §Commands, "Modes"), for its tests and logs. */
export interface ShtrihStatus extends DeviceStatus {
  mode: number;
  submode: number;
  /** Operations of the open receipt (0x10): after a paper break, how many positions made it in. */
  receiptOperations: number;
}

/**
 * The device interface's options with Shtrih-M's own timings by name. The password defaults to the system
 * administrator's (30); `vatGroups` overrides table 6 per rate.
 */
export interface ConnectOptions extends Omit<DeviceConnectOptions, 'timeouts'> {
  timeouts?: Partial<TransportTimeouts & DriverTimeouts>;
}

const MODE_TEXT: Record<number, string> = {
  0: 'принтер в рабочем режиме',
  2: 'смена открыта',
  3: 'смена открыта больше 24 часов',
  4: 'смена закрыта',
  5: 'блокировка по паролю налогового инспектора',
  6: 'ожидание подтверждения даты',
  8: 'открыт документ',
};

/** Table 6 "Налоговые ставки"; 2026 firmware has 12 rows, the protocol allows up to 63 groups. */
const TAX_TABLE = 6;
const MAX_TAX_GROUPS = 12;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const isPaperError = (e: unknown): boolean => isAppError(e) && (e.code === 'FISCAL_PAPER_OUT' || e.code === 'FISCAL_WAIT_CONTINUE');
const paperMissing = (s: ShortStatus): boolean => (s.flags & Flag.receiptRoll) === 0 || s.submode === 1 || s.submode === 2;

export class ShtrihDriver implements FiscalDevice {
  private readonly emitter = new EventEmitter();
  private state: PrinterState = { paperOut: false, coverOpen: false, offline: false, busy: false };
  private serial = '';
  /** What the device looked like when we connected: the saga reads it before anything else. */
  connectStatus!: ShtrihStatus;
  identity!: DeviceIdentity;
  /** Tax group per VAT rate for this device, and the rates it must not print (with the reason). */
  taxPlan!: TaxGroupPlan;
  taxFacts!: DeviceTaxFacts;
  /** Positions of the last receipt whose marking code had no ОИСМ answer (offline): the ФН sends it later. */
  lastUncheckedCodes: string[] = [];

  private constructor(
    private readonly transport: ShtrihTransport,
    private readonly password: number,
    private readonly t: DriverTimeouts,
    private readonly vatOverrides: VatGroups,
    private readonly defaultTaxSystem: TaxSystem,
  ) {}

  static async connect(opts: ConnectOptions): Promise<ShtrihDriver> {
    const port = isPortOptions(opts.port) ? await openSerialPort(opts.port) : opts.port;
    const baudRate = isPortOptions(opts.port) ? opts.port.baudRate : undefined;
    const transport = new ShtrihTransport(port, { ...(baudRate ? { baudRate } : {}), ...(opts.timeouts ? { timeouts: opts.timeouts } : {}), ...(opts.trace ? { trace: opts.trace } : {}) });
    const driver = new ShtrihDriver(
      transport,
      opts.password ?? 30,
      { ...DEFAULT_DRIVER_TIMEOUTS, ...opts.timeouts },
      opts.vatGroups ?? {},
      opts.defaultTaxSystem ?? 'osn',
    );
    try {
      await driver.identify();
      driver.connectStatus = await driver.status();
    } catch (e) {
      await transport.close();
      throw e;
    }
    return driver;
  }

  /**
   * 0xFC names the device (the vendor's driver and public clients ask it first), 0x11 gives serial and
   * firmware, table 6 the tax rates it prints, table 17 field 71 whether 2026 firmware swaps 20 % for 22 %.
   */
  private async identify(): Promise<void> {
    const type = await this.refusable(this.run(deviceType()));
    const full = await this.run(fullStatus(this.password));
    this.serial = full.serial;
    this.identity = {
      protocol: 'shtrih',
      model: type?.name ?? null,
      modelNumber: type?.model ?? null,
      protocolVersion: type ? `${type.protocol}.${type.subprotocol}` : null,
      firmware: full.firmwareVersion,
      firmwareBuild: full.firmwareBuild,
      firmwareDate: full.firmwareDate,
    };
    this.taxFacts = await this.readTaxFacts(full);
    this.taxPlan = planTaxGroups(this.taxFacts, this.vatOverrides);
  }

  /** Table 6 rows until the device refuses a row (pre-2026 firmware has 6, 2026 firmware 12). */
  private async readTaxFacts(full: FullStatus): Promise<DeviceTaxFacts> {
    const rows: TaxRow[] = [];
    for (let group = 1; group <= MAX_TAX_GROUPS; group++) {
      const rate = await this.refusable(this.run(readTable(this.password, TAX_TABLE, group, 1)));
      const name = rate && (await this.refusable(this.run(readTable(this.password, TAX_TABLE, group, 2))));
      if (!rate || !name) break;
      rows.push({ group, rate: rate.length > 0 ? rate.readUIntLE(0, Math.min(rate.length, 6)) : 0, name: fromCp1251(name).replace(/\0+$/, '').trim() });
    }
    const replace = rows.length >= 11 ? await this.refusable(this.run(readTable(this.password, 17, 1, 71))) : undefined;
    return {
      rows: rows.length > 0 ? rows : null,
      replace20With22: replace && replace.length > 0 ? (replace[0] ?? null) : null,
      deviceYear: Number(full.date.slice(0, 4)),
    };
  }

  /** A command the device may refuse (an older model, a table it does not have): its refusal is an answer. */
  private async refusable<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (e) {
      if (isAppError(e) && e.deviceCode !== undefined) return undefined;
      throw e;
    }
  }

  on<K extends keyof FiscalDeviceEvents>(event: K, listener: (...args: FiscalDeviceEvents[K]) => void): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof FiscalDeviceEvents>(event: K, listener: (...args: FiscalDeviceEvents[K]) => void): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  get printerState(): PrinterState {
    return { ...this.state };
  }

  get stats(): TransportStats {
    return { ...this.transport.stats };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  async status(): Promise<ShtrihStatus> {
    const s = await this.run(shortStatus(this.password));
    const fn = await this.run(fnStatus(this.password));
    return this.describe(s, fn);
  }

  async openShift(cashier: string, cashierInn?: string): Promise<FiscalDocument> {
    const s = await this.run(shortStatus(this.password));
    if (s.mode !== 4) throw modeError(s, 'Смена уже открыта.', 'FISCAL_SHIFT_OPEN');
    // Table 2 holds operator names; row 30 is the system administrator whose password we use.
    await this.run(writeTableText(this.password, 2, 30, 2, cashier, 21));
    await this.shiftTags(fnStartShiftOpen(this.password), cashier, cashierInn);
    await this.printing(openShift(this.password), async () => (await this.fnStatus()).shiftOpen);
    return this.lastDocument();
  }

  /**
   * FF41/FF42 start the shift document, FF0C gives it tags 1021/1203, then 0xE0/0x41 finish it (javapos
   * SMFiscalPrinterImpl beginFiscalDay/printZReport; PROTOCOL.md §Cashier). A device without FF41/FF42
   * prints the shift document with table 2's name alone: its refusal is an answer, not a failure.
   */
  private async shiftTags(start: CommandSpec<Record<string, never>>, cashier: string | undefined, cashierInn: string | undefined): Promise<void> {
    if (!cashier || !(await this.refusable(this.run(start)))) return;
    await this.run(fnSendTextTlv(this.password, 1021, cashier));
    if (cashierInn) await this.run(fnSendTextTlv(this.password, 1203, cashierInn));
  }

  /** 0x28: opens the cash drawer wired to the register (drawer 0). */
  async openDrawer(): Promise<void> {
    await this.run(openDrawer(this.password, 0));
  }

  /** Cash in the drawer as the register counts it (cash register 241), in kopecks. */
  async cashInDrawer(): Promise<number> {
    return this.run(readCashRegister(this.password, CASH_IN_DRAWER_REGISTER));
  }

  /** 0x50 внесение / 0x51 выплата: a register document that moves register 241; answers its document number. */
  async cashOperation(kind: 'in' | 'out', amountMinor: number): Promise<number> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > 0xff_ffff_ffff) {
      throw validationError('Сумма внесения или выплаты должна быть больше нуля.', `cash ${kind}: ${amountMinor}`);
    }
    this.refuseUnlessReady(await this.run(shortStatus(this.password)));
    const spec = kind === 'in' ? cashIn(this.password, amountMinor) : cashOut(this.password, amountMinor);
    const answer = await this.run(spec);
    return answer.documentNumber;
  }

  async xReport(): Promise<void> {
    await this.printing(xReport(this.password), async () => false);
  }

  async closeShift(cashier?: string, cashierInn?: string): Promise<FiscalDocument> {
    const before = await this.fnStatus();
    if (!before.shiftOpen) throw new AppError({ code: 'FISCAL_SHIFT_CLOSED', message: 'Смена уже закрыта.', retry: 'permanent', detail: 'close shift: FN reports no open shift' });
    await this.shiftTags(fnStartShiftClose(this.password), cashier, cashierInn);
    await this.printing(zReport(this.password), async () => !(await this.fnStatus()).shiftOpen);
    return this.lastDocument();
  }

  async lastDocument(): Promise<FiscalDocument> {
    const fn = await this.fnStatus();
    if (fn.lastDocumentNumber === 0) throw new AppError({ code: 'FISCAL_NOT_FOUND', message: 'В фискальном накопителе ещё нет документов.', retry: 'permanent', detail: 'FN last document number is 0' });
    return this.findDocument(fn.lastDocumentNumber);
  }

  async findDocument(number: number): Promise<FiscalDocument> {
    return toFiscalDocument(await this.run(fnFindDocument(this.password, number)));
  }

  /** A document's TLV as the ФН keeps it (0xFF3A/0xFF3B; documentReadback.ts). */
  async readDocumentTlv(number: number): Promise<DocumentTlv> {
    return readDocumentTlv((spec) => this.run(spec), this.password, number);
  }

  /** A receipt with its positions, read back from the ФН and checked against its 0xFF0A summary. */
  async readReceipt(number: number): Promise<FfdReceipt> {
    return readReceipt((spec) => this.run(spec), this.password, await this.findDocument(number));
  }

  async printText(lines: string[]): Promise<void> {
    for (const line of lines) {
      const chunks = line.length === 0 ? [''] : (line.match(/.{1,40}/gsu) ?? ['']);
      for (const chunk of chunks) await this.printing(printString(this.password, chunk), async () => false);
    }
  }

  async cancelOpenDocument(): Promise<boolean> {
    const s = await this.run(shortStatus(this.password));
    if (s.mode !== 8) return false;
    await this.printing(cancelReceipt(this.password), async () => (await this.run(shortStatus(this.password))).mode !== 8);
    return true;
  }

  /** Fiscalizes one receipt. Sums are checked first; a device never sees a receipt that does not add up. */
  async printReceipt(input: FiscalReceiptInput): Promise<FiscalDocument> {
    const r = parseReceipt(input);
    const { totalMinor } = checkReceipt(r, this.taxPlan);
    const p = this.password;
    // No status read first: the open command itself is refused with the reason (shift closed 0x3D, over
    // 24 h 0x4E, a receipt already open 0x4A, no paper 0x6B → wait for paper). A refused open leaves
    // nothing of ours open, and a receipt found open is not ours to cancel: no cancelAfterRefusal here.
    await this.printing(openReceipt(p, OPEN_RECEIPT_TYPE[r.operation]), async () => (await this.run(shortStatus(p))).mode === 8);
    try {
      await this.run(fnSendTextTlv(p, 1021, r.cashier));
      if (r.cashierInn) await this.run(fnSendTextTlv(p, 1203, r.cashierInn));
      if (r.customerContact) await this.run(fnSendTextTlv(p, 1008, r.customerContact));
      this.lastUncheckedCodes = await checkReceiptCodes((spec) => this.run(spec), p, r.positions);
      for (const [i, pos] of r.positions.entries()) {
        const spec = fnOperationV2(p, {
          operation: OPERATION_CODE[r.operation],
          quantityMicro: pos.quantityMilli * 1000,
          priceMinor: pos.priceMinor,
          amountMinor: pos.amountMinor,
          taxRate: taxByteOfGroup(this.taxPlan.groups[pos.vat] ?? 0, this.identity.modelNumber ?? undefined),
          paymentMethod: PAYMENT_METHOD_CODE[pos.paymentMethod],
          itemSign: ITEM_SIGN_CODE[pos.itemSign],
          name: pos.name,
        });
        // After a paper break the operation counter says whether this position made it in.
        await this.printing(spec, async () => (await this.run(shortStatus(p))).receiptOperations > i);
        await bindPositionCode((c) => this.run(c), p, pos);
      }
    } catch (e) {
      await this.cancelAfterRefusal(e);
      throw e;
    }

    await this.refuseInterruptedReceipt(r.positions.length);
    const close = fnCloseReceiptV2(p, { ...r.tenders, taxSystem: TAX_SYSTEM_CODE[r.taxSystem ?? this.defaultTaxSystem] });
    let claimed: CloseReceiptAnswer | undefined;
    try {
      claimed = await this.printing(close, async () => (await this.run(shortStatus(p))).mode !== 8);
    } catch (e) {
      await this.cancelAfterRefusal(e);
      throw e;
    }
    return this.verifiedReceipt(claimed, OPERATION_CODE[r.operation], totalMinor);
  }

  async printCorrection(input: FiscalCorrectionInput): Promise<FiscalDocument> {
    const parsed = FiscalCorrection.safeParse(input);
    if (!parsed.success) throw validationError('Данные чека коррекции заполнены неверно.', parsed.error.message);
    const c = parsed.data;
    const t = c.tenders;
    const paid = t.cashMinor + t.electronicMinor + t.prepaymentMinor + t.creditMinor + t.counterMinor;
    if (paid !== c.totalMinor) throw validationError('Сумма оплат не равна сумме коррекции.', `tenders ${paid} != total ${c.totalMinor}`);
    const s = await this.run(shortStatus(this.password));
    this.refuseUnlessReady(s);
    const v = c.vatTotals;
    const spec = fnCorrectionV2(this.password, {
      correctionType: c.kind === 'self' ? 0 : 1,
      operation: c.operation === 'income' ? 1 : 3,
      totalMinor: c.totalMinor,
      cashMinor: t.cashMinor,
      electronicMinor: t.electronicMinor,
      prepaymentMinor: t.prepaymentMinor,
      creditMinor: t.creditMinor,
      counterMinor: t.counterMinor,
      taxTotals: [v.vat20 ?? 0, v.vat10 ?? 0, v.vat0 ?? 0, v.none ?? 0, v.vat120 ?? 0, v.vat110 ?? 0],
      taxSystem: TAX_SYSTEM_CODE[c.taxSystem],
    });
    const before = (await this.fnStatus()).lastDocumentNumber;
    const answer = await this.printing(spec, async () => (await this.fnStatus()).lastDocumentNumber > before);
    return this.findDocument(answer?.documentNumber ?? (await this.fnStatus()).lastDocumentNumber);
  }

  /**
   * After a crash or a lost answer: was the receipt fiscalized? Reads the device only, never prints
   * the receipt again. An open document is ours (one receipt at a time) and was never fiscalized.
   */
  async reconcileReceipt(expected: ReconcileExpectation): Promise<ReconcileOutcome> {
    const s = await this.run(shortStatus(this.password));
    // A device waiting for "continue printing" (0xB0) answers the cancel with 0x58; printing() then sends 0xB0.
    if (s.mode === 8) {
      await this.printing(cancelReceipt(this.password), async () => (await this.run(shortStatus(this.password))).mode !== 8);
    }
    const last = (await this.fnStatus()).lastDocumentNumber;
    if (last < expected.lastNumberBefore) {
      return { outcome: 'ambiguous', reason: `FN last document ${last} is below the recorded ${expected.lastNumberBefore}: another FN?` };
    }
    if (last - expected.lastNumberBefore > 20) {
      return { outcome: 'ambiguous', reason: `${last - expected.lastNumberBefore} documents since ${expected.lastNumberBefore}` };
    }
    const docs: FiscalDocument[] = [];
    for (let n = expected.lastNumberBefore + 1; n <= last; n++) docs.push(await this.findDocument(n));
    return judgeNewDocuments(expected, docs);
  }

  // ---- internals ---------------------------------------------------------------------------------

  private async run<T>(spec: CommandSpec<T>): Promise<T> {
    const deadline = Date.now() + this.t.busyMaxMs;
    for (;;) {
      try {
        const answer = decodeAnswer(spec, await this.transport.exchange(requestPayload(spec), { answerMs: spec.answerMs }));
        this.setState({ offline: false, busy: false });
        return answer;
      } catch (e) {
        if (!isAppError(e)) throw e;
        if (e.code === 'FISCAL_NO_ANSWER' || e.code === 'FISCAL_ANSWER_LOST' || e.code === 'FISCAL_PORT_CLOSED') this.setState({ offline: true });
        // "Printing the previous command": it was not executed, so sending it again is safe.
        if (e.code !== 'FISCAL_BUSY' || Date.now() > deadline) throw e;
        this.setState({ busy: true, offline: false });
        await sleep(this.t.busyRetryMs);
      }
    }
  }

  /**
   * A command that prints. On a paper break: wait for paper, send "continue printing" if the device
   * asks, then `done()` tells from the device whether the command already took effect; only if not is
   * it sent again. A new receipt is never started here.
   */
  private async printing<T>(spec: CommandSpec<T>, done: () => Promise<boolean>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run(spec);
      } catch (e) {
        if (!isPaperError(e) || attempt > 20) throw e;
        await this.waitForPaper();
        if (await done()) return undefined;
      }
    }
  }

  private async waitForPaper(): Promise<void> {
    const deadline = Date.now() + this.t.paperWaitMs;
    let announced = false;
    for (;;) {
      const s = await this.run(shortStatus(this.password));
      const coverOpen = (s.flags & Flag.coverOpen) !== 0;
      if (!paperMissing(s) && !coverOpen) {
        if (s.submode === 3) await this.run(continuePrint(this.password));
        if (announced) this.emitter.emit('paperBack');
        this.setState({ paperOut: false, coverOpen: false });
        return;
      }
      if (!announced) {
        announced = true;
        this.emitter.emit('paperOut');
      }
      this.setState({ paperOut: paperMissing(s), coverOpen });
      if (Date.now() > deadline) {
        throw new AppError({
          code: coverOpen ? 'FISCAL_COVER_OPEN' : 'FISCAL_PAPER_OUT',
          message: coverOpen ? 'Закройте крышку принтера.' : 'В принтере закончилась бумага. Вставьте новый рулон.',
          retry: 'transient',
          detail: `no paper after ${this.t.paperWaitMs} ms (mode ${s.mode}, submode ${s.submode}); an open receipt stays open for reconciliation`,
        });
      }
      await sleep(this.t.paperPollMs);
    }
  }

  /** The device refused part of a receipt: it is not fiscalized, so cancel it rather than leave it open. */
  /**
   * A power cut mid-receipt drops the open receipt, and a position resent afterwards opens a new one by
   * itself: closing that would fiscalize part of the refund with all of its money. A line the device ran
   * twice (a command repeated on the link) would fiscalize a doubled line. So before the close the device
   * must hold an open receipt with exactly our positions; anything else is cancelled.
   */
  private async refuseInterruptedReceipt(positions: number): Promise<void> {
    const p = this.password;
    const s = await this.run(shortStatus(p));
    if (s.mode === 8 && s.receiptOperations === positions) return;
    if (s.mode === 8) await this.printing(cancelReceipt(p), async () => (await this.run(shortStatus(p))).mode !== 8);
    throw new AppError({
      code: 'FISCAL_RECEIPT_INTERRUPTED',
      message:
        s.receiptOperations > positions
          ? 'В чеке на принтере оказалась лишняя позиция. Чек отменён и не пробит — повторите возврат.'
          : 'Печать чека прервалась: принтер перезапускался. Чек отменён и не пробит — повторите возврат.',
      retry: 'transient',
      detail: `before close: mode ${s.mode}, ${s.receiptOperations} operations of ${positions}`,
    });
  }

  /**
   * The device refused a command mid-receipt: cancel the open receipt so the next one starts clean. Best
   * effort by design — the refusal itself is what the caller reports, and a receipt this fails to cancel
   * is found open and cancelled by reconcileReceipt before anything else is printed.
   */
  private async cancelAfterRefusal(e: unknown): Promise<void> {
    if (!isAppError(e) || e.retry === 'unknown-outcome' || (e.deviceCode === undefined && e.code !== MARKING_REFUSED)) return;
    const s = await this.run(shortStatus(this.password)).catch(() => undefined);
    if (s?.mode === 8) await this.run(cancelReceipt(this.password)).catch(() => undefined);
  }

  /**
   * The close answer names a document; we return the ФН's own record of it, read separately. The two
   * must agree (number, fiscal sign, total): an answer damaged in a way the 8-bit checksum misses would
   * have to be damaged the same way twice. On disagreement a third read decides.
   */
  private async verifiedReceipt(claimed: CloseReceiptAnswer | undefined, operation: number, totalMinor: number): Promise<FiscalDocument> {
    const expected = (d: FiscalDocument): boolean => d.type === 'receipt' && d.totalMinor === totalMinor && d.operation === OPERATION_NAMES[operation];
    if (claimed) {
      const doc = await this.findDocument(claimed.documentNumber).catch(() => undefined);
      if (doc && expected(doc) && doc.fiscalSign === String(claimed.fiscalSign)) return doc;
    }
    const first = await this.lastDocument();
    const second = await this.findDocument(first.number);
    if (expected(first) && first.fiscalSign === second.fiscalSign && first.dateTime === second.dateTime) return first;
    throw new AppError({
      code: 'FISCAL_VERIFY_FAILED',
      message: 'Чек мог быть напечатан, но принтер не подтвердил его данные. Проверьте последний чек.',
      retry: 'unknown-outcome',
      detail: `close answered document ${claimed?.documentNumber ?? '?'}, FN last is ${first.number} (${first.type}, ${first.totalMinor ?? '?'}), expected total ${totalMinor}`,
    });
  }

  private refuseUnlessReady(s: ShortStatus): void {
    if (s.mode === 8) throw modeError(s, 'В принтере открыт незавершённый чек. Его нужно проверить и отменить.', 'FISCAL_DOCUMENT_OPEN');
    if (s.mode === 3) throw modeError(s, 'Смена длится больше 24 часов. Закройте смену (Z-отчёт) и откройте новую.', 'FISCAL_SHIFT_EXPIRED');
    if (s.mode === 4) throw modeError(s, 'Смена закрыта. Откройте смену.', 'FISCAL_SHIFT_CLOSED');
    if (s.mode !== 2) throw modeError(s, `Принтер не готов: ${MODE_TEXT[s.mode] ?? `режим ${s.mode}`}.`, 'FISCAL_WRONG_MODE');
  }

  private async fnStatus(): Promise<FnStatus> {
    return this.run(fnStatus(this.password));
  }

  private describe(s: ShortStatus, fn: FnStatus): ShtrihStatus {
    const paperOut = paperMissing(s);
    const coverOpen = (s.flags & Flag.coverOpen) !== 0;
    this.setState({ paperOut, coverOpen });
    return {
      mode: s.mode,
      submode: s.submode,
      modeText: `${MODE_TEXT[s.mode] ?? 'неизвестный режим'} (режим ${s.mode}.${s.submode})`,
      shiftOpen: s.mode === 2 || s.mode === 3 || (s.mode === 8 && fn.shiftOpen),
      shiftExpired: s.mode === 3,
      paperOut,
      coverOpen,
      openDocument: s.mode === 8 || fn.currentDocument !== 0,
      receiptOperations: s.receiptOperations,
      lastDocumentNumber: fn.lastDocumentNumber,
      fnNumber: fn.fnNumber,
      serial: this.serial,
      deviceDateTime: fn.dateTime,
    };
  }

  private setState(patch: Partial<PrinterState>): void {
    const next = { ...this.state, ...patch };
    if (next.paperOut === this.state.paperOut && next.coverOpen === this.state.coverOpen && next.offline === this.state.offline && next.busy === this.state.busy) return;
    this.state = next;
    this.emitter.emit('status', { ...next });
  }
}

function modeError(s: ShortStatus, message: string, code: string): AppError {
  return new AppError({ code, message, retry: 'permanent', detail: `device mode ${s.mode}.${s.modeStatus}, submode ${s.submode}` });
}

