import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsInput, type SettingsView } from '../../preload/contract';
import type { Logger } from '../log/logger';
import type { SecretStore } from '../secrets/secretStore';
import { writeFileAtomic } from './atomicWrite';
import { bindRef, checkBackendAddresses, isBoundHere, secretsUnboundBy } from './backendAddresses';
import { readSettingsFile, refuseNewerSettings } from './settingsFileReader';
import { SETTINGS_VERSION } from './settingsMigrations';
import { SettingsFile, firstStartSettings, secretFields, secretInputOf, secretRefOf, type SecretField, type SecretRef, type StoredSettings } from './storedSettings';

/**
 * The terminal's settings in `<data folder>/settings.json`, checked with zod at every load.
 * Every successful save (and every load of a valid file) also refreshes `settings.last-good.json`.
 * A damaged or mistyped file is never replaced by silent defaults: the store starts from the last good
 * copy and says so; with no good copy at all it runs in training mode (emulators only), because a guessed
 * currency, printer port or back-end address could print or send real money documents wrongly.
 */
export type SettingsSource =
  /** settings.json was valid. */
  | 'file'
  /** settings.json was missing or invalid; the last good copy is in use. */
  | 'last-good'
  /** No settings at all: defaults, training mode. */
  | 'first-start'
  /** Neither file is usable: defaults with training mode forced until a person saves settings. */
  | 'damaged';

export interface SettingsStatus {
  source: SettingsSource;
  /** Russian, for the status bar and the settings screen; null when all is well. */
  problem: string | null;
  /** Technical reason for the IT person (which file, which field). Never holds a secret. */
  detail: string | null;
}

export interface SettingsStore {
  /** The settings in force; trainingMode is forced on while the settings are damaged. */
  current(): StoredSettings;
  status(): SettingsStatus;
  /** The settings for the renderer: every secret reduced to { stored }. */
  toView(): SettingsView;
  /** Validates, stores new secrets, writes settings.json and its last good copy. Throws AppError. */
  save(input: SettingsInput): SettingsView;
  /** A secret's value, for the service that needs it (never for the renderer). */
  secret(field: SecretField): string | null;
  onChange(listener: (settings: StoredSettings) => void): () => void;
}

export interface SettingsStoreOptions {
  dir: string;
  secrets: SecretStore;
  log: Logger;
}

export const SETTINGS_FILE = 'settings.json';
export const LAST_GOOD_FILE = 'settings.last-good.json';

