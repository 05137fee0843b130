import { AppError } from './appError';
import type { Logger } from './log/logger';
import type { SettingsStore } from './settings/settingsStore';
import { LifePosClient } from './backends/lifepos/lifePosClient';
import { LifePayClient } from './backends/lifepay/lifePayClient';
import { RegosClient } from './backends/regos/regosClient';
import { lifePaySource, lifePosSource, type SaleSource } from './refunds/saleSources';
import type { TrainingEnvironment } from './training/trainingEnvironment';

/**
 * The back-end clients in force: the training emulators, or what the settings name (with their keys
 * from the secret store). Rebuilt when settings are saved; everyone reads them through these getters,
 * so a changed URL or key takes effect on the next request.
 */
const TIMEOUT_MS = 10_000;

export class BackendClients {
  private lifepos: LifePosClient | null = null;
  private lifepay: LifePayClient | null = null;
  private regosClient: RegosClient | null = null;
  private sources: SaleSource[] = [];

  constructor(private readonly settings: SettingsStore, private readonly env: TrainingEnvironment | null, private readonly log: Logger) {
    this.rebuild();
  }

  rebuild(): void {
    const s = this.settings.current();
    const e = this.env?.backends;
    const common = { clientType: 'App' as const, language: 'ru-RU', timeoutMs: TIMEOUT_MS };
    this.lifepos = e
      ? new LifePosClient({ ...common, baseUrl: e.lifepos.url, orgGuid: e.lifepos.orgGuid, token: e.lifepos.token, clientId: 'training-till' })
      : s.lifepos.enabled
        ? new LifePosClient({ ...common, baseUrl: s.lifepos.baseUrl, orgGuid: s.lifepos.orgGuid, token: this.settings.secret('lifepos.token') ?? '', clientId: s.lifepos.clientId })
        : null;
    this.lifepay = e
      ? new LifePayClient({ baseUrl: e.lifepay.url, login: e.lifepay.login, apiKey: e.lifepay.apiKey, timeoutMs: TIMEOUT_MS })
      : s.lifepay.enabled
        ? new LifePayClient({ baseUrl: s.lifepay.baseUrl, login: s.lifepay.login, apiKey: this.settings.secret('lifepay.apiKey') ?? '', timeoutMs: TIMEOUT_MS })
        : null;
    this.regosClient = e
      ? new RegosClient({ baseUrl: e.regos.url, login: e.regos.login, password: e.regos.password, timeoutMs: TIMEOUT_MS })
      : s.regos.enabled
        ? new RegosClient({ baseUrl: s.regos.url, login: s.regos.login, password: this.settings.secret('regos.password') ?? '', timeoutMs: TIMEOUT_MS })
        : null;
    const lifepos = this.lifepos;
    const lifepay = this.lifepay;
    this.sources = [
      ...(lifepos ? [lifePosSource(() => lifepos)] : []),
      ...(lifepay ? [lifePaySource(() => lifepay)] : []),
    ];
    this.log.info('back-end clients ready', { training: e !== undefined, lifepos: lifepos !== null, lifepay: lifepay !== null, regos: this.regosClient !== null });
  }

  saleSources(): readonly SaleSource[] {
    return this.sources;
  }

  regos(): RegosClient | null {
    return this.regosClient;
  }

  requireLifePos(): LifePosClient {
    return this.lifepos ?? notConfigured('LIFE POS');
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
