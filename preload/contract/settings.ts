import { z } from 'zod';
import { Currency, TillKind, UiLanguage, VatRate } from './domain';
import { MAX_LEN } from './limits';

/**
 * Settings as the renderer sees them. Secrets (API keys, passwords) never travel to the renderer in
 * clear: the view only says whether one is stored, and an input sends a new one or leaves it out.
 */
export const SecretView = z.object({ stored: z.boolean() });
const SecretInput = z.string().min(1).max(MAX_LEN.secret).optional();

const HttpUrl = z.url({ protocol: /^https?$/ }).max(MAX_LEN.url);

/**
 * Overrides of the fiscal printer's tax group per VAT rate (Shtrih-M table 6 row). Empty is the default:
 * the driver maps every rate from the device's own tax table at connect (20 % → 1, 10 % → 2, 0 % → 3,
 * без НДС → 4, 20/120 → 5, 10/110 → 6, 5 % → 7, 7 % → 8, 5/105 → 9, 7/107 → 10, 22 % → 11, 22/122 → 12 on
 * 2026 firmware) and refuses a rate the device would print wrong. Tag 1199 values 11 and 12 are 22 % and
 * 22/122 (FNS order ЕД-7-20/1050@); 1 and 3 still mean 20 % and 20/120 (main/fiscal/shtrih/PROTOCOL.md §VAT 2026).
 */
export const VatGroups = z.partialRecord(VatRate, z.number().int().min(1).max(63));
export type VatGroups = z.infer<typeof VatGroups>;
export const DEFAULT_VAT_GROUPS_2026: VatGroups = {};

/** The fiscal protocols the app speaks (main/fiscal/protocols.ts has one line for each). */
export const FiscalProtocolName = z.enum(['shtrih', 'atol']);
export type FiscalProtocolName = z.infer<typeof FiscalProtocolName>;
/** The setting: a protocol, or 'auto' — each protocol's status request is tried at connect (issue 18 point 4). */
export const FiscalProtocolSetting = z.enum([...FiscalProtocolName.options, 'auto']);
export type FiscalProtocolSetting = z.infer<typeof FiscalProtocolSetting>;

/** A shell setting: 'auto' is on in a packaged build and off in development (`npm start`). */
export const ShellSwitch = z.enum(['auto', 'on', 'off']);
export type ShellSwitch = z.infer<typeof ShellSwitch>;

/** Whether this engine knows the IANA zone name (a RangeError otherwise). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}
const TimeZoneSetting = z.string().max(64).refine((z) => z === '' || isKnownTimeZone(z), 'неизвестный часовой пояс');

/** One shape for what the renderer reads and what it sends; only the secret fields differ. */
function settingsShape<S extends z.ZodType>(secret: S) {
  return {
    trainingMode: z.boolean(),
    currency: Currency,
    fiscal: z.object({
      port: z.string().max(MAX_LEN.field),
      baudRate: z.number().int().positive(),
      operatorPassword: secret,
      /** A settings file of an earlier version gets its value from main/settings/settingsMigrations.ts. */
      vatGroups: VatGroups.default(DEFAULT_VAT_GROUPS_2026),
      /** Shtrih-M unless a person chose otherwise: every till before issue 18 had one. */
      protocol: FiscalProtocolSetting.default('shtrih'),
    }),
    lifepos: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, orgGuid: z.string().max(MAX_LEN.id), clientId: z.string().max(MAX_LEN.id), token: secret }),
    lifepay: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, login: z.string().max(MAX_LEN.field), apiKey: secret }),
    regos: z.object({
      enabled: z.boolean(),
      url: HttpUrl,
      login: z.string().max(MAX_LEN.field),
      password: secret,
      /** REGOS `vat_value` is read two ways in public material (rate×100 or VAT amount); the store picks. */
      vatValueMode: z.enum(['ratePercentTimes100', 'amountMinor']),
      /**
       * A REGOS VCR on another computer of the store's network speaks plain HTTP (BACKENDS.md "REGOS VCR"):
       * its password may go there unencrypted only when this is on, and only to a private IP address.
       */
      allowPlainHttpOnStoreNetwork: z.boolean().default(false),
    }),
    /** Minutes between outbox retries; the last one repeats. */
    retryScheduleMinutes: z.array(z.number().positive()).min(1),
    /** Full screen, no window frame, closing asks first. Read at start: a change applies after a restart. */
    kiosk: ShellSwitch.default('auto'),
    /** Start with the session and come back after a crash (Windows: login item and relaunch; Linux: systemd user unit). */
    autostart: ShellSwitch.default('auto'),
    /** DevTools in a packaged build, for a technician; a development build always has them. */
    devTools: z.boolean().default(false),
    /** The cashier's language (issue 15): Russian, or Uzbek in Latin script. */
    language: UiLanguage.default('ru'),
    /** IANA zone for "today", sale and receipt times and the journal; '' is the system's own (issue 15). */
    timeZone: TimeZoneSetting.default(''),
    /**
     * 'regosOnly': an Uzbek till with REGOS VCR and no fiscal printer (issue 15): refunds go through VCR
     * only, online only (seed 002), and the screen shows no printer or shift. Only an explicit choice:
     * an unconfigured till still starts in training mode with the printer emulator.
     */
    till: TillKind.default('fiscalPrinter'),
    /** Who the cashier calls when a refund needs help (issue 19 point 4): shown on the F4 panel; '' — none set. */
    supportContact: z.string().max(MAX_LEN.text).default(''),
    /**
     * Marked goods (issue 21): a unit whose code cannot be scanned (label torn off) may go back with a code
     * its sale recorded and nobody refunded yet. Off: the code of the very item is scanned.
     */
    markingCodesFromSale: z.boolean().default(false),
  };
}

export const SettingsView = z.object({
  ...settingsShape(SecretView),
  cashierName: z.string().max(64),
  allowPlaintextSecrets: z.boolean(),
  /** Where keys are kept: the OS key store, a clear-text file the person allowed, or nowhere yet. */
  secretStorage: z.enum(['os', 'plaintext-allowed', 'unavailable']),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsInput = z.object({
  ...settingsShape(SecretInput),
  cashierName: z.string().min(1).max(64),
  /** Storing secrets without an OS key store must be asked for explicitly (Linux without libsecret). */
  allowPlaintextSecrets: z.boolean().optional(),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

/** A port as the system describes it; USB ports carry their descriptor's ids and strings. */
export const SerialPortInfo = z.object({
  path: z.string().max(MAX_LEN.field),
  manufacturer: z.string().max(MAX_LEN.field).optional(),
  serialNumber: z.string().max(MAX_LEN.field).optional(),
  vendorId: z.string().max(MAX_LEN.field).optional(),
  productId: z.string().max(MAX_LEN.field).optional(),
  product: z.string().max(MAX_LEN.field).optional(),
});
export type SerialPortInfo = z.infer<typeof SerialPortInfo>;
