import { z } from 'zod';
import { Currency } from './domain';

/**
 * Settings as the renderer sees them. Secrets (API keys, passwords) never travel to the renderer in
 * clear: the view only says whether one is stored, and an input sends a new one or leaves it out.
 */
export const SecretView = z.object({ stored: z.boolean() });
const SecretInput = z.string().min(1).optional();

const HttpUrl = z.url({ protocol: /^https?$/ });

export const SettingsView = z.object({
  trainingMode: z.boolean(),
  currency: Currency,
  cashierName: z.string(),
  fiscal: z.object({
    port: z.string(),
    baudRate: z.number().int().positive(),
    operatorPassword: SecretView,
  }),
  lifepos: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, orgGuid: z.string(), clientId: z.string(), token: SecretView }),
  lifepay: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, login: z.string(), apiKey: SecretView }),
  regos: z.object({
    enabled: z.boolean(),
    url: HttpUrl,
    login: z.string(),
    password: SecretView,
    /** REGOS `vat_value` is read two ways in public material (rate×100 or VAT amount); the store picks. */
    vatValueMode: z.enum(['ratePercentTimes100', 'amountMinor']),
  }),
  /** Minutes between outbox retries; the last one repeats. */
  retryScheduleMinutes: z.array(z.number().positive()).min(1),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsInput = z.object({
  trainingMode: z.boolean(),
  currency: Currency,
  cashierName: z.string().min(1).max(64),
  fiscal: z.object({ port: z.string(), baudRate: z.number().int().positive(), operatorPassword: SecretInput }),
  lifepos: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, orgGuid: z.string(), clientId: z.string(), token: SecretInput }),
  lifepay: z.object({ enabled: z.boolean(), baseUrl: HttpUrl, login: z.string(), apiKey: SecretInput }),
  regos: z.object({
    enabled: z.boolean(),
    url: HttpUrl,
    login: z.string(),
    password: SecretInput,
    vatValueMode: z.enum(['ratePercentTimes100', 'amountMinor']),
  }),
  retryScheduleMinutes: z.array(z.number().positive()).min(1),
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
