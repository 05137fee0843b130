import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SettingsInput } from '../../preload/contract';
import { createLogger, type FileLogger } from '../log/logger';
import { createEncodedSecretStore } from '../secrets/encodedSecretStore';
import { createFileSecretStore } from '../secrets/fileSecretStore';
import type { SecretStore } from '../secrets/secretStore';
import { writeFileAtomic } from './atomicWrite';
import { createSettingsStore, LAST_GOOD_FILE, SETTINGS_FILE } from './settingsStore';
import { caughtAppError } from '../../test/support/caughtAppError';
import { DEFAULT_VAT_GROUPS_2026 } from '../../preload/contract';

const KEY = 'lifepay-key-9c8b7a6d5e';
const TOKEN = 'lifepos-bearer-1f2e3d4c';
const PASS = 'regos-pass-0a1b2c';

let dir: string;
let log: FileLogger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'settings-'));
  log = createLogger({ dir: join(dir, 'logs'), level: 'debug' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for safeStorage with an OS key store: ciphertext on disk, never the value. */
const osSecrets = (): SecretStore => createEncodedSecretStore({
  file: join(dir, 'secrets.json'), log, protection: () => 'os',
  codec: { encode: (v) => Buffer.from(v).toString('base64'), decode: (s) => Buffer.from(s, 'base64').toString() },
});
const open = (secrets: SecretStore = osSecrets()) => createSettingsStore({ dir, secrets, log });
const settingsPath = () => join(dir, SETTINGS_FILE);
const lastGoodPath = () => join(dir, LAST_GOOD_FILE);

const input = (over: Partial<SettingsInput> = {}): SettingsInput => ({
  trainingMode: false,
  currency: 'UZS',
  cashierName: 'Иванова',
  fiscal: { port: '/dev/ttyACM0', baudRate: 57600, operatorPassword: '3030', vatGroups: { vat22: 1, vat10: 2 }, protocol: 'atol' },
  lifepos: { enabled: true, baseUrl: 'https://api.life-pos.ru', orgGuid: 'org-1', clientId: 'client-1', token: TOKEN },
  lifepay: { enabled: true, baseUrl: 'https://api.life-pay.ru', login: '79990000000', apiKey: KEY },
  regos: { enabled: true, url: 'http://127.0.0.1:22298', login: 'admin', password: PASS, vatValueMode: 'amountMinor', allowPlainHttpOnStoreNetwork: false },
  retryScheduleMinutes: [1, 3, 5, 10, 60],
  kiosk: 'auto',
  autostart: 'auto',
  devTools: false,
  language: 'ru',
  timeZone: '',
  till: 'fiscalPrinter',
  supportContact: '',
  markingCodesFromSale: false,
  ...over,
});


describe('settings store: first start and saving', () => {
  it('starts in training mode with the documented defaults and writes both files', () => {
    const store = open();
    expect(store.status()).toEqual({ source: 'first-start', problem: null, detail: null });
    expect(store.toView()).toEqual({
      trainingMode: true,
      currency: 'RUB',
      cashierName: 'Кассир',
      fiscal: { port: '', baudRate: 115200, vatGroups: DEFAULT_VAT_GROUPS_2026, protocol: 'shtrih', operatorPassword: { stored: false } },
      lifepos: { enabled: false, baseUrl: 'https://api-dev.life-pos.ru', orgGuid: '', clientId: '', token: { stored: false } },
      lifepay: { enabled: false, baseUrl: 'https://api.life-pay.ru', login: '', apiKey: { stored: false } },
      regos: { enabled: false, url: 'http://127.0.0.1:22298', login: '', password: { stored: false }, vatValueMode: 'ratePercentTimes100', allowPlainHttpOnStoreNetwork: false },
      retryScheduleMinutes: [1, 2, 5, 15],
      kiosk: 'auto',
      autostart: 'auto',
      devTools: false,
      language: 'ru',
      timeZone: '',
      till: 'fiscalPrinter',
      supportContact: '',
      markingCodesFromSale: false,
      allowPlaintextSecrets: false,
      secretStorage: 'os',
    });
    expect(existsSync(settingsPath())).toBe(true);
    expect(readFileSync(lastGoodPath(), 'utf8')).toBe(readFileSync(settingsPath(), 'utf8'));
  });

  it('saves secrets to the secret store, only references to settings.json, { stored } to the view', () => {
    const store = open();
    let notified = 0;
    store.onChange(() => notified++);
    const view = store.save(input());
    expect(notified).toBe(1);
    expect(view.lifepay.apiKey).toEqual({ stored: true });
    expect(view.fiscal).toEqual({ port: '/dev/ttyACM0', baudRate: 57600, vatGroups: { vat22: 1, vat10: 2 }, protocol: 'atol', operatorPassword: { stored: true } });
    for (const file of [settingsPath(), lastGoodPath(), log.file]) {
      const text = readFileSync(file, 'utf8');
      for (const secret of [KEY, TOKEN, PASS, '"3030"']) expect(text, file).not.toContain(secret);
    }
    expect(JSON.stringify(view)).not.toContain(KEY);
    expect(JSON.parse(readFileSync(settingsPath(), 'utf8')).settings.lifepay.apiKey).toEqual({ secretId: 'lifepay.apiKey', boundTo: 'https://api.life-pay.ru' });

    const reopened = open();
    expect(reopened.status().source).toBe('file');
    expect(reopened.toView()).toEqual(view);
    expect(reopened.secret('lifepay.apiKey')).toBe(KEY);
    expect(reopened.secret('regos.password')).toBe(PASS);
  });

  it('a save without a secret keeps the stored one', () => {
    const store = open();
    store.save(input());
    const view = store.save(input({ lifepay: { enabled: true, baseUrl: 'https://api.life-pay.ru', login: 'x' } }));
    expect(view.lifepay).toMatchObject({ login: 'x', apiKey: { stored: true } });
    expect(store.secret('lifepay.apiKey')).toBe(KEY);
  });

  it('rejects an invalid input without touching the files', () => {
    const store = open();
    const before = readFileSync(settingsPath(), 'utf8');
    expect(() => store.save({ ...input(), currency: 'USD' } as unknown as SettingsInput)).toThrow();
    expect(readFileSync(settingsPath(), 'utf8')).toBe(before);
  });

  it('leaves no temp files behind', () => {
    const store = open();
    store.save(input());
    store.save(input({ cashierName: 'Петрова' }));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('settings store: damaged files', () => {
  const saveGood = () => {
    const store = open();
    store.save(input());
    return readFileSync(lastGoodPath(), 'utf8');
  };

  it('a truncated settings.json: starts from the last good settings and says so in Russian', () => {
    saveGood();
    writeFileSync(settingsPath(), '{"version":1,"savedAt":"2026-');
    const store = open();
    expect(store.status().source).toBe('last-good');
    expect(store.status().problem).toMatch(/Файл настроек повреждён.*последними исправными настройками/);
    expect(store.status().detail).toContain('не является JSON');
    expect(store.current()).toMatchObject({ trainingMode: false, currency: 'UZS', fiscal: { port: '/dev/ttyACM0' } });
    expect(store.secret('lifepos.token')).toBe(TOKEN);
    // The damaged file stays for the IT person until the next save.
    expect(readFileSync(settingsPath(), 'utf8')).toBe('{"version":1,"savedAt":"2026-');
    expect(readFileSync(log.file, 'utf8')).toContain('settings problem at load');
  });

  it('a file written before the VAT group setting existed loads with the 2026 groups, not as damaged', () => {
    saveGood();
    const older = JSON.parse(readFileSync(settingsPath(), 'utf8'));
    delete older.settings.fiscal.vatGroups;
    older.version = 1;
    writeFileSync(settingsPath(), JSON.stringify(older));
    const store = open();
    expect(store.status().source).toBe('file');
    expect(store.current().fiscal.vatGroups).toEqual(DEFAULT_VAT_GROUPS_2026);
  });

  it('a hand edit with a wrong money field is caught by the schema, never defaulted', () => {
    saveGood();
    const edited = JSON.parse(readFileSync(settingsPath(), 'utf8'));
    edited.settings.currency = 'USD';
    edited.settings.lifepos.baseUrl = 'not a url';
    writeFileSync(settingsPath(), JSON.stringify(edited));
    const store = open();
    expect(store.status().source).toBe('last-good');
    expect(store.status().detail).toMatch(/currency/);
    expect(store.status().detail).toMatch(/baseUrl/);
    expect(store.current().currency).toBe('UZS');
  });

  it('an unknown key (a typo in a hand edit) is an error too', () => {
    saveGood();
    const edited = JSON.parse(readFileSync(settingsPath(), 'utf8'));
    edited.settings.fiscal.prot = '/dev/ttyS0';
    writeFileSync(settingsPath(), JSON.stringify(edited));
    expect(open().status().source).toBe('last-good');
  });

  it('a deleted settings.json is restored from the last good copy', () => {
    const good = saveGood();
    rmSync(settingsPath());
    const store = open();
    expect(store.status().source).toBe('last-good');
    expect(store.status().problem).toMatch(/не найден/);
    expect(readFileSync(settingsPath(), 'utf8')).toBe(good);
  });

  it('both files damaged: "настройки повреждены", training mode forced, files kept', () => {
    saveGood();
    writeFileSync(settingsPath(), 'garbage');
    writeFileSync(lastGoodPath(), '{"version":2}');
    const store = open();
    expect(store.status().source).toBe('damaged');
    expect(store.status().problem).toMatch(/^Настройки повреждены.*учебном режиме/);
    expect(store.current().trainingMode).toBe(true);
    expect(store.toView().trainingMode).toBe(true);
    expect(readFileSync(settingsPath(), 'utf8')).toBe('garbage');
    store.save(input({ trainingMode: false }));
    expect(store.status()).toEqual({ source: 'file', problem: null, detail: null });
    expect(open().current().trainingMode).toBe(false);
  });

  it('a damaged file with no last good copy is not mistaken for a first start', () => {
    writeFileSync(settingsPath(), JSON.stringify({ version: 1, savedAt: new Date().toISOString(), settings: { trainingMode: false } }));
    const store = open();
    expect(store.status().source).toBe('damaged');
    expect(store.current().trainingMode).toBe(true);
    expect(existsSync(lastGoodPath())).toBe(false);
  });
});

describe('settings store with the plain-Node secret store', () => {
  const fileSecrets = () => createFileSecretStore({ file: join(dir, 'secrets.json'), log });

  it('refuses secrets without permission; the settings stay as they were; the error has no value', () => {
    const store = open(fileSecrets());
    const before = readFileSync(settingsPath(), 'utf8');
    const e = caughtAppError(() => store.save(input()));
    expect(e.code).toBe('secrets.refused');
    expect(JSON.stringify({ m: e.message, d: e.detail })).not.toMatch(new RegExp(`${KEY}|${TOKEN}|${PASS}`));
    expect(readFileSync(settingsPath(), 'utf8')).toBe(before);
    expect(store.toView().lifepay.apiKey).toEqual({ stored: false });
  });

  it('stores them when allowed, remembers the permission, and withdrawing it removes the clear-text copies', () => {
    const store = open(fileSecrets());
    store.save(input({ allowPlaintextSecrets: true }));
    const reopened = open(fileSecrets());
    expect(reopened.secret('lifepay.apiKey')).toBe(KEY);
    reopened.save(input({ lifepay: { enabled: true, baseUrl: 'https://api.life-pay.ru', login: 'y', apiKey: 'new-key-1234' } }));
    expect(reopened.secret('lifepay.apiKey')).toBe('new-key-1234');
    const view = reopened.save({ ...input(), fiscal: { port: '', baudRate: 115200, vatGroups: {}, protocol: 'shtrih' }, lifepos: { ...input().lifepos, token: undefined }, lifepay: { ...input().lifepay, apiKey: undefined }, regos: { ...input().regos, password: undefined }, allowPlaintextSecrets: false });
    expect(view.lifepay.apiKey).toEqual({ stored: false });
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    expect(readFileSync(log.file, 'utf8')).not.toContain('new-key-1234');
  });
});

describe('writeFileAtomic', () => {
  it('a failed replace keeps the old content and leaves no temp file', () => {
    const target = join(dir, 'x.json');
    writeFileAtomic(target, 'old');
    mkdirSync(join(dir, 'blocker.json'));
    expect(() => writeFileAtomic(join(dir, 'blocker.json'), 'new')).toThrow();
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('settings store and the logger it is given', () => {
  it('teaches its logger every secret it reads or saves, even when the secret store logs elsewhere', () => {
    const elsewhere = createLogger({ dir: join(dir, 'other-logs') });
    const secrets = createEncodedSecretStore({
      file: join(dir, 'secrets.json'), log: elsewhere, protection: () => 'os',
      codec: { encode: (v) => Buffer.from(v).toString('base64'), decode: (s) => Buffer.from(s, 'base64').toString() },
    });
    createSettingsStore({ dir, secrets, log }).save(input());
    log.error('LIFE PAY refused', { detail: `apikey=${KEY}`, url: `https://x/?t=${TOKEN}` });
    const freshLog = createLogger({ dir: join(dir, 'fresh-logs') });
    createSettingsStore({ dir, secrets, log: freshLog }).secret('regos.password');
    freshLog.error('REGOS said', { body: `bad password ${PASS}` });
    expect(readFileSync(log.file, 'utf8')).not.toMatch(new RegExp(`${KEY}|${TOKEN}`));
    expect(readFileSync(freshLog.file, 'utf8')).not.toContain(PASS);
  });
});