export function createSettingsStore(opts: SettingsStoreOptions): SettingsStore {
  mkdirSync(opts.dir, { recursive: true });
  const mainPath = join(opts.dir, SETTINGS_FILE);
  const lastGoodPath = join(opts.dir, LAST_GOOD_FILE);
  const listeners = new Set<(s: StoredSettings) => void>();

  let settings: StoredSettings;
  let status: SettingsStatus;

  const write = (file: SettingsFile) => {
    const text = `${JSON.stringify(file, null, 2)}\n`;
    writeFileAtomic(mainPath, text);
    writeFileAtomic(lastGoodPath, text);
  };

  const main = readSettingsFile(mainPath);
  refuseNewerSettings(main, mainPath);
  if (main.kind === 'ok' && main.from < SETTINGS_VERSION) {
    // Upgraded in memory only: settings.json keeps its old version until the next save, so going back to the older program still works.
    opts.log.info('settings upgraded', { from: main.from, to: SETTINGS_VERSION, added: main.added });
  }
  if (main.kind === 'ok') {
    settings = main.file.settings;
    status = { source: 'file', problem: null, detail: null };
    if (!existsSync(lastGoodPath) || readFileSync(lastGoodPath, 'utf8') !== main.text) writeFileAtomic(lastGoodPath, main.text);
  } else {
    const lastGood = readSettingsFile(lastGoodPath);
    refuseNewerSettings(lastGood, lastGoodPath);
    const mainReason = main.kind === 'invalid' ? `${SETTINGS_FILE}: ${main.reason}` : `${SETTINGS_FILE}: файла нет`;
    if (lastGood.kind === 'ok') {
      settings = lastGood.file.settings;
      const savedAt = lastGood.file.savedAt;
      status = {
        source: 'last-good',
        problem: main.kind === 'invalid'
          ? `Файл настроек повреждён или исправлен вручную с ошибкой. Программа работает с последними исправными настройками (сохранены ${savedAt}). Проверьте настройки и сохраните их.`
          : `Файл настроек не найден. Восстановлены последние исправные настройки (сохранены ${savedAt}).`,
        detail: mainReason,
      };
      // A missing file is restored; a damaged one stays as it is, for the IT person to look at, until a save.
      if (main.kind === 'missing') writeFileAtomic(mainPath, lastGood.text);
    } else if (main.kind === 'missing' && lastGood.kind === 'missing') {
      settings = firstStartSettings();
      status = { source: 'first-start', problem: null, detail: null };
      write({ version: SETTINGS_VERSION, savedAt: new Date().toISOString(), settings });
    } else {
      settings = { ...firstStartSettings(), trainingMode: true };
      status = {
        source: 'damaged',
        problem: 'Настройки повреждены, исправной копии нет. Программа работает в учебном режиме: чеки не печатаются на кассе и не отправляются. Введите настройки заново и сохраните.',
        detail: `${mainReason}; ${LAST_GOOD_FILE}: ${lastGood.kind === 'invalid' ? lastGood.reason : 'файла нет'}`,
      };
    }
  }
  if (status.problem) opts.log.error('settings problem at load', { source: status.source, problem: status.problem, detail: status.detail });
  opts.secrets.setPlaintextAllowed(settings.allowPlaintextSecrets);

  const withheld = new Set<SecretField>();
  const secret = (field: SecretField): string | null => {
    const ref = secretRefOf(settings, field);
    if (ref && !isBoundHere(ref, field, settings)) {
      // settings.json names another address than the secret was typed for (edited by hand): it is not sent.
      if (!withheld.has(field)) opts.log.warn('stored secret withheld: its back-end address differs from the one it was entered for', { field });
      withheld.add(field);
      return null;
    }
    const value = ref ? opts.secrets.get(ref.secretId) : null;
    // The secret store may log elsewhere (Electron's shell logger): teach this logger the value too.
    if (value !== null) opts.log.addSecret(value);
    return value;
  };
  const stored = (field: SecretField) => ({ stored: secret(field) !== null });

  const toView = (): SettingsView => ({
    trainingMode: settings.trainingMode,
    currency: settings.currency,
    cashierName: settings.cashierName,
    fiscal: { port: settings.fiscal.port, baudRate: settings.fiscal.baudRate, vatGroups: { ...settings.fiscal.vatGroups }, protocol: settings.fiscal.protocol, operatorPassword: stored('fiscal.operatorPassword') },
    lifepos: { ...settings.lifepos, token: stored('lifepos.token') },
    lifepay: { ...settings.lifepay, apiKey: stored('lifepay.apiKey') },
    regos: { ...settings.regos, password: stored('regos.password') },
    retryScheduleMinutes: [...settings.retryScheduleMinutes],
    kiosk: settings.kiosk,
    autostart: settings.autostart,
    devTools: settings.devTools,
    language: settings.language,
    timeZone: settings.timeZone,
    till: settings.till,
    supportContact: settings.supportContact,
    markingCodesFromSale: settings.markingCodesFromSale,
    allowPlaintextSecrets: settings.allowPlaintextSecrets,
    secretStorage: opts.secrets.backend(),
  });

  const save = (raw: SettingsInput): SettingsView => {
    const input = SettingsInput.parse(raw);
    checkBackendAddresses(input);
    const unbound = secretsUnboundBy(settings, input);
    const dropped: SecretField[] = [];
    const previousAllowed = settings.allowPlaintextSecrets;
    const allowPlaintextSecrets = input.allowPlaintextSecrets ?? previousAllowed;
    const refs = {} as Record<SecretField, SecretRef>;
    opts.secrets.setPlaintextAllowed(allowPlaintextSecrets);
    try {
      for (const field of secretFields) {
        const value = secretInputOf(input, field);
        if (value !== undefined) {
          opts.log.addSecret(value);
          opts.secrets.set(field, value);
          refs[field] = bindRef({ secretId: field }, field, input);
        } else if (unbound.includes(field)) {
          // The address moved and no secret was typed for the new one: the old secret is not carried over.
          refs[field] = null;
          dropped.push(field);
        } else {
          const kept = secretRefOf(settings, field);
          refs[field] = kept && bindRef(kept, field, input);
        }
      }
    } catch (e) {
      opts.secrets.setPlaintextAllowed(previousAllowed);
      throw e;
    }
    // Withdrawing the permission removes the clear-text copies it allowed.
    if (previousAllowed && !allowPlaintextSecrets && opts.secrets.backend() === 'unavailable') {
      for (const field of secretFields) {
        const ref = refs[field];
        if (ref) opts.secrets.delete(ref.secretId);
        refs[field] = null;
      }
    }
    const next: StoredSettings = {
      ...input,
      fiscal: { ...input.fiscal, operatorPassword: refs['fiscal.operatorPassword'] },
      lifepos: { ...input.lifepos, token: refs['lifepos.token'] },
      lifepay: { ...input.lifepay, apiKey: refs['lifepay.apiKey'] },
      regos: { ...input.regos, password: refs['regos.password'] },
      allowPlaintextSecrets,
      retention: settings.retention,
    };
    write(SettingsFile.parse({ version: SETTINGS_VERSION, savedAt: new Date().toISOString(), settings: next }));
    for (const field of dropped) {
      const ref = secretRefOf(settings, field);
      if (ref) opts.secrets.delete(ref.secretId);
    }
    if (dropped.length > 0) opts.log.warn('stored secrets dropped: their back-end address changed', { fields: dropped });
    settings = next;
    status = { source: 'file', problem: null, detail: null };
    opts.log.info('settings saved', { trainingMode: next.trainingMode, currency: next.currency, port: next.fiscal.port, secretsBackend: opts.secrets.backend() });
    for (const listener of listeners) listener(settings);
    return toView();
  };

  return {
    current: () => structuredClone(settings),
    status: () => ({ ...status }),
    toView,
    save,
    secret,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
