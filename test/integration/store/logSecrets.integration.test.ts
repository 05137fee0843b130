import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { useTrainingServices } from '../../support/trainingServices';
import type { SettingsInput } from '../../../preload/contract';
import { LIFE_POS_DEMO_TOKEN } from '../../../emulators/lifepos/server';
import { LIFE_PAY_DEMO_API_KEY } from '../../../emulators/lifepay/server';
import { REGOS_DEMO_PASSWORD } from '../../../emulators/regos/server';

/**
 * Issue 8: after a full refund, the log tells the refund's story by its id, and no key, token or
 * password (ours in the settings, or the back ends' own) is in any log file.
 */
const app = useTrainingServices('log-secrets-');

const SECRETS = { token: 'lp-token-Zq8vX2mK9', apiKey: 'lifepay-key-Hh71Qw0e', password: 'vcr-pass-77Tt5yU' };

describe('logs after a full refund', () => {
  it('carry the refund id on every step and no secret anywhere', async () => {
    const services = await app.start();
    const h = services.handlers;
    const view = await h['settings.get']({});
    const input: SettingsInput = {
      trainingMode: true, currency: view.currency, cashierName: 'Иванова А.', retryScheduleMinutes: view.retryScheduleMinutes,
      fiscal: { port: view.fiscal.port, baudRate: view.fiscal.baudRate, vatGroups: view.fiscal.vatGroups, protocol: view.fiscal.protocol, operatorPassword: '30' },
      lifepos: { enabled: true, baseUrl: view.lifepos.baseUrl, orgGuid: 'org-1', clientId: 'till-1', token: SECRETS.token },
      lifepay: { enabled: true, baseUrl: view.lifepay.baseUrl, login: '+79990000000', apiKey: SECRETS.apiKey },
      regos: { enabled: true, url: view.regos.url, login: 'kassa', password: SECRETS.password, vatValueMode: 'ratePercentTimes100', allowPlainHttpOnStoreNetwork: false },
      kiosk: view.kiosk, autostart: view.autostart, devTools: view.devTools,
      language: view.language, timeZone: view.timeZone, till: view.till, supportContact: view.supportContact, markingCodesFromSale: view.markingCodesFromSale,
      allowPlaintextSecrets: true,
    };
    const saved = await h['settings.save'](input);
    expect(saved.lifepos.token).toEqual({ stored: true });

    const sale = await h['sales.find']({ query: 'А-1003' });
    const card = sale.payments.find((p) => p.kind === 'card');
    expect(card).toBeDefined();
    const refundId = randomUUID();
    const synced = new Promise<void>((resolve) => {
      const off = services.bus.onAny((name, payload) => {
        if (name === 'refund.progress' && (payload as { refundId: string; state: string }).refundId === refundId && (payload as { state: string }).state === 'synced') {
          off();
          resolve();
        }
      });
    });
    const refund = await h['refunds.confirm']({
      refundId, sale: sale.ref, cardRrns: { [card!.paymentPartId]: '123456789012' },
      lines: sale.lines.map((l) => ({ lineId: l.lineId, quantityMilli: l.refundableMilli })),
    });
    expect(['fiscalized', 'synced']).toContain(refund.state);
    await synced;
    await app.stop();

    const logs = readdirSync(join(app.dataDir(), 'logs')).map((f) => readFileSync(join(app.dataDir(), 'logs', f), 'utf8')).join('\n');
    // The training back ends were really called with their own keys: those must not leak either.
    for (const secret of [...Object.values(SECRETS), LIFE_POS_DEMO_TOKEN, LIFE_PAY_DEMO_API_KEY, REGOS_DEMO_PASSWORD]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
    const steps = logs.split('\n').filter((line) => line.includes(refundId));
    const messages = steps.map((line) => line.replace(/^\[[^\]]*\]\s*\[[a-z]+\]\s*/, ''));
    expect(messages.some((m) => m.startsWith('refund confirmed'))).toBe(true);
    expect(messages.some((m) => m.startsWith('printing refund receipt'))).toBe(true);
    expect(messages.some((m) => m.startsWith('refund fiscalized'))).toBe(true);
    expect(messages.some((m) => m.startsWith('refund synced'))).toBe(true);
  });
});
