import { AppError } from './appError';
import type { Logger } from './log/logger';
import type { SettingsStore } from './settings/settingsStore';
import { LifePosClient } from './backends/lifepos/lifePosClient';
import { LifePayClient } from './backends/lifepay/lifePayClient';
import { RegosClient } from './backends/regos/regosClient';
import { lifePaySource, lifePosSource, type SaleSource } from './refunds/saleSources';
import { regosSaleSource } from './refunds/search/regosSaleSource';
import { tillTimeZone } from './settings/tillTimeZone';

/**
 * The back-end clients in force: the training emulators, or what the settings name (with their keys
 * from the secret store). Rebuilt when settings are saved; everyone reads them through these getters,
 * so a changed URL or key takes effect on the next request.
 */
const TIMEOUT_MS = 10_000;

/**
 * Back ends at fixed addresses instead of the settings: training mode's emulators, or the emulators a
 * test or the bench starts. A back end left out is not configured.
 */
export interface FixedBackends {
  lifepos?: { url: string; orgGuid: string; token: string };
  lifepay?: { url: string; login: string; apiKey: string };
  regos?: { url: string; login: string; password: string };
  timeoutMs?: number;
}

export class BackendClients {
  private lifepos: LifePosClient | null = null;
  private lifepay: LifePayClient | null = null;
  private regosClient: RegosClient | null = null;
  private sources: SaleSource[] = [];

  constructor(private readonly settings: SettingsStore, private readonly fixed: FixedBackends | null, private readonly log: Logger) {
    this.rebuild();
  }

  rebuild(): void {
    const s = this.settings.current();
    const e = this.fixed;
    const timeoutMs = e?.timeoutMs ?? TIMEOUT_MS;
    const common = { clientType: 'App' as const, language: 'ru-RU', timeoutMs };
    this.lifepos = e
      ? e.lifepos ? new LifePosClient({ ...common, baseUrl: e.lifepos.url, orgGuid: e.lifepos.orgGuid, token: e.lifepos.token, clientId: 'training-till' }) : null
      : s.lifepos.enabled
        ? new LifePosClient({ ...common, baseUrl: s.lifepos.baseUrl, orgGuid: s.lifepos.orgGuid, token: this.settings.secret('lifepos.token') ?? '', clientId: s.lifepos.clientId })
        : null;
    this.lifepay = e
      ? e.lifepay ? new LifePayClient({ baseUrl: e.lifepay.url, login: e.lifepay.login, apiKey: e.lifepay.apiKey, timeoutMs }) : null
      : s.lifepay.enabled
        ? new LifePayClient({ baseUrl: s.lifepay.baseUrl, login: s.lifepay.login, apiKey: this.settings.secret('lifepay.apiKey') ?? '', timeoutMs: TIMEOUT_MS })
        : null;
    this.regosClient = e
      ? e.regos ? new RegosClient({ baseUrl: e.regos.url, login: e.regos.login, password: e.regos.password, timeoutMs }) : null
      : s.regos.enabled
        ? new RegosClient({ baseUrl: s.regos.url, login: s.regos.login, password: this.settings.secret('regos.password') ?? '', timeoutMs: TIMEOUT_MS })
        : null;
    const lifepos = this.lifepos;
    const lifepay = this.lifepay;
    const regos = this.regosClient;
    // A REGOS-only till (issue 15) refunds through VCR only: it looks for no sale anywhere else.
    const regosOnly = s.till === 'regosOnly';
    this.sources = [
      ...(lifepos && !regosOnly ? [lifePosSource(() => lifepos)] : []),
      ...(lifepay && !regosOnly ? [lifePaySource(() => lifepay)] : []),
      // Issue 13: REGOS sales are looked up in VCR itself, in a real store as in training.
      ...(regos ? [regosSaleSource(() => regos, () => tillTimeZone(this.settings.current().timeZone))] : []),
    ];
    this.log.info('back-end clients ready', { fixed: e !== null, lifepos: lifepos !== null, lifepay: lifepay !== null, regos: this.regosClient !== null });
  }

  saleSources(): readonly SaleSource[] {
    return this.sources;
  }

  regos(): RegosClient | null {
    return this.regosClient;
  }

  lifePos(): LifePosClient | null {
    return this.lifepos;
  }

  requireLifePos(): LifePosClient {
    return this.lifepos ?? notConfigured('LIFE POS');
  }

  lifePay(): LifePayClient | null {
    return this.lifepay;
  }

  requireLifePay(): LifePayClient {
    return this.lifepay ?? notConfigured('LIFE PAY');
  }

  requireRegos(): RegosClient {
    return this.regosClient ?? notConfigured('REGOS VCR');
  }
}

function notConfigured(name: string): never {
  throw new AppError({ code: 'backend.not_configured', message: `${name} не подключён в настройках`, retry: 'transient' });
}
