import { z } from 'zod';
import { MAX_LEN } from './limits';
import { MainText } from './mainText';
import { Currency, Milli, Minor } from './units';

/**
 * Domain vocabulary shared by the main process, the preload bridge and the renderer.
 * Money and quantities: ./units.ts.
 */
export { Currency, Milli, Minor };

export const BackendName = z.enum(['lifepos', 'lifepay', 'regos']);
export type BackendName = z.infer<typeof BackendName>;

/** Where a sale was found: a cloud back end, or this terminal's own record (offline refunds). */
export const SaleSource = z.enum(['lifepos', 'lifepay', 'regos', 'local']);
export type SaleSource = z.infer<typeof SaleSource>;

/**
 * VAT rates of 54-ФЗ (tag 1199) plus Uzbekistan's 12 % and its earlier 15 % (REGOS seed 003's example
 * sends "vat_value": 1500; a refund carries the rate of the sale it returns); "vat1xx" are the
 * calculated rates (20/120 ...).
 */
export const VatRate = z.enum([
  'none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat12', 'vat15', 'vat20', 'vat22',
  'vat105', 'vat107', 'vat110', 'vat120', 'vat122',
]);
export type VatRate = z.infer<typeof VatRate>;

/** Признак способа расчёта (tag 1214): a refund must carry the sign of the sale it reverses. */
export const PaymentMethod = z.enum([
  'prepayment100', 'prepayment', 'advance', 'fullPayment',
  'partialPaymentCredit', 'creditTransfer', 'creditPayment',
]);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** Признак предмета расчёта (tag 1212). */
export const ItemSign = z.enum(['goods', 'excise', 'work', 'service', 'payment', 'other']);
export type ItemSign = z.infer<typeof ItemSign>;

/**
 * How a part of the sale was paid, and so how its money goes back: cash from the drawer; card through
 * the acquiring terminal (the only kind that needs the customer's card and an RRN); sbp (СБП), transfer
 * (bank transfer), link (payment link) and bnpl ("оплата частями") through their payment service;
 * prepayment (зачёт аванса) and credit (постоплата) as settlements. See main/refunds/tenderKinds.ts.
 */
export const TenderKind = z.enum(['cash', 'card', 'sbp', 'transfer', 'link', 'bnpl', 'prepayment', 'credit']);
export type TenderKind = z.infer<typeof TenderKind>;

const Id = z.string().min(1).max(MAX_LEN.id);
const Code = z.string().max(MAX_LEN.code);
const DateTimeText = z.string().max(MAX_LEN.dateTime);
const Text = z.string().max(MAX_LEN.text);
/** A note main writes for the cashier: its Russian text, and the same as a code with values when it has particulars (mainText.ts). */
export const Notice = z.object({ text: Text, coded: MainText.optional() });
export type Notice = z.infer<typeof Notice>;

/** Units of one marked line a refund may name codes for (each is a position of its own on the receipt). */
export const MAX_MARKED_UNITS = 1000;
const MarkingCodes = z.array(z.string().min(1).max(MAX_LEN.mark)).max(MAX_MARKED_UNITS);

export const SaleLine = z.object({
  lineId: Id,
  name: z.string().min(1).max(MAX_LEN.name),
  barcode: z.string().max(MAX_LEN.mark).optional(),
  priceMinor: Minor,
  quantityMilli: Milli,
  /** Line total as the original receipt printed it (discounts included): the authority for refunds. */
  amountMinor: Minor,
  /**
   * The rate the original receipt printed for this line (tag 1199), as the back end recorded it; a refund
   * prints this rate, never today's. null: the back end gave none, and the line cannot be refunded until
   * it does (a rate is never guessed).
   */
  vat: VatRate.nullable(),
  paymentMethod: PaymentMethod,
  itemSign: ItemSign,
  refundedMilli: Milli,
  /** Money already given back on this line: a partial refund prices from what is left (see refunds/). */
  refundedMinor: Minor,
  refundableMilli: Milli,
  /** Back-end specific fields a refund must echo back (REGOS `code`, `icps`, `package_code`, `label` ...). */
  extra: z.record(z.string().max(MAX_LEN.code), z.union([z.string().max(MAX_LEN.mark), z.number(), z.null()])).optional(),
  /**
   * Marked goods (Честный знак): present when the back end says the line is marked, with the codes it
   * gave for the units sold (possibly none). A refund of it names one code per unit (main/marking/README.md).
   */
  marking: z.object({ codes: MarkingCodes }).optional(),
});
export type SaleLine = z.infer<typeof SaleLine>;

