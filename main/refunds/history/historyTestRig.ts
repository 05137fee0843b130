import { rmSync } from 'node:fs';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../../emulators/shtrih/memory';
import { connectFiscalDevice } from '../../fiscal/protocols';
import { PrinterConnection } from '../../fiscal/printerConnection';
import type { Logger } from '../../log/logger';

/** What the history tests share: a till's emulated Shtrih-M on the in-memory link, and losing a database. */
export const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000, paperPollMs: 5, paperWaitMs: 3_000, busyRetryMs: 5 };

export interface Till {
  fiscal: InMemoryEmulator;
  printer: PrinterConnection;
}

/** The emulated printer with its shift open, as a till starts the day. */
export async function openTill(log: Logger): Promise<Till> {
  const fiscal = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
  const printer = new PrinterConnection(() => connectFiscalDevice('shtrih', { port: fiscal.port, timeouts: TIMEOUTS }), log);
  await printer.use((d) => d.openShift('Петрова И.'));
  return { fiscal, printer };
}

export async function closeTill(t: Till): Promise<void> {
  await t.printer.close();
  await t.fiscal.close();
}

/** The database file gone with its WAL and shared memory, as a clean-up leaves it. */
export function removeDatabase(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}
