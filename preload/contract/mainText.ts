import { z } from 'zod';
import { Currency, Milli, Minor } from './units';
import { MAX_LEN } from './limits';

/**
 * A sentence the main process composes for the cashier from particulars (a refund's reason, a progress
 * line, the printer's notice), sent as a code with typed values beside the Russian text it also writes
 * (issue 15 point 1). The renderer says it in the UI's language through its catalogue (renderer/src/i18n/
 * mainSaid.ts, keys `main.<code>`) with the till's formatters; the Russian text stays what the log, the
 * journal and an older UI read. Every code has a Russian and an Uzbek entry (the type and mainSaid.test.ts).
 */

/** An error inside a sentence: said by its code as any error is (errorTexts.ts); its Russian message the fallback. */
export const SaidError = z.object({
  code: z.string().max(MAX_LEN.code),
  message: z.string().max(MAX_LEN.text),
  /** What a back end said, word for word (REGOS VCR's description): quoted as it is in any language. */
  quote: z.string().max(500).optional(),
});
export type SaidError = z.infer<typeof SaidError>;

const Count = z.number().int().min(0).max(1000);
/** ФД numbers of the receipts printed so far. */
const FdNumbers = z.array(z.number().int()).max(1000);
const none = z.object({}).strict();

/** Why a refund waits for the printer, alone or after the receipts of it already printed. */
export const PrinterWait = z.discriminatedUnion('code', [
  z.object({ code: z.literal('printer.waits'), params: none }),
  z.object({ code: z.literal('printer.earlierUnsettled'), params: none }),
  z.object({ code: z.literal('printer.notPrintedWaits'), params: z.object({ error: SaidError }).strict() }),
  /** A fault of the program itself while printing (the device said nothing is in the ФН): its text is in main.log only. */
  z.object({ code: z.literal('printer.programFault'), params: none }),
]);
export type PrinterWait = z.infer<typeof PrinterWait>;

/**
 * What LIFE PAY's cloud register could not fiscalize, so the till's printer prints it. A refund stored
 * with 'noTenderField' before the other two existed may have been stopped by either of them.
 */
const HandOverWhy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notConnected') }),
  /** A postpayment/credit tender: create-receipt has no field for it. */
  z.object({ kind: z.literal('noTenderField') }),
  /** An Uzbek VAT rate (vat12/vat15): LIFE PAY has no such rate. */
  z.object({ kind: z.literal('noVatRate') }),
  /** A weighed line whose money no cloud price × quantity gives to the kopeck. */
  z.object({ kind: z.literal('noExactPrice') }),
  z.object({ kind: z.literal('refused'), error: SaidError }),
]);

/** One refund in an overlap (issue 22): the till, the back end's time (as it wrote it), the amount. */
const OverlapRefundSaid = z.object({
  thisTill: z.boolean(),
  /** The other till's ФН number, when its receipt carried one. */
  till: z.string().max(MAX_LEN.field).nullable(),
  fd: z.number().int().nullable(),
  /** "01.12.2026 14:05" as the back end recorded it (no time zone guessed). */
  at: z.string().max(MAX_LEN.dateTime),
  totalMinor: Minor,
  currency: Currency,
});

/** A refund receipt read back from the ФН after a lost database (main/refunds/history/recoveredRefunds.ts). */
const RecoveredReceiptSaid = z.object({
  fd: z.number().int(),
  /** The ФН's own local time, "dd.mm.yyyy hh:mm" as main wrote it. */
  at: z.string().max(MAX_LEN.dateTime),
  totalMinor: Minor,
  currency: Currency,
  positions: z.array(z.object({ name: z.string().max(MAX_LEN.name), quantityMilli: Milli })).max(100),
}).strict();

