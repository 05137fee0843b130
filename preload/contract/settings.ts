import { z } from 'zod';
import { Currency, VatRate } from './domain';

/**
 * Settings as the renderer sees them. Secrets (API keys, passwords) never travel to the renderer in
 * clear: the view only says whether one is stored, and an input sends a new one or leaves it out.
 */
export const SecretView = z.object({ stored: z.boolean() });
const SecretInput = z.string().min(1).optional();

const HttpUrl = z.url({ protocol: /^https?$/ });

/**
 * Which tax group of the fiscal printer prints each VAT rate (Shtrih-M FF46 tax byte, groups 1..6).
 * Tag 1199 values 1 and 3 mean 22 % and 22/122 since 1 January 2026 (they meant 20 % and 20/120 before),
 * so updated firmware prints 22 % in the factory "20 %" group: the 2026 default below. A rate left out
 * is refused before the printer is touched, with a message naming it.
 */
export const VatGroups = z.partialRecord(VatRate, z.number().int().min(1).max(6));
export type VatGroups = z.infer<typeof VatGroups>;
export const DEFAULT_VAT_GROUPS_2026: VatGroups = { vat22: 1, vat10: 2, vat0: 3, none: 4, vat122: 5, vat110: 6 };

/** One shape for what the renderer reads and what it sends; only the secret fields differ. */
function settingsShape<S extends z.ZodType>(secret: S) {
  return {
    trainingMode: z.boolean(),
    currency: Currency,
    fiscal: z.object({
      port: z.string(),
      baudRate: z.number().int().positive(),
      operatorPassword: secret,
      /** A settings file written before this field existed reads as the 2026 default. */
      vatGroups: VatGroups.default(DEFAULT_VAT_GROUPS_2026),
    }),
    lifepos: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, orgGuid: z.string(), clientId: z.string(), token: secret }),
    lifepay: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, login: z.string(), apiKey: secret }),
    regos: z.object({
      enabled: z.boolean(),
      url: HttpUrl,
      login: z.string(),
      password: secret,
      /** REGOS `vat_value` is read two ways in public material (rate×100 or VAT amount); the store picks. */
      vatValueMode: z.enum(['ratePercentTimes100', 'amountMinor']),
    }),
    /** Minutes between outbox retries; the last one repeats. */
    retryScheduleMinutes: z.array(z.number().positive()).min(1),
  };
}

export const SettingsView = z.object({
  ...settingsShape(SecretView),
  cashierName: z.string(),
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

export const SerialPortInfo = z.object({
  path: z.string(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
});
export type SerialPortInfo = z.infer<typeof SerialPortInfo>;
