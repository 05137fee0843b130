import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridgeServer, type BridgeServer } from '../../main/server/bridgeServer';
import { createServices, type Services } from '../../main/services';
import type { SettingsView } from '../../preload/contract';
import { settingsInputFrom } from './bridgeFixture';

/**
 * Issue 16 point 1, the attack itself with the real services outside training mode: a caller holding the
 * bridge token moves LIFE POS to its own server and leaves the token out; the next connectivity probe
 * then went to that server with `Authorization: Bearer <token>`. Both servers here are on 127.0.0.1;
 * the real one proves the probe does carry the token where it belongs.
 */
const TOKEN = 'bridge-token-redirect-test';
const LIFE_POS_TOKEN = 'lifepos-token-Redirect-3Kd8';

interface Seen { path: string; authorization: string | undefined }

/** An HTTP server that notes each request and answers 503 (a back end that is down). */
async function recordingServer(): Promise<{ url: string; server: Server; seen: Seen[]; next(): Promise<Seen> }> {
  const seen: Seen[] = [];
  const waiting: Array<(s: Seen) => void> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const entry = { path: req.url ?? '', authorization: req.headers.authorization };
    seen.push(entry);
    waiting.splice(0).forEach((w) => w(entry));
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    seen,
    next: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

/** First start (training): the store's own settings, LIFE POS with its token on `url`, the others off there too. */
async function firstStart(dir: string, url: string): Promise<void> {
  const first = await createServices({ dataDir: dir, version: 'test' });
  const view = await first.handlers['settings.get']({});
  await first.handlers['settings.save']({
    trainingMode: false, currency: view.currency, cashierName: view.cashierName, retryScheduleMinutes: view.retryScheduleMinutes,
    kiosk: view.kiosk, autostart: view.autostart, devTools: view.devTools, allowPlaintextSecrets: true,
    language: view.language, timeZone: view.timeZone, till: view.till, supportContact: view.supportContact, markingCodesFromSale: view.markingCodesFromSale,
    fiscal: { port: '', baudRate: view.fiscal.baudRate, vatGroups: view.fiscal.vatGroups, protocol: view.fiscal.protocol },
    lifepos: { enabled: true, baseUrl: `${url}/lifepos`, orgGuid: 'org-1', clientId: 'till-1', token: LIFE_POS_TOKEN },
    lifepay: { enabled: false, baseUrl: `${url}/lifepay`, login: '' },
    regos: { enabled: false, url: `${url}/regos`, login: '', vatValueMode: view.regos.vatValueMode, allowPlainHttpOnStoreNetwork: false },
  });
  await first.close();
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('credential redirect through settings.save', () => {
  it('the probe after a moved LIFE POS address carries no stored token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credential-redirect-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const real = await recordingServer();
    const hostile = await recordingServer();
    cleanups.push(() => new Promise<void>((r) => real.server.close(() => r())), () => new Promise<void>((r) => hostile.server.close(() => r())));

    await firstStart(dir, real.url);

    // Second start: real mode, the probe reaches the real LIFE POS with the token.
    const probed = real.next();
    const services: Services = await createServices({ dataDir: dir, version: 'test' });
    cleanups.push(() => services.close());
    const bridge: BridgeServer = await startBridgeServer({ handlers: services.handlers, bus: services.bus, token: TOKEN, log: { error: () => undefined, debug: () => undefined } });
    cleanups.push(() => bridge.close());
    await probed;
    expect(real.seen.find((s) => s.path.startsWith('/lifepos'))?.authorization).toBe(`Bearer ${LIFE_POS_TOKEN}`);

    // The attack: a new LIFE POS address, the token left out, through the bridge.
    const stored = (await (await fetch(`${bridge.url}/api/call/settings.get`, { method: 'POST', body: '{}', headers: { 'x-cashier-token': TOKEN } })).json()) as { value: SettingsView };
    const input = settingsInputFrom(stored.value);
    const hostileProbe = hostile.next();
    const res = await fetch(`${bridge.url}/api/call/settings.save`, {
      method: 'POST',
      headers: { 'x-cashier-token': TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...input,
        lifepos: { ...input.lifepos, baseUrl: `${hostile.url}/steal` },
      }),
    });
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    const seen = await hostileProbe;
    expect(seen.authorization ?? '').not.toContain(LIFE_POS_TOKEN);
    expect(hostile.seen.map((s) => s.authorization ?? '').join(' ')).not.toContain(LIFE_POS_TOKEN);
  });

  it('a settings.json edited by hand to another address gets no secret at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credential-redirect-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const real = await recordingServer();
    const hostile = await recordingServer();
    cleanups.push(() => new Promise<void>((r) => real.server.close(() => r())), () => new Promise<void>((r) => hostile.server.close(() => r())));
    await firstStart(dir, real.url);

    const file = join(dir, 'settings.json');
    const edited = JSON.parse(readFileSync(file, 'utf8')) as { settings: { lifepos: { baseUrl: string; token: { boundTo?: string } } } };
    expect(edited.settings.lifepos.token.boundTo).toBe(real.url);
    edited.settings.lifepos.baseUrl = `${hostile.url}/steal`;
    writeFileSync(file, JSON.stringify(edited));

    const probed = hostile.next();
    const services = await createServices({ dataDir: dir, version: 'test' });
    cleanups.push(() => services.close());
    const seen = await probed;
    expect(seen.authorization ?? '').not.toContain(LIFE_POS_TOKEN);
    expect(services.settings.secret('lifepos.token')).toBeNull();
    expect(services.settings.toView().lifepos.token).toEqual({ stored: false });
  });
});
