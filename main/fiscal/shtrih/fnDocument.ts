import { OPERATION_NAMES, type FiscalDocument } from '../documents';
import { FnDocType, type FnDocument } from './commands';

/** The ФН's document types as 0xFF0A reports them (PROTOCOL.md), in the app's words. */
const TYPE_NAMES: Record<number, FiscalDocument['type']> = {
  [FnDocType.receipt]: 'receipt',
  [FnDocType.correction]: 'correction',
  [FnDocType.openShift]: 'openShift',
  [FnDocType.closeShift]: 'closeShift',
};

/** A 0xFF0A answer as the rest of the app sees a document. */
export function toFiscalDocument(d: FnDocument): FiscalDocument {
  const op = d.operation === undefined ? undefined : OPERATION_NAMES[d.operation];
  return {
    number: d.number,
    fiscalSign: String(d.fiscalSign),
    dateTime: d.dateTime,
    type: TYPE_NAMES[d.type] ?? 'other',
    ...(op ? { operation: op } : {}),
    ...(d.totalMinor === undefined ? {} : { totalMinor: d.totalMinor }),
  };
}
