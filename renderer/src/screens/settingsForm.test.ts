import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../preload/contract';
import { translator } from '../i18n/catalogue';
import { draftFromView, draftToInput, parseRetrySchedule } from './settingsForm';

const view: SettingsView = {
  trainingMode: true, currency: 'RUB', cashierName: 'Иванова',
  fiscal: { port: '/dev/ttyUSB0', baudRate: 115200, vatGroups: { vat22: 1 }, protocol: 'atol', operatorPassword: { stored: true } },
  lifepos: { enabled: true, baseUrl: 'https://api.life-pos.ru', orgGuid: 'org', clientId: 'c', token: { stored: true } },
  lifepay: { enabled: false, baseUrl: 'https://api.life-pay.ru', login: '', apiKey: { stored: false } },
  regos: { enabled: false, url: 'https://regos.example', login: '', password: { stored: false }, vatValueMode: 'ratePercentTimes100', allowPlainHttpOnStoreNetwork: false },
  retryScheduleMinutes: [1, 3, 5, 10, 60],
  kiosk: 'on',
  autostart: 'off',
  devTools: true,
  language: 'uz',
  timeZone: 'Asia/Tashkent',
  till: 'fiscalPrinter',
  supportContact: '',
  markingCodesFromSale: true,
  allowPlaintextSecrets: false,
  secretStorage: 'os',
};

describe('settings form', () => {
  it('keeps the language, time zone and till kind through a save (issue 15)', () => {
    const r = draftToInput(draftFromView(view));
    expect(r.ok && [r.input.language, r.input.timeZone, r.input.till]).toEqual(['uz', 'Asia/Tashkent', 'fiscalPrinter']);
    const bad = draftToInput({ ...draftFromView(view), view: { ...view, timeZone: 'Mars/Olympus' } });
    expect(bad.ok).toBe(false);
  });

  it('keeps the store\'s marked-goods rule through a save (issue 21): a form that dropped it would switch it off', () => {
    const r = draftToInput(draftFromView(view));
    expect(r.ok && r.input.markingCodesFromSale).toBe(true);
  });

  it('keeps the chosen fiscal protocol through a save (issue 18): a form that dropped it would fall back to Shtrih-M', () => {
    const r = draftToInput(draftFromView(view));
    expect(r.ok && r.input.fiscal.protocol).toBe('atol');
  });

  it('leaves stored secrets out unless a new one is typed', () => {
    const d = draftFromView(view);
    const r = draftToInput(d);
    expect(r.ok && r.input.lifepos.token).toBeUndefined();
    const typed = draftToInput({ ...d, secrets: { ...d.secrets, lifeposToken: 'new-token' } });
    expect(typed.ok && typed.input.lifepos.token).toBe('new-token');
  });

  it('reads the retry schedule and refuses nonsense with a Russian field name', () => {
    expect(parseRetrySchedule('1, 3;5 10')).toEqual([1, 3, 5, 10]);
    const bad = draftToInput({ ...draftFromView(view), retryText: '' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.join()).toMatch(/Интервалы повторов/);
  });

  it('sends the kiosk, start-on-login and DevTools settings as shown, not their defaults', () => {
    const r = draftToInput(draftFromView(view));
    expect(r.ok && { kiosk: r.input.kiosk, autostart: r.input.autostart, devTools: r.input.devTools }).toEqual({ kiosk: 'on', autostart: 'off', devTools: true });
  });

  it('says a field\'s problem in Uzbek in the Uzbek UI (issue 15)', () => {
    const bad = draftToInput({ ...draftFromView(view), retryText: '', view: { ...view, regos: { ...view.regos, url: 'ftp://x' } } }, translator('uz'));
    expect(!bad.ok && bad.problems).toEqual(['REGOS manzili: manzil notoʻgʻri (http:// yoki https:// kerak)', 'Qayta urinish oraliqlari: toʻldirilmagan']);
  });

  it('refuses a back-end address that is not http(s)', () => {
    const bad = draftToInput({ ...draftFromView(view), view: { ...view, regos: { ...view.regos, url: 'ftp://x' } } });
    expect(!bad.ok && bad.problems.join()).toMatch(/Адрес REGOS/);
  });
});
