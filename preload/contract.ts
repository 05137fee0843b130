import { z } from 'zod';
import {
  AppStatus, FiscalDocumentView, PrinterState, RecoveredRefund, Refund, RefundLineRequest, RefundPreview, RefundState, Sale,
  SaleRef, SaleSearchResult, SaleSummary, EnteredLine, ShiftState, SyncStatus, BackendName, Connectivity,
} from './contract/domain';
import { SerialPortInfo, SettingsInput, SettingsView } from './contract/settings';
import { MAX_LEN } from './contract/limits';
import {
  AddPersonInput, ApprovalGrant, ApprovalLogEntry, ApprovalRequest, CashOperationInput, CashOperationResult, CsvExport, JournalDetail,
  JournalEntry, JournalFilter, JournalKind, PeopleRules, PeopleView, RefundTotals, SignInInput, SignedIn,
} from './contract/people';
import { CreditReceiptCopy, InstalmentPayInput, InstalmentPayment, InstalmentSale } from './contract/instalments';
import { RefundOverlap } from './contract/overlaps';
import { RefundReason, WithoutReceiptInput } from './contract/withoutReceipt';
import { MainText } from './contract/mainText';

export * from './contract/domain';
export * from './contract/settings';
export * from './contract/limits';
export * from './contract/people';
export * from './contract/instalments';
export * from './contract/overlaps';
export * from './contract/withoutReceipt';
export * from './contract/mainText';

/**
 * The one contract between the UI and the main process. The Electron IPC handlers, the preload bridge,
 * the HTTP bridge server and the renderer client are all generated from these two tables; adding a call
 * here and a handler in main/services is all it takes to expose it everywhere.
 */
const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const calls = {
  'app.status': call(Empty, AppStatus),

  'sales.find': call(z.object({ query: z.string().trim().min(1).max(128) }).strict(), Sale),
  /** What the cashier typed or scanned (number in any spelling, fiscal QR): one sale, or several to pick from. */
  'sales.search': call(z.object({ query: z.string().trim().min(1).max(512) }).strict(), SaleSearchResult),
  /** A REGOS sale without lines (VCR keeps none): the lines to refund and how it was paid, from the paper receipt. */
  'sales.enterLines': call(z.object({ ref: SaleRef, lines: z.array(EnteredLine).min(1).max(150), payment: z.enum(['cash', 'card']) }).strict(), Sale),
  'sales.get': call(z.object({ ref: SaleRef }).strict(), Sale),
  'sales.recent': call(z.object({ date: z.iso.date().max(10).optional(), limit: z.number().int().min(1).max(200).optional() }).strict(), z.array(SaleSummary)),

  /** A refund without a receipt (issue 14 point 5): the typed lines as a pseudo-sale of this till to refund whole. */
  'refunds.withoutReceipt': call(WithoutReceiptInput, Sale),
  'refunds.preview': call(z.object({ sale: SaleRef, lines: z.array(RefundLineRequest).min(1) }).strict(), RefundPreview),
  'refunds.confirm': call(
    z.object({
      /** Made by the UI before the first attempt, so a double Enter or a retried request is one refund. */
      refundId: z.uuid(),
      sale: SaleRef,
      lines: z.array(RefundLineRequest).min(1),
      /** RRNs typed from the acquiring terminal, per card payment part. */
      cardRrns: z.record(z.string().max(MAX_LEN.id), z.string().regex(/^[0-9A-Z]{12}$/, 'RRN — 12 символов: цифры и латинские буквы').max(12)),
      /** A manager's grant (people.approve) when the refund is above the store's limit (issue 14). */
      approvalId: z.string().max(MAX_LEN.id).optional(),
      /** Why the customer has no receipt: required for a refund without one (issue 14 point 5). */
      reason: RefundReason.optional(),
    }).strict(),
    /**
     * The refund in its real state: fiscalized/synced are done; confirmed/fiscalizing wait for the printer
     * or VCR (its reason says what the cashier does); failed and review say why. Confirming a stored
     * pending refund again resumes it. An error answer means nothing was recorded.
     */
    Refund,
  ),
  /** Only a refund proven not printed (state confirmed, not on the printer now); its lines are refundable again. */
  'refunds.cancel': call(z.object({ id: z.string().max(MAX_LEN.id) }).strict(), Refund),
  /** What recovery settled that the cashier has not been shown yet. */
  'refunds.recovered': call(Empty, z.array(RecoveredRefund)),
  'refunds.acknowledge': call(z.object({ ids: z.array(z.string().max(MAX_LEN.id)).min(1).max(500) }).strict(), Ok),
  /**
   * The cashier's word on a refund receipt rebuilt from the ФН that may be a refund of `sale` (Sale.recovered
   * .unresolved): `belongs` true counts it against the sale, false stops it counting there. Answers the sale again.
   */
  'refunds.decideRecovered': call(z.object({ fnNumber: z.string().max(MAX_LEN.code), number: z.number().int().positive(), sale: SaleRef, belongs: z.boolean() }).strict(), Sale),
  'refunds.get': call(z.object({ id: z.string().max(MAX_LEN.id) }).strict(), Refund),
  'refunds.list': call(z.object({ states: z.array(RefundState).optional(), limit: z.number().int().min(1).max(500).optional() }).strict(), z.array(Refund)),
  'refunds.reprint': call(z.object({ id: z.string().max(MAX_LEN.id) }).strict(), Ok),
  /** Sales refunded beyond what was sold across tills (issue 22), newest first: for F4 and the journal. */
  'refunds.overlaps': call(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), z.array(RefundOverlap)),
  /** A person has looked at an overlap (the refund stays in review until settled in LIFE POS). */
  'refunds.acknowledgeOverlap': call(z.object({ refundId: z.string().max(MAX_LEN.id) }).strict(), Ok),

  /** Instalment part-payments: REGOS credit receipts (seed 003), online only, exactly once by paymentId. */
  'instalments.find': call(z.object({ query: z.string().trim().min(1).max(MAX_LEN.url) }).strict(), InstalmentSale),
  'instalments.pay': call(InstalmentPayInput, InstalmentPayment),
  'instalments.get': call(z.object({ id: z.string().max(MAX_LEN.id) }).strict(), InstalmentPayment),
  'instalments.list': call(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), z.array(InstalmentPayment)),
  /** A copy of a registered credit receipt: printed (marked КОПИЯ) where there is a printer, else on screen. */
  'instalments.reprint': call(z.object({ id: z.string().max(MAX_LEN.id) }).strict(), CreditReceiptCopy),

  'sync.status': call(Empty, SyncStatus),
  'sync.retry': call(z.object({ jobId: z.number().int() }).strict(), Ok),

  'shift.status': call(Empty, ShiftState),
  'shift.open': call(Empty, FiscalDocumentView),
  'shift.xReport': call(Empty, Ok),
  'shift.close': call(Empty, FiscalDocumentView),

  'printer.status': call(Empty, PrinterState),

  /** The store's people (issue 14): who is signed in, the till's cashiers, manager approval by PIN. */
  'people.view': call(Empty, PeopleView),
  'people.signIn': call(SignInInput, SignedIn),
  'people.signOut': call(Empty, Ok),
  'people.add': call(AddPersonInput, PeopleView),
  'people.remove': call(z.object({ id: z.string().max(MAX_LEN.id), approvalId: z.string().max(MAX_LEN.id).optional() }).strict(), PeopleView),
  'people.setRules': call(z.object({ rules: PeopleRules, approvalId: z.string().max(MAX_LEN.id).optional() }).strict(), PeopleView),
  'people.approve': call(ApprovalRequest, ApprovalGrant),
  'people.approvals': call(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), z.array(ApprovalLogEntry)),

  /** The refund journal with REGOS credit receipts beside the refunds (issue 14 point 3, issue 24 point 3). */
  'journal.list': call(JournalFilter, z.array(JournalEntry)),
  'journal.get': call(z.object({ kind: JournalKind, id: z.string().max(MAX_LEN.id) }).strict(), JournalDetail),
  'journal.exportDay': call(z.object({ date: z.iso.date().max(10) }).strict(), CsvExport),

  /** The cash drawer, внесение/выплата, and a day's refunds by tender (issue 14 point 4). */
  'cash.drawer': call(Empty, Ok),
  'cash.operation': call(CashOperationInput, CashOperationResult),
  'cash.refundTotals': call(z.object({ date: z.iso.date().max(10).optional() }).strict(), RefundTotals),

  'settings.get': call(Empty, SettingsView),
  /** Switching training mode and changing back-end addresses or keys carry a manager's grant once the till has a manager. */
  'settings.save': call(SettingsInput.extend({ approvalId: z.string().max(MAX_LEN.id).optional() }), SettingsView),
  'settings.ports': call(Empty, z.array(SerialPortInfo)),

  /** Training mode only: a trainer (and the e2e tests) make the built-in emulators misbehave. */
  'training.simulate': call(
    z.object({
      target: z.enum(['lifepos', 'lifepay', 'regos', 'printer']),
      /**
       * shiftOver24h (printer): the device clock runs 25 h ahead, so an open shift is over 24 hours.
       * lifeposRejectNext (lifepos): the next reversal session create is refused with HTTP 422 (a dead job).
       */
      fault: z.enum(['online', 'offline', 'paperOutMidReceipt', 'paperBack', 'shiftOver24h', 'lifeposRejectNext']),
    }).strict(),
    Ok,
  ),
} as const;

