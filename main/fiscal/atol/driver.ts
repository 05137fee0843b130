import { EventEmitter } from 'node:events';
import { AppError, isAppError } from '../../appError';
import { OPERATION_NAMES, judgeNewDocuments, type FiscalDocument, type ReconcileExpectation, type ReconcileOutcome } from '../documents';
import { unsupportedOperation, type DeviceConnectOptions, type DeviceIdentity, type DeviceStatus, type FiscalDevice, type FiscalDeviceEvents, type PrinterState } from '../device';
import type { FfdReceipt } from '../ffdReceipt';
import type { DocumentTlv } from '../tlv';
import { isPortOptions, openSerialPort } from '../port';
import { FiscalCorrection, TAX_SYSTEM_CODE, checkReceipt, parseReceipt, validationError, type FiscalCorrectionInput, type FiscalReceiptInput, type TaxSystem, type Tenders } from '../receipt';
import type { TaxGroupPlan, VatGroups } from '../taxGroups';
import {
  Mode,
  NO_DATA,
  PaymentType,
  ReceiptType,
  atolTaxPlan,
  cancelReceipt,
  cashMove,
  cashRequest,
  closeReceipt,
  closeShift,
  deviceState,
  deviceType,
  enterMode,
  fnDocument,
  fnState,
  leaveMode,
  openDrawer,
  openReceipt,
  openShift,
  payment,
  printLine,
  registerLine,
  writeTag,
  xReport,
  type AtolCommand,
  type DeviceState,
  type FnDocument,
} from './commands';
import { atolLine } from './lineSum';
import { AtolTransport, TaskStatus, type AtolTimeouts, type AtolTransportStats } from './transport';

/**
 * ATOL behind the protocol-neutral device interface (../device.ts). PROTOCOL.md says which facts are
 * sourced and which are ours, and §Not supported which operations ATOL lacks here and why.
 */
export interface AtolDriverTimeouts {
  /** How long a cashier gets to load paper before the driver gives the command back. */
  paperWaitMs: number;
  paperPollMs: number;
}

const DEFAULT_DRIVER_TIMEOUTS: AtolDriverTimeouts = { paperWaitMs: 300_000, paperPollMs: 400 };

/** `password` is the registration and report modes' password (4 BCD bytes), 30 as the vendor ships it. */
export type AtolConnectOptions = DeviceConnectOptions;

const TIMING_NAMES = ['packetMs', 'pollMs', 'answerMs', 'interByteMs', 'paperWaitMs', 'paperPollMs'] as const;

