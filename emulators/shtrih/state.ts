import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * What the emulated ФН keeps across power cycles: shift, document counter, fiscalized documents.
 * An open receipt is deliberately NOT here: the register holds it in RAM until the close command
 * fiscalizes it, so a power cut loses it, exactly as on a real device.
 */
export const StoredPosition = z.object({
  name: z.string(),
  priceMinor: z.number().int(),
  quantityMicro: z.number().int(),
  amountMinor: z.number().int(),
  taxRate: z.number().int(),
  paymentMethod: z.number().int(),
  itemSign: z.number().int(),
  /** The tax group the FF46 tax byte named, and what the device recorded for it: tag 1199, rate (hundredths of %), tax. */
  taxGroup: z.number().int().optional(),
  vatTag: z.number().int().optional(),
  vatRate: z.number().int().optional(),
  vatMinor: z.number().int().optional(),
  /** The unit's marking code bound by FF67 (tag 2000 of the position), as the host sent it. */
  markingCode: z.string().optional(),
});
export type StoredPosition = z.infer<typeof StoredPosition>;

export const StoredDocument = z.object({
  number: z.number().int().positive(),
  /** ФФД document type: 2 open shift, 3 receipt, 5 close shift, 31 correction. */
  type: z.number().int(),
  dateTime: z.string(),
  fiscalSign: z.number().int().nonnegative(),
  shiftNumber: z.number().int().nonnegative(),
  operation: z.number().int().optional(),
  totalMinor: z.number().int().optional(),
  positions: z.array(StoredPosition).optional(),
  payments: z.array(z.number().int()).optional(),
  cashier: z.string().optional(),
  /** Tag 1203 ИНН кассира, when the host sent one (FF0C). */
  cashierInn: z.string().optional(),
  customerContact: z.string().optional(),
  /** The document's TLV as the ФН registered it (./fnDocumentTlv.ts), served by 0xFF3A/0xFF3B. */
  tlvHex: z.string().regex(/^(?:[0-9a-f]{2})*$/).optional(),
});
export type StoredDocument = z.infer<typeof StoredDocument>;

export const EmulatorState = z.object({
  version: z.literal(1),
  fnNumber: z.string().length(16),
  serial: z.number().int().nonnegative(),
  hmacKeyHex: z.string().min(32),
  shift: z.object({ open: z.boolean(), number: z.number().int().nonnegative(), openedAt: z.string().nullable() }),
  lastDocumentNumber: z.number().int().nonnegative(),
  operatorName: z.string(),
  documents: z.array(StoredDocument),
  /** The ФН's table of marking codes accepted by FF69 and not yet in a fiscalized receipt (./marking.ts). */
  markingAccepted: z.array(z.string()).optional(),
  /**
   * Cash registers the register keeps in its own memory (PROTOCOL.md §Cash): 241 cash in the drawer,
   * 242/243 cash in/out this shift; `cashDocuments` numbers the 0x50/0x51 documents. A state file from
   * before these existed starts at zero.
   */
  cash: z.object({ inDrawerMinor: z.number().int().nonnegative(), inShiftMinor: z.number().int().nonnegative(), outShiftMinor: z.number().int().nonnegative(), documents: z.number().int().nonnegative() })
    .default({ inDrawerMinor: 0, inShiftMinor: 0, outShiftMinor: 0, documents: 0 }),
});
export type EmulatorState = z.infer<typeof EmulatorState>;

export function freshState(): EmulatorState {
  const digits = BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 10n;
  return {
    version: 1,
    fnNumber: `999907${digits.toString().padStart(10, '0')}`,
    serial: 12_345_678,
    hmacKeyHex: randomBytes(32).toString('hex'),
    shift: { open: false, number: 0, openedAt: null },
    lastDocumentNumber: 0,
    operatorName: 'СИС.АДМИН',
    documents: [],
    cash: { inDrawerMinor: 0, inShiftMinor: 0, outShiftMinor: 0, documents: 0 },
  };
}

export function loadState(file: string | undefined): EmulatorState {
  if (!file || !existsSync(file)) return freshState();
  return EmulatorState.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** tmp + fsync + rename: a kill -9 in the middle leaves either the old file or the new one, never half. */
export function saveState(file: string, state: EmulatorState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}
