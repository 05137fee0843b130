import { z } from 'zod';
import { DEFAULT_VAT_GROUPS_2026, MAX_LEN, SettingsInput } from '../../preload/contract';
import { LIFE_POS_HOSTS } from '../backends/lifepos/lifePosClient';
import { REGOS_DEFAULT_URL } from '../backends/regos/regosClient';
import { DEFAULT_RETENTION, RetentionSettings } from './retentionSettings';
import { SETTINGS_VERSION } from './settingsMigrations';
import { OUTBOX_RETRY_MINUTES } from '../queue/backoff';

/**
 * What settings.json holds: SettingsInput with every secret replaced by a reference to the secret
 * store, so the file can be read, copied or attached to a support ticket without leaking a key.
 */
export const SecretRef = z.object({
  secretId: z.string().min(1),
  /**
   * Scheme, host and port the secret was typed for (main/settings/backendAddresses.ts): it is withheld
   * from any other address. Absent for the printer's password and in files written before issue 16.
   */
  boundTo: z.string().max(MAX_LEN.url).optional(),
}).strict().nullable();
export type SecretRef = z.infer<typeof SecretRef>;

const input = SettingsInput.shape;
export const StoredSettings = SettingsInput.extend({
  fiscal: input.fiscal.extend({ operatorPassword: SecretRef }).strict(),
  lifepos: input.lifepos.extend({ token: SecretRef }).strict(),
  lifepay: input.lifepay.extend({ apiKey: SecretRef }).strict(),
  regos: input.regos.extend({ password: SecretRef }).strict(),
  allowPlaintextSecrets: z.boolean(),
  /** File-only (not on the settings screen): a save keeps what the file holds. */
  retention: RetentionSettings,
}).strict();
export type StoredSettings = z.infer<typeof StoredSettings>;

export const SettingsFile = z.object({ version: z.literal(SETTINGS_VERSION), savedAt: z.iso.datetime(), settings: StoredSettings }).strict();
export type SettingsFile = z.infer<typeof SettingsFile>;

/** Every secret field; its name is also the id it is stored under in the secret store. */
export const secretFields = ['fiscal.operatorPassword', 'lifepos.token', 'lifepay.apiKey', 'regos.password'] as const;
export type SecretField = (typeof secretFields)[number];

export function secretRefOf(s: StoredSettings, field: SecretField): SecretRef {
  switch (field) {
    case 'fiscal.operatorPassword': return s.fiscal.operatorPassword;
    case 'lifepos.token': return s.lifepos.token;
    case 'lifepay.apiKey': return s.lifepay.apiKey;
    case 'regos.password': return s.regos.password;
  }
}

/** The new value typed in the settings screen, or undefined to keep the stored one. */
export function secretInputOf(input: SettingsInput, field: SecretField): string | undefined {
  switch (field) {
    case 'fiscal.operatorPassword': return input.fiscal.operatorPassword;
    case 'lifepos.token': return input.lifepos.token;
    case 'lifepay.apiKey': return input.lifepay.apiKey;
    case 'regos.password': return input.regos.password;
  }
}

/** LIFE PAY's production base is not confirmed by the seed documents: this placeholder must be checked on site. */
export const LIFEPAY_PLACEHOLDER_BASE_URL = 'https://api.life-pay.ru';

/**
 * A first start: training mode (the built-in emulators), so nothing real is printed or sent until a
 * person has entered the store's own port, URLs and identifiers.
 */
export function firstStartSettings(): StoredSettings {
  return {
    trainingMode: true,
    currency: 'RUB',
    cashierName: 'Кассир',
    fiscal: { port: '', baudRate: 115200, operatorPassword: null, vatGroups: DEFAULT_VAT_GROUPS_2026, protocol: 'shtrih' },
    lifepos: { enabled: false, baseUrl: LIFE_POS_HOSTS.test, orgGuid: '', clientId: '', token: null },
    lifepay: { enabled: false, baseUrl: LIFEPAY_PLACEHOLDER_BASE_URL, login: '', apiKey: null },
    regos: { enabled: false, url: REGOS_DEFAULT_URL, login: '', password: null, vatValueMode: 'ratePercentTimes100', allowPlainHttpOnStoreNetwork: false },
    retryScheduleMinutes: [...OUTBOX_RETRY_MINUTES],
    kiosk: 'auto',
    autostart: 'auto',
    devTools: false,
    language: 'ru',
    timeZone: '',
    till: 'fiscalPrinter',
    supportContact: '',
    markingCodesFromSale: false,
    allowPlaintextSecrets: false,
    retention: DEFAULT_RETENTION,
  };
}