export const MainText = z.discriminatedUnion('code', [
  ...PrinterWait.options,
  z.object({ code: z.literal('printer.lost'), params: none }),
  // Progress lines of a refund printed as several receipts, and of a printed one.
  z.object({ code: z.literal('printer.printing'), params: z.object({ seq: Count, count: Count }).strict() }),
  z.object({ code: z.literal('printer.printedOf'), params: z.object({ seq: Count, count: Count, fd: z.number().int() }).strict() }),
  z.object({ code: z.literal('printer.printedOne'), params: z.object({ fd: z.number().int() }).strict() }),
  z.object({ code: z.literal('printer.printedAll'), params: z.object({ count: Count, fds: FdNumbers }).strict() }),
  z.object({ code: z.literal('printer.notPrinted'), params: z.object({ error: SaidError.optional() }).strict() }),
  z.object({ code: z.literal('printer.partlyPrinted'), params: z.object({ printed: Count, count: Count, fds: FdNumbers, then: PrinterWait }).strict() }),
  z.object({ code: z.literal('printer.partlyRefused'), params: z.object({ printed: Count, count: Count, fds: FdNumbers, error: SaidError.optional() }).strict() }),
  z.object({ code: z.literal('printer.printedUnsynced'), params: z.object({ fds: FdNumbers, saleNumber: z.string().max(MAX_LEN.code), error: SaidError }).strict() }),
  z.object({ code: z.literal('printer.markingOffline'), params: none }),
  z.object({ code: z.literal('refund.review'), params: none }),
  /** Refused before anything was registered: the error says why (REGOS's refusal, a receipt that cannot be built). */
  z.object({ code: z.literal('refund.refused'), params: z.object({ error: SaidError }).strict() }),
  z.object({ code: z.literal('lifepay.waits'), params: none }),
  z.object({ code: z.literal('lifepay.unknown'), params: none }),
  z.object({ code: z.literal('lifepay.handedOver'), params: z.object({ why: HandOverWhy }).strict() }),
  z.object({ code: z.literal('regos.waits'), params: none }),
  /** VCR's ReceiptNo as VCR gave it (seed 002: a string). */
  z.object({ code: z.literal('regos.registered'), params: z.object({ receiptNo: z.string().max(MAX_LEN.code) }).strict() }),
  z.object({ code: z.literal('regos.notNow'), params: none }),
  z.object({ code: z.literal('regos.notRegistered'), params: none }),
  // A dead outbox job's reason (main/queue/failurePolicy.ts): the back end refused it for good, or every attempt failed.
  z.object({ code: z.literal('outbox.refused'), params: z.object({ error: SaidError }).strict() }),
  /** No error: the last failure was not one of ours (a bug or a library surprise). */
  z.object({ code: z.literal('outbox.gaveUp'), params: z.object({ attempts: Count, error: SaidError.optional() }).strict() }),
  /** An instalment part-payment VCR refused (main/instalments/instalmentService.ts). */
  z.object({ code: z.literal('instalment.refused'), params: z.object({ error: SaidError }).strict() }),
  // Before a refund (RefundPreview.notices, Sale.recovered): a refund printed as several receipts, refunds rebuilt from the ФН.
  z.object({ code: z.literal('preview.severalReceipts'), params: z.object({ count: Count, max: Count }).strict() }),
  z.object({ code: z.literal('recovered.counted'), params: z.object({ receipts: z.array(RecoveredReceiptSaid).max(50) }).strict() }),
  z.object({ code: z.literal('recovered.unresolved'), params: z.object({ receipts: z.array(RecoveredReceiptSaid).max(50) }).strict() }),
  z.object({ code: z.literal('recovered.receipt'), params: RecoveredReceiptSaid }),
  z.object({
    code: z.literal('overlap.flagged'),
    params: z.object({
      saleNumber: z.string().max(MAX_LEN.code),
      lines: z.array(z.object({ name: z.string().max(MAX_LEN.name), soldMilli: Milli, refundedMilli: Milli })).max(50),
      refunds: z.array(OverlapRefundSaid).max(50),
    }).strict(),
  }),
]);
export type MainText = z.infer<typeof MainText>;
export type MainTextCode = MainText['code'];
export type MainTextParams<C extends MainTextCode> = Extract<MainText, { code: C }>['params'];
