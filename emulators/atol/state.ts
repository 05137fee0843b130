import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * What an ATOL device keeps across a power cut: the ФН's documents and shift, the counters. An open
 * receipt is kept too, so a restart can annul it the way the device does at power-on (PROTOCOL.md §7).
 */
const Tags = z.record(z.string(), z.string());

export const AtolDocument = z.object({
  number: z.number().int().positive(),
  /** FFD document type: 2 open shift, 3 receipt, 5 close shift, 31 correction receipt. */
  type: z.number().int(),
  fiscalSign: z.number().int().nonnegative(),
  /** Minutes since the epoch, as the ФН keeps them. */
  dateTime: z.string(),
  /** Tag 1054 for receipts and corrections, 0 otherwise. */
  operation: z.number().int(),
  totalMinor: z.number().int().nonnegative(),
  tags: Tags,
  /** amountMinor: the position's sum (1043) as the ФН stores it, after E6's discount or markup. */
  lines: z.array(
    z.object({ name: z.string(), priceMinor: z.number().int(), quantityMilli: z.number().int(), amountMinor: z.number().int().nonnegative(), tax: z.number().int(), sign: z.number().int(), method: z.number().int() }),
  ),
  payments: z.array(z.object({ type: z.number().int(), amountMinor: z.number().int() })),
});
export type AtolDocument = z.infer<typeof AtolDocument>;

export const OpenReceipt = z.object({
  /** Receipt type byte of command 92. */
  type: z.number().int(),
  lines: AtolDocument.shape.lines,
  payments: AtolDocument.shape.payments,
  tags: Tags,
});
export type OpenReceipt = z.infer<typeof OpenReceipt>;

export const AtolState = z.object({
  serial: z.string(),
  fnNumber: z.string(),
  shift: z.object({ open: z.boolean(), number: z.number().int().nonnegative(), openedAtMs: z.number().int(), receipts: z.number().int().nonnegative() }),
  documents: z.array(AtolDocument),
  receipt: OpenReceipt.nullable(),
  /** Tags written outside a receipt (cashier for a shift report), attached to the next document. */
  pendingTags: Tags,
  /** Cash in the drawer (4D): moved by 49/4F and by the cash tenders of receipts. */
  cashMinor: z.number().int().nonnegative().default(0),
  /** Every line the printer printed, for tests that count receipts on paper. */
  printed: z.array(z.string()),
});
export type AtolState = z.infer<typeof AtolState>;

export function freshState(): AtolState {
  return {
    serial: '00106700000001',
    fnNumber: '9999078900001234',
    shift: { open: false, number: 0, openedAtMs: 0, receipts: 0 },
    documents: [],
    receipt: null,
    pendingTags: {},
    cashMinor: 0,
    printed: [],
  };
}

export function loadAtolState(file: string | undefined): AtolState {
  if (!file || !existsSync(file)) return freshState();
  return AtolState.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Written through a synced temporary file and a rename: a power cut leaves the old state or the new one. */
export function saveAtolState(file: string, state: AtolState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}
