import { z } from 'zod';
import { SettingsInput, type SettingsView } from '../../../preload/contract';
import { translator, type MessageKey, type Translate } from '../i18n/catalogue';

/**
 * The settings form's state: the stored view plus the secrets typed in this session. A secret left
 * empty is not sent, so the stored one stays; the renderer never sees a stored secret.
 */
export interface SettingsDraft {
  view: SettingsView;
  secrets: { operatorPassword: string; lifeposToken: string; lifepayApiKey: string; regosPassword: string };
  retryText: string;
  allowPlaintextSecrets: boolean;
}

export const draftFromView = (view: SettingsView): SettingsDraft => ({
  view,
  secrets: { operatorPassword: '', lifeposToken: '', lifepayApiKey: '', regosPassword: '' },
  retryText: view.retryScheduleMinutes.join(', '),
  allowPlaintextSecrets: view.allowPlaintextSecrets,
});

const secret = (s: string) => (s === '' ? undefined : s);

/** "1, 3, 5, 10, 60" → [1, 3, 5, 10, 60]; anything unreadable becomes NaN and fails the schema. */
export const parseRetrySchedule = (text: string): number[] =>
  text.split(/[,;\s]+/).filter((t) => t !== '').map((t) => (/^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN));

export function draftToInput(d: SettingsDraft, t: Translate = translator('ru')): { ok: true; input: SettingsInput } | { ok: false; problems: string[] } {
  const v = d.view;
  const candidate = {
    trainingMode: v.trainingMode,
    currency: v.currency,
    cashierName: v.cashierName,
    fiscal: { port: v.fiscal.port, baudRate: v.fiscal.baudRate, vatGroups: v.fiscal.vatGroups, protocol: v.fiscal.protocol, operatorPassword: secret(d.secrets.operatorPassword) },
    lifepos: { enabled: v.lifepos.enabled, baseUrl: v.lifepos.baseUrl, orgGuid: v.lifepos.orgGuid, clientId: v.lifepos.clientId, token: secret(d.secrets.lifeposToken) },
    lifepay: { enabled: v.lifepay.enabled, baseUrl: v.lifepay.baseUrl, login: v.lifepay.login, apiKey: secret(d.secrets.lifepayApiKey) },
    regos: { enabled: v.regos.enabled, url: v.regos.url, login: v.regos.login, password: secret(d.secrets.regosPassword), vatValueMode: v.regos.vatValueMode, allowPlainHttpOnStoreNetwork: v.regos.allowPlainHttpOnStoreNetwork },
    retryScheduleMinutes: parseRetrySchedule(d.retryText),
    kiosk: v.kiosk,
    autostart: v.autostart,
    devTools: v.devTools,
    language: v.language,
    timeZone: v.timeZone,
    till: v.till,
    supportContact: v.supportContact,
    markingCodesFromSale: v.markingCodesFromSale,
    allowPlaintextSecrets: d.allowPlaintextSecrets,
  };
  const parsed = SettingsInput.safeParse(candidate);
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => {
    const path = i.path.join('.');
    const label = FIELD_LABEL[path];
    return `${label ? t(label) : path}: ${t(issueText(i))}`;
  }) };
}

const FIELD_LABEL: Readonly<Record<string, MessageKey>> = {
  cashierName: 'settingsForm.cashierName',
  'fiscal.port': 'settingsForm.port',
  'fiscal.baudRate': 'settingsForm.baudRate',
  'lifepos.baseUrl': 'settingsForm.lifeposUrl',
  'lifepay.baseUrl': 'settingsForm.lifepayUrl',
  'regos.url': 'settingsForm.regosUrl',
  retryScheduleMinutes: 'settingsForm.retry',
  timeZone: 'settingsForm.timeZone',
};

function issueText(issue: z.core.$ZodIssue): MessageKey {
  switch (issue.code) {
    case 'invalid_format': return 'settingsForm.badUrl';
    case 'too_small': return 'settingsForm.empty';
    case 'too_big': return 'settingsForm.tooLong';
    default: return 'settingsForm.badValue';
  }
}
