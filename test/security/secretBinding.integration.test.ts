import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SettingsView } from '../../preload/contract';
import { settingsInputFrom as inputFrom, useBridge, type RunningBridge } from './bridgeFixture';

/**
 * Issue 16 point 1: a stored secret is bound to the address it was typed for. Anything holding the
 * bridge token could otherwise point LIFE POS at its own server, leave the key out, and receive
 * `Authorization: Bearer <key>` with the next connectivity probe. Everything goes through the real bridge
 * over HTTP, as such a caller would.
 */
const start = useBridge('secret-binding-');
const SECRETS = { token: 'lifepos-token-Bound-9Xq2', apiKey: 'lifepay-key-Bound-4Rt7', password: 'regos-pass-Bound-1Mz5' };

type Answer = { ok: true; value: SettingsView } | { ok: false; error: { code: string; message: string } };

async function save(app: RunningBridge, body: unknown): Promise<Answer> {
  const res = await app.call('settings.save', body);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

async function view(app: RunningBridge): Promise<SettingsView> {
  const answer = (await (await app.call('settings.get', {})).json()) as Answer;
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value;
}

/** Saves all three back ends with their secrets, allowed in clear text (plain Node has no OS key store). */
async function withSecrets(app: RunningBridge): Promise<SettingsView> {
  const input = inputFrom(await view(app));
  const answer = await save(app, {
    ...input,
    allowPlaintextSecrets: true,
    lifepos: { ...input.lifepos, baseUrl: 'https://api.life-pos.ru/v1', token: SECRETS.token },
    lifepay: { ...input.lifepay, baseUrl: 'https://api.life-pay.ru', apiKey: SECRETS.apiKey },
    regos: { ...input.regos, url: 'http://127.0.0.1:22298', password: SECRETS.password },
  });
  if (!answer.ok) throw new Error(answer.error.message);
  expect([answer.value.lifepos.token, answer.value.lifepay.apiKey, answer.value.regos.password]).toEqual([{ stored: true }, { stored: true }, { stored: true }]);
  return answer.value;
}

const secretsFile = (app: RunningBridge) => readFileSync(join(app.dataDir, 'secrets.json'), 'utf8');

describe('a stored secret is bound to its address', () => {
  it('a new host, port or scheme without the secret typed again drops the stored secret', async () => {
    const app = await start();
    const input = inputFrom(await withSecrets(app));
    const answer = await save(app, {
      ...input,
      lifepos: { ...input.lifepos, baseUrl: 'https://attacker.example/v1' },
      lifepay: { ...input.lifepay, baseUrl: 'https://api.life-pay.ru:8443' },
      regos: { ...input.regos, url: 'https://127.0.0.1:22298' },
    });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect([answer.value.lifepos.token, answer.value.lifepay.apiKey, answer.value.regos.password]).toEqual([{ stored: false }, { stored: false }, { stored: false }]);
    expect(app.services.settings.secret('lifepos.token')).toBeNull();
    expect(app.services.settings.secret('lifepay.apiKey')).toBeNull();
    expect(app.services.settings.secret('regos.password')).toBeNull();
    // Gone from the store too, so putting the old address back by hand does not revive it.
    for (const value of Object.values(SECRETS)) expect(readFileSync(join(app.dataDir, 'settings.json'), 'utf8') + safeRead(app)).not.toContain(value);
  });

  it('keeps the secret when the same save types it again, or when only the path changes', async () => {
    const app = await start();
    const input = inputFrom(await withSecrets(app));
    const answer = await save(app, {
      ...input,
      lifepos: { ...input.lifepos, baseUrl: 'https://api2.life-pos.ru/v1', token: 'lifepos-token-New-7Yh3' },
      lifepay: { ...input.lifepay, baseUrl: 'https://api.life-pay.ru/v2/' },
    });
    expect(answer.ok).toBe(true);
    expect(app.services.settings.secret('lifepos.token')).toBe('lifepos-token-New-7Yh3');
    expect(app.services.settings.secret('lifepay.apiKey')).toBe(SECRETS.apiKey);
    expect(app.services.settings.secret('regos.password')).toBe(SECRETS.password);
  });

  it('refuses plain http off this computer, in Russian, and saves nothing', async () => {
    const app = await start();
    const before = await withSecrets(app);
    const input = inputFrom(before);
    for (const change of [
      { lifepos: { ...input.lifepos, baseUrl: 'http://192.168.1.20/v1' } },
      { lifepay: { ...input.lifepay, baseUrl: 'http://api.life-pay.ru' } },
      { regos: { ...input.regos, url: 'http://10.0.0.5:22298' } },
      { lifepos: { ...input.lifepos, baseUrl: 'https://user:pass@api.life-pos.ru' } },
    ]) {
      const answer = await save(app, { ...input, ...change });
      expect(answer.ok).toBe(false);
      if (answer.ok) continue;
      expect(answer.error.code).toBe('settings.insecure_address');
      expect(answer.error.message).toMatch(/[а-я]{4}/);
    }
    expect(await view(app)).toEqual(before);
    expect(app.services.settings.secret('lifepos.token')).toBe(SECRETS.token);
  });

  it('lets REGOS VCR use plain http on the store network only with the explicit setting and a private IP', async () => {
    const app = await start();
    const input = inputFrom(await withSecrets(app));
    const lan = { ...input.regos, url: 'http://192.168.1.10:22298', password: SECRETS.password };

    const without = await save(app, { ...input, regos: { ...lan, allowPlainHttpOnStoreNetwork: false } });
    expect(without.ok ? 'saved' : without.error.code).toBe('settings.insecure_address');

    const named = await save(app, { ...input, regos: { ...lan, url: 'http://regos.example.com:22298', allowPlainHttpOnStoreNetwork: true } });
    expect(named.ok ? 'saved' : named.error.message).toMatch(/IP-адрес/);

    const allowed = await save(app, { ...input, regos: { ...lan, allowPlainHttpOnStoreNetwork: true } });
    expect(allowed.ok).toBe(true);
    expect(allowed.ok && allowed.value.regos).toMatchObject({ url: 'http://192.168.1.10:22298', allowPlainHttpOnStoreNetwork: true, password: { stored: true } });
  });
});

function safeRead(app: RunningBridge): string {
  try {
    return secretsFile(app);
  } catch (e) {
    // No secret left at all: the store removes its file.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}
