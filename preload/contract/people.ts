import { z } from 'zod';
import { Currency, Minor, Refund, RefundState, TenderKind } from './domain';
import { InstalmentPayment } from './instalments';
import { MAX_LEN } from './limits';

/**
 * The store's people (issue 14): cashiers who sign in, managers who approve, the refund journal, cash.
 * PINs travel only from the UI to main, once, to be hashed or checked; they are never answered back.
 */
const Id = z.string().min(1).max(MAX_LEN.id);
const DateTimeText = z.string().max(MAX_LEN.dateTime);
const Text = z.string().max(MAX_LEN.text);
export const Pin = z.string().regex(/^\d{4,8}$/, 'PIN — от 4 до 8 цифр').max(8);
export const PersonName = z.string().trim().min(1, 'Введите имя').max(64);
/** 12 digits; the check digits are checked in main (main/people/inn.ts) with a Russian reason. */
export const PersonInn = z.string().regex(/^\d{12}$/, 'ИНН кассира — 12 цифр').max(12);

export const PersonRole = z.enum(['cashier', 'manager']);
export type PersonRole = z.infer<typeof PersonRole>;

export const Person = z.object({
  id: Id,
  name: PersonName,
  inn: PersonInn.optional(),
  role: PersonRole,
  hasPin: z.boolean(),
});
export type Person = z.infer<typeof Person>;

/** Who prints this till's documents now: tags 1021 and 1203 of every receipt and shift document. */
export const SignedIn = z.object({
  name: PersonName,
  inn: PersonInn.optional(),
  role: PersonRole,
  /** Set when the person is on the till's list; a name typed at sign-in has none. */
  personId: Id.optional(),
  since: DateTimeText,
});
export type SignedIn = z.infer<typeof SignedIn>;

export const SignInInput = z.union([
  z.object({ personId: Id, pin: Pin.optional() }).strict(),
  z.object({ name: PersonName, inn: PersonInn.optional() }).strict(),
]);
export type SignInInput = z.infer<typeof SignInInput>;

/** What a manager's PIN approves (issue 14 point 2). */
export const ApprovalAction = z.enum(['refundWithoutReceipt', 'refundAboveLimit', 'trainingMode', 'backendSettings', 'people', 'rules']);
export type ApprovalAction = z.infer<typeof ApprovalAction>;

export const ApprovalRequest = z.object({
  managerId: Id,
  pin: Pin,
  action: ApprovalAction,
  /** What exactly is approved, in Russian, as the log keeps it ("возврат 1 200,00 ₽ по продаже А-1001"). */
  detail: Text,
}).strict();

/** A one-time approval: the gated call carries its id, and it is spent by that call. */
export const ApprovalGrant = z.object({ approvalId: Id, managerName: PersonName, action: ApprovalAction, expiresAt: DateTimeText });
export type ApprovalGrant = z.infer<typeof ApprovalGrant>;

export const ApprovalLogEntry = z.object({
  at: DateTimeText,
  managerName: PersonName,
  action: ApprovalAction,
  detail: Text,
  cashierName: PersonName.optional(),
});
export type ApprovalLogEntry = z.infer<typeof ApprovalLogEntry>;

export const PeopleRules = z.object({
  /** A refund above this total needs a manager's approval; 0 = never. */
  approvalAboveMinor: Minor.nonnegative(),
  /** Before a cash refund the drawer's cash (register 241) must cover its cash part. */
  checkDrawerForCash: z.boolean(),
});
export type PeopleRules = z.infer<typeof PeopleRules>;

export const PeopleView = z.object({
  people: z.array(Person).max(200),
  signedIn: SignedIn.nullable(),
  rules: PeopleRules,
  /** Seconds until manager approval works again after three wrong PINs; 0 when it is not locked. */
  approvalLockedSeconds: z.number().int().nonnegative(),
});
export type PeopleView = z.infer<typeof PeopleView>;

export const AddPersonInput = z.object({
  name: PersonName,
  inn: PersonInn.optional(),
  role: PersonRole,
  pin: Pin.optional(),
  approvalId: Id.optional(),
}).strict();

// ---- the refund journal ----------------------------------------------------------------------------
export const JournalKind = z.enum(['refund', 'credit']);
export type JournalKind = z.infer<typeof JournalKind>;

export const JournalFilter = z.object({
  /** The till's local day, YYYY-MM-DD; none = the newest entries. */
  date: z.iso.date().max(10).optional(),
  /** Part of the fiscal document number, the refund's id or VCR's receipt id. */
  number: z.string().trim().max(MAX_LEN.code).optional(),
  /** Part of the original sale's number. */
  sale: z.string().trim().max(MAX_LEN.code).optional(),
  state: RefundState.optional(),
  cashier: z.string().trim().max(64).optional(),
  limit: z.number().int().min(1).max(500).optional(),
}).strict();
export type JournalFilter = z.infer<typeof JournalFilter>;

export const JournalEntry = z.object({
  kind: JournalKind,
  id: Id,
  createdAt: DateTimeText,
  saleNumber: z.string().max(MAX_LEN.code),
  /** Refund state, or the credit receipt's ('sending' | 'registered' | 'failed'). */
  state: z.string().max(MAX_LEN.code),
  currency: Currency,
  totalMinor: Minor,
  /** ФД № of the first receipt, or VCR's id of a credit receipt. */
  documentNumber: z.string().max(MAX_LEN.code).optional(),
  cashierName: z.string().max(64).optional(),
  withoutReceipt: z.boolean(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const SyncJob = z.object({ kind: z.string().max(MAX_LEN.code), state: z.string().max(MAX_LEN.code), attempts: z.number().int(), lastError: Text.optional() });

export const JournalDetail = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('refund'),
    refund: Refund,
    cashierName: z.string().max(64).optional(),
    cashierInn: PersonInn.optional(),
    withoutReceipt: z.boolean(),
    reason: Text.optional(),
    approvedBy: PersonName.optional(),
    /** The outbox jobs that record it with LIFE POS; empty for REGOS (online) and for no-back-end refunds. */
    sync: z.array(SyncJob).max(50),
    copyLines: z.array(z.string().max(MAX_LEN.text)).max(2000),
  }),
  z.object({ kind: z.literal('credit'), payment: InstalmentPayment, copyLines: z.array(z.string().max(MAX_LEN.text)).max(200) }),
]);
export type JournalDetail = z.infer<typeof JournalDetail>;

export const CsvExport = z.object({ path: z.string().max(MAX_LEN.url), rows: z.number().int(), csv: z.string().max(5_000_000) });

// ---- cash ----------------------------------------------------------------------------------------
export const CashOperationInput = z.object({ kind: z.enum(['in', 'out']), amountMinor: Minor.positive() }).strict();
export const CashOperationResult = z.object({ documentNumber: z.number().int(), inDrawerMinor: Minor });

/** Refunds of a day (or of the shift on screen) by how the money went back. */
export const RefundTotals = z.object({
  date: z.iso.date().max(10),
  currency: Currency,
  byTender: z.array(z.object({ kind: TenderKind, amountMinor: Minor, count: z.number().int() })).max(20),
  totalMinor: Minor,
  refunds: z.number().int(),
  inDrawerMinor: Minor.optional(),
});
export type RefundTotals = z.infer<typeof RefundTotals>;
