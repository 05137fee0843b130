import { afterEach, describe, expect, it } from 'vitest';
import { startPtyEmulator, type PtyEmulator } from '../../../emulators/shtrih/pty';
import { createServices, type Services } from '../../../main/services';
import type { SettingsInput, TillKind } from '../../../preload/contract';
import { tempDir } from '../refunds/fixtures';
import { FAST } from '../refunds/testApp';
import { AppError } from '../../../main/appError';
import { rejectionOf } from '../../support/caughtAppError';
import { statusWhere } from '../../support/appStatus';

/**
 * Issue 15 point 4: a REGOS-only till never opens or probes the fiscal printer, and the till kind
 * switches from the settings without a restart. The real services against the Shtrih-M emulator on a
 * socat pty: its byte counter is what reached the port.
 */
const PROBE_MS = 20;

let fiscal: PtyEmulator | null = null;
let services: Services | null = null;
let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(async () => {
  await services?.close();
  await fiscal?.close();
  tmp?.remove();
  services = null;
  fiscal = null;
  tmp = null;
});

async function start(): Promise<{ services: Services; fiscal: PtyEmulator }> {
  tmp = tempDir('regos-only-');
  fiscal = await startPtyEmulator({ stateFile: tmp.file('fn.json'), baudRate: 115_200, processingScale: 0.05, dir: tmp.dir });
  services = await createServices({
    dataDir: tmp.file('app'), version: 'test',
    overrides: { ...FAST, printerProbeMs: PROBE_MS, printer: { port: { path: fiscal.path, baudRate: 115_200 } }, backends: {} },
  });
  return { services, fiscal };
}

async function saveTill(s: Services, till: TillKind): Promise<void> {
  const view = await s.handlers['settings.get']({});
  const input: SettingsInput = {
    trainingMode: view.trainingMode, currency: view.currency, cashierName: view.cashierName, retryScheduleMinutes: view.retryScheduleMinutes,
    fiscal: { port: view.fiscal.port, baudRate: view.fiscal.baudRate, vatGroups: view.fiscal.vatGroups, protocol: view.fiscal.protocol },
    lifepos: { enabled: view.lifepos.enabled, baseUrl: view.lifepos.baseUrl, orgGuid: view.lifepos.orgGuid, clientId: view.lifepos.clientId },
    lifepay: { enabled: view.lifepay.enabled, baseUrl: view.lifepay.baseUrl, login: view.lifepay.login },
    regos: { enabled: view.regos.enabled, url: view.regos.url, login: view.regos.login, vatValueMode: view.regos.vatValueMode, allowPlainHttpOnStoreNetwork: view.regos.allowPlainHttpOnStoreNetwork },
    kiosk: view.kiosk, autostart: view.autostart, devTools: view.devTools,
    language: view.language, timeZone: view.timeZone, till, supportContact: view.supportContact, markingCodesFromSale: view.markingCodesFromSale,
  };
  await s.handlers['settings.save'](input);
}

/**
 * An absence can only be watched for a while: ten probe periods, each of which would have sent a status
 * request (ENQ + command) to a printer in use.
 */
const tenProbes = () => new Promise<void>((resolve) => setTimeout(resolve, PROBE_MS * 10));

describe('a REGOS-only till', () => {
  it('sends nothing to the printer port, says so in the status, and switches both ways from the settings', { timeout: 20_000 }, async () => {
    const { services: s, fiscal: device } = await start();
    // A till with a printer: the probe reaches the device.
    await statusWhere(s, (st) => st.printer.state === 'ready' && st.shift.state !== 'unknown');
    expect(device.stats.bytesIn).toBeGreaterThan(0);

    await saveTill(s, 'regosOnly');
    const regosOnly = await s.handlers['app.status']({});
    expect(regosOnly.till).toBe('regosOnly');
    expect(regosOnly.printer.state).toBe('none');
    expect(regosOnly.printer.message).toMatch(/REGOS VCR/);
    expect(regosOnly.shift.state).toBe('unknown');
    // The ACK of the last answer read before the switch may still be crossing the pty: commands are counted.
    const commandsAtSwitch = device.stats.commands;
    await tenProbes();
    const bytesAfterWindow = device.stats.bytesIn;
    // Shift reports refuse without the port, with a code the Uzbek UI translates.
    expect((await rejectionOf(s.handlers['shift.xReport']({}), AppError)).code).toBe('FISCAL_NOT_USED');
    expect((await rejectionOf(s.handlers['shift.status']({}), AppError)).code).toBe('FISCAL_NOT_USED');
    expect(device.stats.commands).toBe(commandsAtSwitch);
    await tenProbes();
    expect(device.stats.bytesIn).toBe(bytesAfterWindow);

    // Back to a till with a printer: the next probe connects again.
    await saveTill(s, 'fiscalPrinter');
    await statusWhere(s, (st) => st.printer.state === 'ready');
    expect(device.stats.commands).toBeGreaterThan(commandsAtSwitch);
  });

  it('never opens the port when it starts as REGOS-only', { timeout: 20_000 }, async () => {
    const first = await start();
    await saveTill(first.services, 'regosOnly');
    await first.services.close();
    const dataDir = tmp!.file('app');
    const commandsBefore = first.fiscal.stats.commands;
    services = await createServices({
      dataDir, version: 'test',
      overrides: { ...FAST, printerProbeMs: PROBE_MS, printer: { port: { path: first.fiscal.path, baudRate: 115_200 } }, backends: {} },
    });
    expect((await services.handlers['app.status']({})).printer.state).toBe('none');
    await tenProbes();
    const bytesAfterWindow = first.fiscal.stats.bytesIn;
    expect((await rejectionOf(services.handlers['shift.status']({}), AppError)).code).toBe('FISCAL_NOT_USED');
    expect(first.fiscal.stats.commands).toBe(commandsBefore);
    await tenProbes();
    expect(first.fiscal.stats.bytesIn).toBe(bytesAfterWindow);
  });
});