export const events = {
  'app.status': AppStatus,
  'sync.status': SyncStatus,
  'printer.status': PrinterState,
  'connectivity': z.object({ backend: BackendName, state: Connectivity }),
  'refund.progress': z.object({
    refundId: z.string().max(MAX_LEN.id),
    state: RefundState,
    /** Russian, one line for the printing screen ("Печать чека…", "Вставьте чековую ленту"). */
    message: z.string().max(MAX_LEN.text),
    /** The same line as a code with its values, said in the UI's language (absent: a fixed line, i18n/mainTexts.ts). */
    text: MainText.optional(),
  }),
  /** Recovery settled a refund with nobody watching (see refunds.recovered). */
  'refund.recovered': RecoveredRefund,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.infer<Calls[K]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.infer<Events[K]>;

/** Main-process implementation of every call: input already parsed, output checked on the way out. */
export type Handlers = { [K in CallName]: (input: z.infer<Calls[K]['input']>) => Promise<CallOutput<K>> };

/** Errors cross every boundary as data (Signal's habit): a code for IT, a Russian message for the cashier. */
export const ErrorPayload = z.object({
  code: z.string().max(MAX_LEN.code),
  message: z.string().max(MAX_LEN.text),
  detail: z.string().max(MAX_LEN.detail).optional(),
  deviceCode: z.number().int().optional(),
  /** An unexpected error's id: the cashier reads it to IT, who finds the full story under it in the log. */
  correlationId: z.string().max(MAX_LEN.code).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;
export type CallResult<K extends CallName> = { ok: true; value: CallOutput<K> } | { ok: false; error: ErrorPayload };

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];
export const isCallName = (name: string): name is CallName => Object.hasOwn(calls, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);

/** IPC channel names: one prefix so the main side can refuse anything that is not ours. */
export const IPC_CALL_PREFIX = 'cashier:call:';
export const IPC_EVENT_CHANNEL = 'cashier:event';

/** The object the preload script exposes as `window.cashier`. */
export interface CashierBridge {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}