export const SalePayment = z.object({
  paymentPartId: Id,
  saleSessionId: Id.optional(),
  kind: TenderKind,
  /** The back end's own name for the part (LIFE POS `type_of`), echoed back in the reversal session. */
  typeOf: Code.optional(),
  amountMinor: Minor,
  refundedMinor: Minor,
  rrn: Code.optional(),
});
export type SalePayment = z.infer<typeof SalePayment>;

/** Fiscal data of the original sale receipt (REGOS `refund_info`, the ФН document of a local sale). */
export const SaleFiscal = z.object({
  documentNumber: Code.optional(),
  fiscalSign: Code.optional(),
  dateTime: DateTimeText.optional(),
  terminalId: Code.optional(),
  qrCodeUrl: z.string().max(MAX_LEN.url).optional(),
});

/** The id travels on to the back end's URL (LIFE POS deal GUID, LIFE PAY uuid): bounded like every id. */
export const SaleRef = z.object({ source: SaleSource, id: Id });
export type SaleRef = z.infer<typeof SaleRef>;

export const Sale = z.object({
  ref: SaleRef,
  number: Code,
  createdAt: DateTimeText,
  currency: Currency,
  totalMinor: Minor,
  lines: z.array(SaleLine),
  payments: z.array(SalePayment),
  fiscal: SaleFiscal.optional(),
  /** Set when the remainder could not be checked against the server (offline): refunds still work
   *  from the local record, and the cashier is told. */
  remainderFromLocalOnly: z.boolean(),
  /**
   * Refund receipts the ФН holds that the till's database lost (main/refunds/history/recoveredRefunds.ts):
   * `notices` tell the cashier what was counted against this sale. `receipts` are those no sale is known
   * for, each the cashier's to decide (refunds.decideRecovered): counted here until the cashier says it is
   * another sale's, or `undecided` (it matches only in part) — then the sale is not refunded until answered.
   */
  recovered: z.object({
    notices: z.array(Notice).max(2),
    receipts: z.array(z.object({ fnNumber: Code, number: z.number().int().positive(), text: Text, coded: MainText.optional(), undecided: z.boolean() })).max(100),
  }).optional(),
});
export type Sale = z.infer<typeof Sale>;

export const SaleSummary = Sale.pick({ ref: true, number: true, createdAt: true, currency: true, totalMinor: true })
  .extend({ fullyRefunded: z.boolean() });
export type SaleSummary = z.infer<typeof SaleSummary>;

/**
 * A line the cashier types from the paper receipt of a REGOS sale VCR answered without lines (issue 13):
 * what the refund receipt needs of it, nothing guessed.
 */
export const EnteredLine = z.object({
  name: z.string().trim().min(1).max(MAX_LEN.name),
  /** ИКПУ (MXIK) as printed on the receipt: 17 digits (seed 002's "icps": "02202002001010036"); VCR checks it. */
  icps: z.string().length(17, 'ИКПУ — 17 цифр').regex(/^\d{17}$/, 'ИКПУ — 17 цифр'),
  quantityMilli: Milli.positive(),
  /** The line's total as printed. */
  amountMinor: Minor.positive(),
  vat: z.enum(['vat12', 'vat15', 'vat0', 'none']),
});
export type EnteredLine = z.infer<typeof EnteredLine>;

