import { afterEach, describe, expect, it } from 'vitest';
import type { BackendName, Connectivity } from '../../preload/contract/domain';
import { startLifePayEmulator, type LifePayEmulator } from '../../emulators/lifepay/server';
import { startLifePosEmulator, type LifePosEmulator } from '../../emulators/lifepos/server';
import { startRegosEmulator, type RegosEmulator } from '../../emulators/regos/server';
import { ConnectivityMonitor } from './connectivity';
import { LifePayClient } from './lifepay/lifePayClient';
import { LifePosClient } from './lifepos/lifePosClient';
import { RegosClient } from './regos/regosClient';

let pos: LifePosEmulator;
let pay: LifePayEmulator;
let regos: RegosEmulator;
let monitor: ConnectivityMonitor;

afterEach(async () => {
  await monitor.stop();
  await Promise.all([pos.close(), pay.close(), regos.close()]);
});

function waitFor(m: ConnectivityMonitor, backend: BackendName, state: Connectivity): Promise<void> {
  return new Promise((resolve) => {
    if (m.state(backend) === state) {
      resolve();
      return;
    }
    const off = m.on('change', (b, s) => {
      if (b === backend && s === state) {
        off();
        resolve();
      }
    });
  });
}

describe('ConnectivityMonitor against the three emulators', () => {
  it('publishes online, offline and degraded from real probes', async () => {
    [pos, pay, regos] = await Promise.all([startLifePosEmulator(), startLifePayEmulator(), startRegosEmulator()]);
    const lifePos = new LifePosClient({ baseUrl: pos.url, orgGuid: pos.orgGuid, token: pos.token, clientId: 't', clientType: 'App', language: 'ru-RU', timeoutMs: 1000 });
    const lifePay = new LifePayClient({ baseUrl: pay.url, login: pay.login, apiKey: pay.apiKey, timeoutMs: 1000 });
    const vcr = new RegosClient({ baseUrl: regos.url, login: regos.login, password: regos.password, timeoutMs: 1000 });
    monitor = new ConnectivityMonitor({
      intervalMs: 50, timeoutMs: 300, slowMs: 200,
      probes: { lifepos: (s, t) => lifePos.probe(s, t), lifepay: (s, t) => lifePay.probe(s, t), regos: (s, t) => vcr.probe(s, t) },
    });
    monitor.start();
    await Promise.all([waitFor(monitor, 'lifepos', 'online'), waitFor(monitor, 'lifepay', 'online'), waitFor(monitor, 'regos', 'online')]);

    await regos.faults.setOffline(true);
    await waitFor(monitor, 'regos', 'offline');
    expect(monitor.state('lifepos')).toBe('online');

    pos.faults.failNext(1000, { status: 503 });
    await waitFor(monitor, 'lifepos', 'degraded');

    pay.faults.setLatency(250);
    await waitFor(monitor, 'lifepay', 'degraded');
    pay.faults.setLatency(400);
    await waitFor(monitor, 'lifepay', 'offline');

    await regos.faults.setOffline(false);
    await waitFor(monitor, 'regos', 'online');
  });
});
