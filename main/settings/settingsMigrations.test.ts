import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_VAT_GROUPS_2026, SettingsInput, type SettingsView } from '../../preload/contract';
import { caughtAppError } from '../../test/support/caughtAppError';
import { createLogger, type FileLogger } from '../log/logger';
import { createEncodedSecretStore } from '../secrets/encodedSecretStore';
import { DEFAULT_RETENTION } from './retentionSettings';
import { SETTINGS_VERSION, settingsSteps, upgradeSettingsFile, type SettingsStep } from './settingsMigrations';
import { createSettingsStore, LAST_GOOD_FILE, SETTINGS_FILE } from './settingsStore';
import { StoredSettings } from './storedSettings';

/** Settings files as earlier versions of the program wrote them (made by those versions' own code). */
const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'settings');
const fixture = (name: string) => join(FIXTURES, name);
const fixtureJson = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as { version: number; settings: Record<string, unknown> };

let dir: string;
let log: FileLogger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'settings-upgrade-'));
  log = createLogger({ dir: join(dir, 'logs'), level: 'debug' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const secrets = () => createEncodedSecretStore({
  file: join(dir, 'secrets.json'), log, protection: () => 'os',
  codec: { encode: (v) => Buffer.from(v).toString('base64'), decode: (s) => Buffer.from(s, 'base64').toString() },
});
const open = () => createSettingsStore({ dir, secrets: secrets(), log });
const settingsPath = () => join(dir, SETTINGS_FILE);
const lastGoodPath = () => join(dir, LAST_GOOD_FILE);

/** What the settings screen sends back: the view with `over` applied and no new secret typed. */
function inputFromView(view: SettingsView, over: Partial<SettingsInput> = {}): SettingsInput {
  return SettingsInput.parse({
    ...view,
    fiscal: { ...view.fiscal, operatorPassword: undefined },
    lifepos: { ...view.lifepos, token: undefined },
    lifepay: { ...view.lifepay, apiKey: undefined },
    regos: { ...view.regos, password: undefined },
    ...over,
  });
}

/** What version 2 brought to a version 1 file, value by value (the fields settingsSteps[0] names). */
const V2_FIELDS = {
  kiosk: 'auto',
  autostart: 'auto',
  devTools: false,
  retention: DEFAULT_RETENTION,
};

/** What version 3 brought (issue 15): Russian, the system's time zone, a till with a fiscal printer. */
const V3_FIELDS = { language: 'ru', timeZone: '', till: 'fiscalPrinter', supportContact: '', markingCodesFromSale: false };

/** What version 4 brought to the fiscal section (issue 18): the protocol every earlier till spoke. */
const V4_FISCAL = { protocol: 'shtrih' };

describe('settings fixtures', () => {
  it('every earlier settings version has at least one fixture file', () => {
    const files = readdirSync(FIXTURES);
    for (let v = 1; v < SETTINGS_VERSION; v++) {
      const ofVersion = files.filter((f) => f.startsWith(`v${v}`) && f.endsWith('.json'));
      expect(ofVersion, `test/fixtures/settings/v${v}*.json`).not.toEqual([]);
      for (const f of ofVersion) expect(fixtureJson(f).version).toBe(v);
    }
  });
});

describe('upgrading settings.json', () => {
  it('version 1 (today\'s format, with VAT groups): every value kept, version 2 fields as named, file untouched until a save', () => {
    const before = readFileSync(fixture('v1.json'), 'utf8');
    copyFileSync(fixture('v1.json'), settingsPath());
    const store = open();
    expect(store.status()).toEqual({ source: 'file', problem: null, detail: null });
    const old = fixtureJson('v1.json').settings;
    expect(store.current()).toEqual({
      ...old,
      ...V2_FIELDS,
      ...V3_FIELDS,
      // The fixture holds version 1's default map, which version 2 reads as automatic.
      fiscal: { ...(old.fiscal as object), vatGroups: {}, ...V4_FISCAL },
      regos: { ...(old.regos as object), allowPlainHttpOnStoreNetwork: false },
    });
    expect(store.current().trainingMode).toBe(false);
    expect(readFileSync(settingsPath(), 'utf8')).toBe(before);
    expect(readFileSync(log.file, 'utf8')).toMatch(/settings upgraded .*"from":1,"to":4/);
  });

  it('version 2: every value kept, version 3 fields as named (Russian, the system\'s zone, a fiscal printer)', () => {
    copyFileSync(fixture('v2.json'), settingsPath());
    const store = open();
    expect(store.status()).toEqual({ source: 'file', problem: null, detail: null });
    const old = fixtureJson('v2.json').settings;
    expect(store.current()).toEqual({ ...old, ...V3_FIELDS, fiscal: { ...(old.fiscal as object), ...V4_FISCAL } });
  });

  it('version 3: every value kept (an Uzbek till in Tashkent), the fiscal protocol Shtrih-M as every earlier till spoke', () => {
    const before = readFileSync(fixture('v3.json'), 'utf8');
    copyFileSync(fixture('v3.json'), settingsPath());
    const store = open();
    expect(store.status()).toEqual({ source: 'file', problem: null, detail: null });
    const old = fixtureJson('v3.json').settings;
    expect(store.current()).toEqual({ ...old, fiscal: { ...(old.fiscal as object), protocol: 'shtrih' } });
    expect(store.toView().fiscal.protocol).toBe('shtrih');
    expect(readFileSync(settingsPath(), 'utf8')).toBe(before);
    expect(readFileSync(log.file, 'utf8')).toMatch(/settings upgraded .*"from":3,"to":4.*fiscal\.protocol/);
  });

  it('version 4: a chosen protocol is saved and read back; an unknown one makes the file damaged, not Shtrih-M', () => {
    copyFileSync(fixture('v3.json'), settingsPath());
    const store = open();
    store.save(inputFromView(store.toView(), { fiscal: { port: '/dev/ttyUSB0', baudRate: 115200, vatGroups: {}, protocol: 'auto' } }));
    expect(open().current().fiscal.protocol).toBe('auto');
    const file = JSON.parse(readFileSync(settingsPath(), 'utf8')) as { version: number; settings: { fiscal: Record<string, unknown> } };
    expect(file.version).toBe(4);
    file.settings.fiscal.protocol = 'epson';
    writeFileSync(settingsPath(), JSON.stringify(file));
    const damaged = open();
    expect(damaged.status().source).toBe('last-good');
    expect(damaged.current().fiscal.protocol).toBe('auto');
  });

  it('version 1 from before the 2026 VAT groups: the 2026 firmware mapping is filled in by the step, not by a schema default', () => {
    copyFileSync(fixture('v1-before-vat-groups.json'), settingsPath());
    const store = open();
    expect(store.status().source).toBe('file');
    expect(store.current().fiscal.vatGroups).toEqual(DEFAULT_VAT_GROUPS_2026);
    expect(store.current().lifepos).toEqual(fixtureJson('v1-before-vat-groups.json').settings.lifepos);
    expect(readFileSync(log.file, 'utf8')).toContain('fiscal.vatGroups');
  });

  it('version 1 with a store\'s own VAT groups keeps them; a version 2 file keeps even the old default map, chosen on purpose', () => {
    const own = fixtureJson('v1.json');
    (own.settings.fiscal as Record<string, unknown>).vatGroups = { vat22: 11, vat122: 12, vat10: 2 };
    writeFileSync(settingsPath(), JSON.stringify(own));
    expect(open().current().fiscal.vatGroups).toEqual({ vat22: 11, vat122: 12, vat10: 2 });

    const chosen = { vat22: 1, vat10: 2, vat0: 3, none: 4, vat122: 5, vat110: 6 };
    const store = open();
    store.save(inputFromView(store.toView(), { fiscal: { port: '/dev/ttyACM0', baudRate: 115200, vatGroups: chosen, protocol: 'shtrih' } }));
    expect(open().current().fiscal.vatGroups).toEqual(chosen);
  });

  it('a save after the upgrade writes the current version, which loads again with the same values', () => {
    copyFileSync(fixture('v1.json'), settingsPath());
    const upgraded = open();
    upgraded.save(inputFromView(upgraded.toView()));
    const written = JSON.parse(readFileSync(settingsPath(), 'utf8')) as { version: number };
    expect(written.version).toBe(SETTINGS_VERSION);
    expect(readFileSync(lastGoodPath(), 'utf8')).toBe(readFileSync(settingsPath(), 'utf8'));
    expect(open().current()).toEqual(upgraded.current());
  });

  it('retention set by hand in the file survives a save from the settings screen, which never shows it', () => {
    copyFileSync(fixture('v1.json'), settingsPath());
    const store = open();
    store.save(inputFromView(store.toView()));
    const file = JSON.parse(readFileSync(settingsPath(), 'utf8')) as { settings: { retention: unknown } };
    file.settings.retention = { ...DEFAULT_RETENTION, doneJobsDays: 365, logMaxMegabytes: 50 };
    writeFileSync(settingsPath(), JSON.stringify(file));
    const edited = open();
    expect(edited.status().source).toBe('file');
    edited.save(inputFromView(edited.toView(), { cashierName: 'Петров' }));
    expect(open().current()).toMatchObject({ cashierName: 'Петров', retention: { doneJobsDays: 365, logMaxMegabytes: 50, seenSalesDays: 180 } });
  });

  it('a hand-set retention below its floor is damaged, not clamped', () => {
    copyFileSync(fixture('v1.json'), settingsPath());
    open();
    const file = JSON.parse(readFileSync(lastGoodPath(), 'utf8')) as { version: number; settings: Record<string, unknown> };
    writeFileSync(settingsPath(), JSON.stringify({ ...file, version: 1, settings: { ...file.settings, retention: { ...DEFAULT_RETENTION, seenSalesDays: 3 } } }));
    const store = open();
    expect(store.status().source).toBe('last-good');
    expect(store.status().detail).toMatch(/seenSalesDays/);
  });

  it('a current-version file missing a field its version introduced is damaged, never defaulted', () => {
    copyFileSync(fixture('v1.json'), settingsPath());
    open();
    const file = fixtureJson('v1.json');
    const current = { ...file, version: SETTINGS_VERSION, settings: { ...file.settings, ...V2_FIELDS, ...V3_FIELDS, fiscal: { ...(file.settings.fiscal as object), ...V4_FISCAL }, regos: { ...(file.settings.regos as object), allowPlainHttpOnStoreNetwork: false } } };
    writeFileSync(lastGoodPath(), JSON.stringify(current));
    const withoutRetention = structuredClone(current);
    delete (withoutRetention.settings as Record<string, unknown>).retention;
    writeFileSync(settingsPath(), JSON.stringify(withoutRetention));
    const store = open();
    expect(store.status().source).toBe('last-good');
    expect(store.status().detail).toMatch(/нет полей: retention/);
  });

  it('a file from a newer program is refused with a Russian message and neither file is touched', () => {
    const newer = JSON.stringify({ ...fixtureJson('v1.json'), version: SETTINGS_VERSION + 1, settings: { newerSetting: true } });
    writeFileSync(settingsPath(), newer);
    const e = caughtAppError(() => open());
    expect(e.code).toBe('SETTINGS_TOO_NEW');
    expect(e.message).toMatch(/более новой версией программы кассы .*версия файла \d+, эта программа знает до \d+.*Установите последнюю версию/);
    expect(readFileSync(settingsPath(), 'utf8')).toBe(newer);
    expect(existsSync(lastGoodPath())).toBe(false);
  });

  it('a newer last good copy behind a missing settings.json is refused too, not replaced by defaults', () => {
    const newer = JSON.stringify({ version: SETTINGS_VERSION + 3, savedAt: new Date().toISOString(), settings: {} });
    writeFileSync(lastGoodPath(), newer);
    expect(caughtAppError(() => open()).code).toBe('SETTINGS_TOO_NEW');
    expect(existsSync(settingsPath())).toBe(false);
    expect(readFileSync(lastGoodPath(), 'utf8')).toBe(newer);
  });
});

describe('the newest step and the schema agree', () => {
  it('every setting the schema would fill in when missing is named by an upgrade step, so no file is ever filled silently', () => {
    const introduced = new Set(settingsSteps.flatMap((s) => Object.keys(s.introduces)));
    const fillable: string[] = [];
    const walk = (shape: Record<string, z.ZodType>, prefix: string) => {
      for (const [key, schema] of Object.entries(shape)) {
        if (schema.safeParse(undefined).success) fillable.push(prefix + key);
        else if (schema instanceof z.ZodObject) walk(schema.shape, `${prefix}${key}.`);
      }
    };
    walk(StoredSettings.shape, '');
    expect(fillable.length).toBeGreaterThan(0);
    expect(fillable.filter((path) => !introduced.has(path)), 'add these to the newest step in settingsMigrations.ts').toEqual([]);
  });
});

describe('upgradeSettingsFile', () => {
  const v1 = () => fixtureJson('v1.json');

  it.each([
    [{ ...v1(), version: 0 }, /version: 0/],
    [{ ...v1(), version: '1' }, /version: "1"/],
    [{ ...v1(), version: 1.5 }, /version: 1.5/],
    [{ settings: v1().settings }, /version: нет/],
    [[1, 2], /не объект/],
    [{ version: 1, settings: 'x' }, /нет объекта настроек/],
  ])('refuses %j as damaged', (json, reason) => {
    const r = upgradeSettingsFile(json);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.reason).toMatch(reason);
  });

  it('keeps a value an older file already holds (a build between releases wrote it)', () => {
    const file = v1();
    file.settings.retention = { ...DEFAULT_RETENTION, doneJobsDays: 120 };
    const r = upgradeSettingsFile(file);
    expect(r.kind === 'ok' && r.file.settings).toMatchObject({ retention: { doneJobsDays: 120 }, regos: { allowPlainHttpOnStoreNetwork: false } });
    expect(r.kind === 'ok' && r.added).not.toContain('retention');
  });

  it('runs several steps in order, with a transform after the step\'s fields', () => {
    const steps: SettingsStep[] = [
      ...settingsSteps,
      { version: SETTINGS_VERSION + 1, name: 'rename', introduces: { 'fiscal.timeoutMs': 500 }, transform: (s) => ({ ...s, cashier: s.cashierName }) },
    ];
    const r = upgradeSettingsFile(v1(), steps);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.file.version).toBe(SETTINGS_VERSION + 1);
    expect(r.from).toBe(1);
    expect(r.file.settings).toMatchObject({ cashier: 'Иванова А. П.', fiscal: { timeoutMs: 500 }, retention: DEFAULT_RETENTION });
  });

  it('a nested field whose section the old file lacks is damaged, not invented', () => {
    const file = v1();
    delete file.settings.regos;
    expect(upgradeSettingsFile(file)).toEqual({ kind: 'invalid', reason: expect.stringMatching(/regos\.allowPlainHttpOnStoreNetwork: нет раздела regos/) });
  });

  it('refuses a step list with a gap', () => {
    const gap: SettingsStep = { version: SETTINGS_VERSION + 2, name: 'gap', introduces: {} };
    expect(caughtAppError(() => upgradeSettingsFile(v1(), [...settingsSteps, gap])).code).toBe('SETTINGS_STEPS_INVALID');
  });
});