/** A search answers one sale to open, or a short list when the query names several (issue 13). */
export const SaleSearchResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sale'), sale: Sale }),
  z.object({ kind: z.literal('choices'), sales: z.array(SaleSummary).min(2).max(20) }),
]);
export type SaleSearchResult = z.infer<typeof SaleSearchResult>;

/** `markingCodes`: for a marked line, the code of each unit given back, as scanned (any separator spelling). */
export const RefundLineRequest = z.object({ lineId: Id, quantityMilli: Milli.positive(), markingCodes: MarkingCodes.optional() });
export type RefundLineRequest = z.infer<typeof RefundLineRequest>;

export const RefundLine = z.object({
  lineId: Id,
  name: z.string().max(MAX_LEN.name),
  quantityMilli: Milli,
  amountMinor: Minor,
  vat: VatRate,
  paymentMethod: PaymentMethod,
  itemSign: ItemSign,
  /** A marked line: one normalised code per unit refunded, each printed as a position of its own. */
  markingCodes: MarkingCodes.optional(),
});
export type RefundLine = z.infer<typeof RefundLine>;

export const RefundTender = z.object({
  paymentPartId: Id,
  kind: TenderKind,
  amountMinor: Minor,
  /** Card parts go back through the acquiring terminal: the cashier types its RRN. */
  needsCard: z.boolean(),
  rrn: Code.optional(),
});
export type RefundTender = z.infer<typeof RefundTender>;

/**
 * confirmed and fiscalizing are pending: the receipt is not printed yet, or may have reached the ФН (or
 * VCR) and waits for the device to say so. failed means proven that nothing was registered (the lines
 * are refundable again); review means a person must compare with the printer's report.
 */
export const RefundState = z.enum(['draft', 'confirmed', 'fiscalizing', 'fiscalized', 'synced', 'failed', 'review']);
export type RefundState = z.infer<typeof RefundState>;
export const PENDING_REFUND_STATES = ['confirmed', 'fiscalizing'] as const satisfies readonly RefundState[];
export const isPendingRefund = (state: RefundState): boolean => (PENDING_REFUND_STATES as readonly RefundState[]).includes(state);

/** How a refund was settled by recovery with nobody watching: after the app restarted, or in the background. */
export const RecoveredHow = z.enum(['restart', 'background']);
export type RecoveredHow = z.infer<typeof RecoveredHow>;

export const FiscalDocumentView = z.object({
  /** The ФН fiscal document number (ФД №); for REGOS, ReceiptNo when it is all digits, else 0. */
  number: z.number().int(),
  /** REGOS "ReceiptNo | string | Номер чека в ПОФМ" (seed 002) exactly as VCR gave it. */
  receiptNo: Code.optional(),
  fiscalSign: Code,
  dateTime: DateTimeText,
  qrCodeUrl: z.string().max(MAX_LEN.url).optional(),
});
export type FiscalDocumentView = z.infer<typeof FiscalDocumentView>;

export const Refund = z.object({
  id: Id,
  sale: SaleRef,
  saleNumber: Code,
  currency: Currency,
  state: RefundState,
  lines: z.array(RefundLine),
  tenders: z.array(RefundTender),
  totalMinor: Minor,
  /** The first receipt's fiscal data (a refund of several receipts lists them all in `receipts`). */
  fiscal: FiscalDocumentView.optional(),
  /**
   * Every receipt of this refund printed so far, in print order (issue 20: a refund larger than one
   * receipt is printed as several); `receiptCount` is how many it takes in all.
   */
  receipts: z.array(FiscalDocumentView).max(1000).optional(),
  receiptCount: z.number().int().min(1).max(1000).optional(),
  /** Russian, for the cashier: why the refund failed, waits or needs review, and what to do now. */
  reason: Text.optional(),
  /** The same reason as a code with its values, said in the UI's language (absent: only the Russian text). */
  reasonText: MainText.optional(),
  createdAt: DateTimeText,
  updatedAt: DateTimeText,
});
export type Refund = z.infer<typeof Refund>;

