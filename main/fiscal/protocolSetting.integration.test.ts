import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyAtol, type AtolEmulator } from '../../emulators/atol/device';
import { createServices, type Services } from '../services';
import type { SettingsInput } from '../../preload/contract';
import { tempDir } from '../../test/integration/refunds/fixtures';
import { FAST } from '../../test/integration/refunds/testApp';
import { statusWhere } from '../../test/support/appStatus';

/**
 * Issue 18 point 4 through the real services: the printer is reached in the protocol the settings name.
 * An existing till (no choice made: Shtrih-M) never gets an ATOL device to run anything; "определить
 * автоматически" finds it, and the log says which protocol answered.
 */
let atol: AtolEmulator | null = null;
let services: Services | null = null;
let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(async () => {
  await services?.close();
  await atol?.close();
  tmp?.remove();
  services = atol = tmp = null;
});

async function saveProtocol(s: Services, protocol: SettingsInput['fiscal']['protocol']): Promise<void> {
  const view = await s.handlers['settings.get']({});
  await s.handlers['settings.save']({
    trainingMode: view.trainingMode, currency: view.currency, cashierName: view.cashierName, retryScheduleMinutes: view.retryScheduleMinutes,
    fiscal: { port: view.fiscal.port, baudRate: view.fiscal.baudRate, vatGroups: view.fiscal.vatGroups, protocol },
    lifepos: { enabled: view.lifepos.enabled, baseUrl: view.lifepos.baseUrl, orgGuid: view.lifepos.orgGuid, clientId: view.lifepos.clientId },
    lifepay: { enabled: view.lifepay.enabled, baseUrl: view.lifepay.baseUrl, login: view.lifepay.login },
    regos: { enabled: view.regos.enabled, url: view.regos.url, login: view.regos.login, vatValueMode: view.regos.vatValueMode, allowPlainHttpOnStoreNetwork: view.regos.allowPlainHttpOnStoreNetwork },
    kiosk: view.kiosk, autostart: view.autostart, devTools: view.devTools,
    language: view.language, timeZone: view.timeZone, till: view.till, supportContact: view.supportContact, markingCodesFromSale: view.markingCodesFromSale,
  });
}

const logText = (dataDir: string): string => {
  const dir = join(dataDir, 'logs');
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
};

describe('the fiscal protocol setting', () => {
  it('Shtrih-M by default runs nothing on an ATOL device; "auto" finds it, logs it, and the printer is ready', { timeout: 60_000 }, async () => {
    tmp = tempDir('protocol-setting-');
    atol = await startPtyAtol({ printMs: 5, stateFile: tmp.file('fn.json') });
    const dataDir = tmp.file('app');
    services = await createServices({ dataDir, version: 'test', overrides: { ...FAST, printer: { port: atol.port as { path: string; baudRate: number } }, backends: {} } });

    expect((await services.handlers['settings.get']({})).fiscal.protocol).toBe('shtrih');
    await statusWhere(services, (st) => st.printer.state === 'offline');
    expect(atol.device.link.stats.tasksRun).toBe(0);

    await saveProtocol(services, 'auto');
    await statusWhere(services, (st) => st.printer.state === 'ready');
    expect(atol.device.link.stats.tasksRun).toBeGreaterThan(0);
    expect(logText(dataDir)).toMatch(/fiscal protocol detected.*"protocol":"atol"/);
    expect(atol.device.model.state.documents).toEqual([]);
  });
});
