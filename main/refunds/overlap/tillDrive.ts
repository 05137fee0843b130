import { z } from 'zod';
import type { Database } from '../../queue/database';

/**
 * This till's fiscal drive number as the history gate last saw it (till_fiscal_drives, migration 005): sent
 * with the receipt data of every LIFE POS reversal session (seed 000's "данные чека"; `fiscal_drive_number`
 * is a field of our receipt data, main/backends/README.md), so a till that finds an overlap can name the
 * other till by the ФН that printed its refund.
 */
export function tillFiscalDrive(db: Database): string | undefined {
  const row = db.prepare('SELECT fn_number FROM till_fiscal_drives ORDER BY updated_at DESC, fn_number LIMIT 1').get();
  return row === undefined ? undefined : z.object({ fn_number: z.string() }).parse(row).fn_number;
}