/** A refund recovery settled, shown to the cashier once ("после перезапуска…") until acknowledged. */
export const RecoveredRefund = Refund.extend({ recovered: RecoveredHow });
export type RecoveredRefund = z.infer<typeof RecoveredRefund>;

export const RefundPreview = z.object({
  sale: SaleRef,
  currency: Currency,
  lines: z.array(RefundLine),
  tenders: z.array(RefundTender),
  totalMinor: Minor,
  /** Notes the cashier must see before confirming (offline sync later, card needed ...). */
  notices: z.array(Notice),
});
export type RefundPreview = z.infer<typeof RefundPreview>;

export const Connectivity = z.enum(['online', 'offline', 'degraded', 'unknown']);
export type Connectivity = z.infer<typeof Connectivity>;

export const PrinterState = z.object({
  /** `none`: a REGOS-only till, whose port is never opened (issue 15 point 4). */
  state: z.enum(['ready', 'busy', 'paperOut', 'coverOpen', 'offline', 'error', 'unknown', 'none']),
  /** Russian, what the cashier should do. */
  message: Text,
  /** The device's own error code, for the store's IT person. */
  deviceCode: z.number().int().optional(),
});
export type PrinterState = z.infer<typeof PrinterState>;

export const ShiftState = z.object({
  state: z.enum(['open', 'closed', 'expired', 'unknown']),
  number: z.number().int().optional(),
  openedAt: DateTimeText.optional(),
});
export type ShiftState = z.infer<typeof ShiftState>;

export const DeadJob = z.object({
  id: z.number().int(),
  kind: Code,
  refundId: Id.optional(),
  /** Russian, what went wrong and what to do. */
  reason: Text,
  /** The same as a code with values, which the UI says in its language (absent: say the Russian text). */
  reasonText: MainText.optional(),
  attempts: z.number().int(),
});

export const SyncStatus = z.object({
  counts: z.object({ pending: z.number().int(), running: z.number().int(), done: z.number().int(), dead: z.number().int() }),
  oldestPendingAgeMs: z.number().int().nullable(),
  dead: z.array(DeadJob),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** The cashier's language (issue 15): Russian, or Uzbek in Latin script. */
export const UiLanguage = z.enum(['ru', 'uz']);
export type UiLanguage = z.infer<typeof UiLanguage>;

/** A till with a fiscal printer (any back end), or an Uzbek till that refunds through REGOS VCR only. */
export const TillKind = z.enum(['fiscalPrinter', 'regosOnly']);
export type TillKind = z.infer<typeof TillKind>;

export const AppStatus = z.object({
  version: Code,
  trainingMode: z.boolean(),
  currency: Currency,
  backends: z.record(BackendName, Connectivity),
  printer: PrinterState,
  shift: ShiftState,
  /** Russian, when the settings file was damaged and the app runs on the last good copy or in training. */
  settingsProblem: Text.optional(),
  /** Russian, after the app started again following a crash or a kill (main/crashMarker.ts); the UI shows each `at` once. */
  restartNotice: z.object({ at: DateTimeText, message: Text }).optional(),
  /** Who prints now (tags 1021/1203): the signed-in cashier, or the settings' name when nobody signed in (issue 14). */
  cashier: z.object({ name: z.string().max(64), signedIn: z.boolean() }).optional(),
  /** The settings' UI language; absent from an older main process: Russian. */
  language: UiLanguage.optional(),
  /** The till's IANA time zone (the setting, or the system's when it is empty); absent: the UI's own. */
  timeZone: z.string().max(64).optional(),
  /** Absent: a till with a fiscal printer. */
  till: TillKind.optional(),
});
export type AppStatus = z.infer<typeof AppStatus>;
