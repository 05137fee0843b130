import { afterEach, describe, expect, it } from 'vitest';
import { ShtrihDriver } from './shtrih/driver';
import { PrinterConnection } from './printerConnection';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../emulators/shtrih/memory';
import type { EmulatorOptions } from '../../emulators/shtrih/device';
import type { Logger } from '../log/logger';

const TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, maxBusyMs: 3_000 };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function connection(opts: EmulatorOptions): { printer: PrinterConnection; warnings: string[] } {
  const emu: InMemoryEmulator = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10, ...opts });
  const warnings: string[] = [];
  const log = { debug: () => undefined, info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined } as unknown as Logger;
  const printer = new PrinterConnection(() => ShtrihDriver.connect({ port: emu.port, timeouts: TIMEOUTS }), log);
  cleanups.push(() => emu.close(), () => printer.close());
  return { printer, warnings };
}

describe('the printer state tells the cashier and IT at connect what the device cannot print (issue 25)', () => {
  it('pre-2026 firmware: ready, but 22 % needs a firmware update', async () => {
    const { printer, warnings } = connection({ firmware: 'pre2026' });
    await printer.use(async () => undefined);
    expect(printer.state().state).toBe('ready');
    expect(printer.state().message).toMatch(/^Принтер готов, но: .*Обновите прошивку ККТ до версии 2026 года/);
    expect(warnings).toContain('fiscal printer cannot print every VAT rate');
  });

  it('2026 firmware replacing 20 % with 22 %: says to set table 17 field 71 to 2', async () => {
    const { printer } = connection({ replace20With22: 1 });
    await printer.use(async () => undefined);
    expect(printer.state().message).toMatch(/таблице 17 поле 71 значение 2/);
  });

  it('2026 firmware set to print what it is sent: plain "ready"', async () => {
    const { printer, warnings } = connection({});
    await printer.use(async () => undefined);
    expect(printer.state()).toEqual({ state: 'ready', message: 'Принтер готов' });
    expect(warnings).toEqual([]);
  });
});