/** The timings ATOL knows, out of the interface's open set (a protocol ignores names it lacks). */
function atolTimings(t: DeviceConnectOptions['timeouts']): Partial<AtolTimeouts & AtolDriverTimeouts> {
  const out: Partial<Record<(typeof TIMING_NAMES)[number], number>> = {};
  for (const name of TIMING_NAMES) {
    const v = t?.[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

const DEVICE = 'АТОЛ';

const MODE_TEXT: Record<number, string> = {
  0: 'режим выбора',
  1: 'режим регистрации',
  2: 'режим отчётов без гашения',
  3: 'режим отчётов с гашением',
  4: 'режим программирования',
  5: 'режим доступа к ФН',
};

/** FFD document types (PROTOCOL.md §4, A4 45). */
const DOC_TYPES: Record<number, FiscalDocument['type']> = { 2: 'openShift', 3: 'receipt', 5: 'closeShift', 31: 'correction' };

const TENDER_TYPES: Array<[keyof Tenders, number]> = [
  ['electronicMinor', PaymentType.cashless],
  ['prepaymentMinor', PaymentType.advance],
  ['creditMinor', PaymentType.credit],
  ['cashMinor', PaymentType.cash],
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const isUnknownOutcome = (e: unknown): boolean => isAppError(e) && e.retry === 'unknown-outcome';

function outcomeUnknown(why: string): AppError {
  return new AppError({
    code: 'FISCAL_ANSWER_LOST',
    message: 'Касса АТОЛ не подтвердила чек. Результат будет проверен по данным ФН.',
    retry: 'unknown-outcome',
    detail: why,
  });
}

export class AtolDriver implements FiscalDevice {
  private readonly emitter = new EventEmitter();
  private state: PrinterState = { paperOut: false, coverOpen: false, offline: false, busy: false };
  connectStatus!: DeviceStatus;
  identity!: DeviceIdentity;
  readonly taxPlan: TaxGroupPlan;
  /** ATOL has no tax table this driver can read (PROTOCOL.md §VAT): the plan is the documented numbers plus settings. */
  readonly taxFacts = null;
  /** Marking codes are not supported on ATOL (PROTOCOL.md §Not supported): never any unchecked. */
  readonly lastUncheckedCodes: readonly string[] = [];
  /** The mode this driver last put the device in (0 = selection, as after power-on). */
  private mode = 0;

  private constructor(
    private readonly transport: AtolTransport,
    private readonly password: number,
    private readonly t: AtolDriverTimeouts,
    private readonly defaultTaxSystem: TaxSystem,
    vatOverrides: VatGroups,
  ) {
    this.taxPlan = atolTaxPlan(vatOverrides);
  }

  static async connect(opts: AtolConnectOptions): Promise<AtolDriver> {
    const port = isPortOptions(opts.port) ? await openSerialPort(opts.port) : opts.port;
    const baudRate = isPortOptions(opts.port) ? opts.port.baudRate : undefined;
    const timeouts = atolTimings(opts.timeouts);
    const transport = new AtolTransport(port, { ...(baudRate ? { baudRate } : {}), timeouts, ...(opts.trace ? { trace: opts.trace } : {}) });
    const driver = new AtolDriver(transport, opts.password ?? 30, { ...DEFAULT_DRIVER_TIMEOUTS, ...timeouts }, opts.defaultTaxSystem ?? 'osn', opts.vatGroups ?? {});
    try {
      await transport.abortAll();
      driver.identity = await driver.readIdentity();
      driver.connectStatus = await driver.status();
    } catch (e) {
      await transport.close();
      throw e;
    }
    return driver;
  }

  get stats(): AtolTransportStats {
    return this.transport.stats;
  }

  get printerState(): PrinterState {
    return this.state;
  }

  on<K extends keyof FiscalDeviceEvents>(event: K, listener: (...args: FiscalDeviceEvents[K]) => void): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof FiscalDeviceEvents>(event: K, listener: (...args: FiscalDeviceEvents[K]) => void): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  async status(): Promise<DeviceStatus> {
    const s = await this.run(deviceState());
    const fn = await this.run(fnState());
    this.setState({ paperOut: !s.paperPresent, coverOpen: s.coverOpen });
    return {
      modeText: MODE_TEXT[s.mode] ?? `режим ${s.mode}`,
      shiftOpen: s.shiftOpen,
      shiftExpired: fn.shiftExpired,
      paperOut: !s.paperPresent,
      coverOpen: s.coverOpen,
      openDocument: s.receiptType !== 0,
      lastDocumentNumber: fn.lastDocumentNumber,
      fnNumber: fn.fnNumber,
      serial: s.serial,
      deviceDateTime: s.dateTime,
    };
  }

  async openShift(cashier: string, cashierInn?: string): Promise<FiscalDocument> {
    const before = (await this.run(fnState())).lastDocumentNumber;
    await this.inMode(Mode.registration);
    await this.cashierTags(cashier, cashierInn);
    await this.printing(openShift(), async () => (await this.run(fnState())).shiftOpen);
    await this.leave();
    return this.documentAfter(before, 'openShift');
  }

  async closeShift(cashier?: string, cashierInn?: string): Promise<FiscalDocument> {
    const fn = await this.run(fnState());
    if (!fn.shiftOpen) throw new AppError({ code: 'FISCAL_SHIFT_CLOSED', message: 'Смена уже закрыта.', retry: 'permanent', detail: 'close shift: ФН reports no open shift' });
    const before = fn.lastDocumentNumber;
    await this.inMode(Mode.zReports);
    if (cashier) await this.cashierTags(cashier, cashierInn);
    await this.printing(closeShift(), async () => !(await this.run(fnState())).shiftOpen);
    await this.leave();
    return this.documentAfter(before, 'closeShift');
  }

  async xReport(): Promise<void> {
    await this.inMode(Mode.xReports);
    await this.printing(xReport(), async () => false);
    await this.leave();
  }

  async openDrawer(): Promise<void> {
    await this.run(openDrawer());
  }

  async cashInDrawer(): Promise<number> {
    return this.run(cashRequest());
  }

  /**
   * 49 внесение / 4F выплата in registration mode. ATOL's answer carries no document number: the device
   * state's receipt number after the operation is returned (which counter a cash document moves: ours, PROTOCOL.md §4).
   */
  async cashOperation(kind: 'in' | 'out', amountMinor: number): Promise<number> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor >= 100 ** 5) {
      throw validationError('Сумма внесения или выплаты должна быть больше нуля.', `cash ${kind}: ${amountMinor}`);
    }
    await this.cancelOpenDocument();
    await this.inMode(Mode.registration);
    await this.printing(cashMove(kind, amountMinor), async () => false);
    await this.leave();
    return (await this.run(deviceState())).receiptNumber;
  }

  readDocumentTlv(number: number): Promise<DocumentTlv> {
    return Promise.reject(unsupportedOperation(DEVICE, `чтение документа ${number} из ФН по тегам`));
  }

  readReceipt(number: number): Promise<FfdReceipt> {
    return Promise.reject(unsupportedOperation(DEVICE, `чтение чека ${number} с позициями из ФН`));
  }

  async lastDocument(): Promise<FiscalDocument> {
    const n = (await this.run(fnState())).lastDocumentNumber;
    if (n === 0) throw new AppError({ code: 'FISCAL_NOT_FOUND', message: 'В ФН ещё нет документов.', retry: 'permanent', detail: 'ФН last document number is 0' });
    return this.findDocument(n);
  }

  async findDocument(number: number): Promise<FiscalDocument> {
    return toFiscalDocument(await this.run(fnDocument(number)));
  }

  /** Copy lines (a receipt copy, a notice): one 4C per line; a paper break waits and goes on from that line. */
  async printText(lines: string[]): Promise<void> {
    for (const line of lines) await this.printing(printLine(line), async () => false);
  }

  /** Cancels a receipt left open (by a crash or a power cut); true when there was one. */
  async cancelOpenDocument(): Promise<boolean> {
    const s = await this.run(deviceState());
    if (s.receiptType === 0) return false;
    await this.inMode(Mode.registration, s);
    await this.printing(cancelReceipt(), async () => (await this.run(deviceState())).receiptType === 0);
    return true;
  }

  async printReceipt(input: FiscalReceiptInput): Promise<FiscalDocument> {
    const r = parseReceipt(input);
    // Refuses a line more than a kopeck from price × quantity; within it, E6's discount or markup makes the
    // device's line sum the amount exactly (atolLine).
    const { totalMinor } = checkReceipt(r, this.taxPlan);
    // FFD 1.2 marking codes need ATOL commands no readable source describes (PROTOCOL.md §4): refused whole.
    const marked = r.positions.find((p) => p.markingCode !== undefined);
    if (marked) throw unsupportedOperation(DEVICE, `возврат маркированного товара «${marked.name}»`);
    await this.cancelOpenDocument();
    const before = (await this.run(fnState())).lastDocumentNumber;
    await this.inMode(Mode.registration);
    await this.run(openReceipt(ReceiptType[r.operation]));
    try {
      await this.cashierTags(r.cashier, r.cashierInn);
      await this.run(writeTag(1055, String(TAX_SYSTEM_CODE[r.taxSystem ?? this.defaultTaxSystem])));
      if (r.customerContact) await this.run(writeTag(1008, r.customerContact));
      for (const p of r.positions) await this.printing(registerLine(atolLine(p, this.taxPlan.groups[p.vat] ?? 0)), async () => false);
      await this.pay(r.tenders);
    } catch (e) {
      // Refused before the close: nothing is fiscalized; the open receipt must not linger. A lost answer is
      // left to reconcileReceipt, which cancels it after reading the ФН.
      if (!isUnknownOutcome(e)) await this.cancelOpenDocument();
      throw e;
    }
    return this.verifiedReceipt(before, r.operation === 'income' ? 1 : 2, totalMinor);
  }

  async printCorrection(input: FiscalCorrectionInput): Promise<FiscalDocument> {
    const parsed = FiscalCorrection.safeParse(input);
    if (!parsed.success) throw validationError('Данные чека коррекции заполнены неверно.', `correction schema: ${parsed.error.message}`);
    const c = parsed.data;
    const paid = c.tenders.cashMinor + c.tenders.electronicMinor + c.tenders.prepaymentMinor + c.tenders.creditMinor;
    if (paid !== c.totalMinor) throw validationError('Сумма оплат не равна сумме коррекции.', `tenders ${paid} != total ${c.totalMinor}`);
    await this.cancelOpenDocument();
    const before = (await this.run(fnState())).lastDocumentNumber;
    await this.inMode(Mode.registration);
    await this.run(openReceipt(c.operation === 'income' ? ReceiptType.correctionIncome : ReceiptType.correctionExpense));
    try {
      // 1173: 0 by own decision, 1 by order (ФФД).
      await this.run(writeTag(1173, c.kind === 'self' ? '0' : '1'));
      await this.run(writeTag(1055, String(TAX_SYSTEM_CODE[c.taxSystem])));
      await this.pay(c.tenders);
    } catch (e) {
      if (!isUnknownOutcome(e)) await this.cancelOpenDocument();
      throw e;
    }
    return this.verifiedReceipt(before, c.operation === 'income' ? 1 : 3, c.totalMinor, 'correction');
  }

  /**
   * After a lost answer or a restart: was the receipt fiscalized? An open receipt is ours and was never
   * fiscalized: cancelled first. Then the ФН's documents after the recorded number decide (../documents.ts).
   */
  async reconcileReceipt(expected: ReconcileExpectation): Promise<ReconcileOutcome> {
    await this.cancelOpenDocument();
    const last = (await this.run(fnState())).lastDocumentNumber;
    if (last < expected.lastNumberBefore) return { outcome: 'ambiguous', reason: `ФН last document ${last} is below the recorded ${expected.lastNumberBefore}: another ФН?` };
    if (last - expected.lastNumberBefore > 20) return { outcome: 'ambiguous', reason: `${last - expected.lastNumberBefore} documents since ${expected.lastNumberBefore}` };
    const docs: FiscalDocument[] = [];
    for (let n = expected.lastNumberBefore + 1; n <= last; n++) docs.push(await this.findDocument(n));
    return judgeNewDocuments(expected, docs);
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** A5 ([A4J] DeviceTypeRequest); a device that refuses it stays unnamed rather than unusable. */
  private async readIdentity(): Promise<DeviceIdentity> {
    try {
      const t = await this.run(deviceType());
      return {
        protocol: 'atol',
        model: t.name || null,
        modelNumber: t.model,
        protocolVersion: String(t.protocolVersion),
        // [A4J] names the five bytes only "device version": shown as sent, not read into major/minor/build.
        firmware: t.version.map((v) => v.toString(16).padStart(2, '0')).join('.'),
        firmwareBuild: null,
        firmwareDate: null,
      };
    } catch (e) {
      if (!isAppError(e) || e.code !== 'FISCAL_DEVICE_ERROR') throw e;
      return { protocol: 'atol', model: null, modelNumber: null, protocolVersion: null, firmware: null, firmwareBuild: null, firmwareDate: null };
    }
  }

  private async run<T>(cmd: AtolCommand<T>): Promise<T> {
    for (let redelivery = 0; ; redelivery++) {
      try {
        const answer = await this.transport.exchange(cmd.request, { resendable: cmd.resendable, ...(cmd.answerMs ? { answerMs: cmd.answerMs } : {}) });
        this.setState({ offline: false });
        return cmd.parse(answer);
      } catch (e) {
        if (isAppError(e) && (e.code === 'FISCAL_NO_ANSWER' || e.code === 'FISCAL_ANSWER_LOST' || e.code === 'FISCAL_PORT_CLOSED')) this.setState({ offline: true });
        if (redelivery < 3 && (await this.neverArrived(e))) continue;
        throw e;
      }
    }
  }

  /**
   * The device has no such task (B3): the ADD was lost on the way, or the device restarted after running it.
   * A restart puts the device back in selection mode (mode is RAM, PROTOCOL.md §4): still in the mode we
   * entered means no restart, so the command never arrived and sending it is its first delivery.
   */
  private async neverArrived(e: unknown): Promise<boolean> {
    if (!isAppError(e) || e.code !== 'FISCAL_ANSWER_LOST' || e.deviceCode !== TaskStatus.notFound || this.mode === 0) return false;
    const s = await this.run(deviceState());
    return s.mode === this.mode;
  }

  /**
   * A command that prints. "No paper" is a refusal (the device did nothing): wait for paper, ask `done()`
   * whether the effect is already there (another till, a person at the keyboard), and only then send again.
   */
  private async printing<T>(cmd: AtolCommand<T>, done: () => Promise<boolean>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run(cmd);
      } catch (e) {
        if (!isAppError(e) || e.code !== 'FISCAL_PAPER_OUT' || attempt > 20) throw e;
        await this.waitForPaper();
        if (await done()) return undefined;
      }
    }
  }

  private async waitForPaper(): Promise<void> {
    this.setState({ paperOut: true });
    this.emitter.emit('paperOut');
    const deadline = Date.now() + this.t.paperWaitMs;
    while (Date.now() < deadline) {
      await sleep(this.t.paperPollMs);
      if ((await this.run(deviceState())).paperPresent) {
        this.setState({ paperOut: false });
        this.emitter.emit('paperBack');
        return;
      }
    }
    throw new AppError({
      code: 'FISCAL_PAPER_OUT',
      message: 'В кассе АТОЛ нет бумаги. Вставьте чековую ленту и повторите.',
      retry: 'transient',
      detail: `paper not loaded within ${this.t.paperWaitMs} ms`,
    });
  }

  private async inMode(mode: number, known?: DeviceState): Promise<void> {
    const s = known ?? (await this.run(deviceState()));
    this.mode = s.mode;
    if (s.mode === mode) return;
    if (s.mode !== 0) await this.leave();
    await this.run(enterMode(mode, this.password));
    this.mode = mode;
  }

  private async leave(): Promise<void> {
    await this.run(leaveMode());
    this.mode = 0;
  }

  private async cashierTags(cashier: string, inn: string | undefined): Promise<void> {
    await this.run(writeTag(1021, cashier));
    if (inn) await this.run(writeTag(1203, inn));
  }

  /** Every non-zero tender by 99, the last one closes the receipt (4A). */
  private async pay(t: Tenders & { counterMinor?: number }): Promise<void> {
    const tenders = TENDER_TYPES.map(([k, type]) => [type, t[k]] as const).filter(([, amount]) => amount > 0);
    const last = tenders.pop() ?? [PaymentType.cash, 0];
    for (const [type, amount] of tenders) await this.run(payment(type, amount));
    try {
      await this.printing(closeReceipt(last[0], last[1]), async () => (await this.run(deviceState())).receiptType === 0);
    } catch (e) {
      if (!isUnknownOutcome(e)) throw e;
    }
  }

  /** The ФН, not the close answer, says whether the receipt exists: exactly one new document matching it. */
  private async verifiedReceipt(before: number, operation: number, totalMinor: number, type: 'receipt' | 'correction' = 'receipt'): Promise<FiscalDocument> {
    const fn = await this.run(fnState()).catch((e: unknown) => {
      // The close was sent: a device that stops answering now leaves the receipt's fate open.
      throw isAppError(e) ? outcomeUnknown(`cannot read the ФН after the close: ${e.detail ?? e.message}`) : e;
    });
    if (fn.receiptOpen || fn.lastDocumentNumber !== before + 1) throw outcomeUnknown(`after close: ФН last document ${fn.lastDocumentNumber}, expected ${before + 1}; receipt open: ${fn.receiptOpen}`);
    const doc = toFiscalDocument(await this.run(fnDocument(before + 1)));
    if (doc.type !== type || doc.operation !== OPERATION_NAMES[operation] || doc.totalMinor !== totalMinor) {
      throw outcomeUnknown(`document ${doc.number} is ${doc.type}/${doc.operation ?? '?'} for ${doc.totalMinor ?? '?'}, expected ${type}/${OPERATION_NAMES[operation] ?? '?'} for ${totalMinor}`);
    }
    return doc;
  }

  private async documentAfter(before: number, type: FiscalDocument['type']): Promise<FiscalDocument> {
    try {
      const doc = await this.findDocument(before + 1);
      if (doc.type === type) return doc;
    } catch (e) {
      if (!isAppError(e) || e.deviceCode !== NO_DATA) throw e;
    }
    throw outcomeUnknown(`no ${type} document after ${before}`);
  }

  private setState(patch: Partial<PrinterState>): void {
    const next = { ...this.state, ...patch };
    if (Object.entries(patch).every(([k, v]) => this.state[k as keyof PrinterState] === v)) return;
    this.state = next;
    this.emitter.emit('status', next);
  }
}

function toFiscalDocument(d: FnDocument): FiscalDocument {
  const operation = d.operation === 0 ? undefined : OPERATION_NAMES[d.operation];
  const type = DOC_TYPES[d.type] ?? 'other';
  return {
    number: d.number,
    fiscalSign: String(d.fiscalSign),
    dateTime: d.dateTime,
    type,
    ...(operation ? { operation } : {}),
    ...(type === 'receipt' || type === 'correction' ? { totalMinor: d.totalMinor } : {}),
  };
}
