import { z } from 'zod';
import { parseRequest } from '../backendError';
import { HttpClient, type FetchLike } from '../httpClient';
import { followPages } from './paging';
import {
  Deal, DealPage, DealStatusChange, NewReversalSession, ReceiptData, SESSION_TYPE, Session, SessionPage,
  type Selection,
} from './schemas';
import { newReversalToWire } from './wire';

export const LIFE_POS_HOSTS = {
  test: 'https://api-dev.life-pos.ru',
  production: 'https://api.life-pos.ru',
} as const;

export type LifePosClientType = 'Unknown' | 'App' | 'WebApp' | 'Service';

export interface LifePosClientOptions {
  /** Seed 000: https://api-dev.life-pos.ru (test) or https://api.life-pos.ru (production). */
  baseUrl: string;
  orgGuid: string;
  /** Bearer token obtained by signing in; never logged. */
  token: string;
  clientId: string;
  clientType: LifePosClientType;
  language: string;
  timeoutMs: number;
  fetch?: FetchLike;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface DealQuery {
  createdFrom?: string;
  createdTo?: string;
  pageToken?: string;
}

/** Typed client of the LIFE POS endpoints the refund saga needs (seed 000). */
export class LifePosClient {
  private readonly http: HttpClient;
  private readonly org: string;

  constructor(opts: LifePosClientOptions) {
    this.org = `/orgs/${encodeURIComponent(opts.orgGuid)}`;
    this.http = new HttpClient({
      backend: 'lifepos',
      baseUrl: opts.baseUrl,
      timeoutMs: opts.timeoutMs,
      fetch: opts.fetch,
      secrets: () => [opts.token],
      headers: () => ({
        Authorization: `Bearer ${opts.token}`,
        'X-LP-Client-Identifier': opts.clientId,
        'X-LP-Client-Type': opts.clientType,
        'Accept-Language': opts.language,
      }),
    });
  }

  getDeal(dealGuid: string, call: CallOptions = {}): Promise<Deal> {
    return this.http.request({ ...call, method: 'GET', path: this.deal(dealGuid), operation: 'getDeal', schema: Deal });
  }

  listDeals(query: DealQuery = {}, call: CallOptions = {}): Promise<DealPage> {
    return this.http.request({
      ...call,
      method: 'GET',
      path: `${this.org}/deals/sales`,
      operation: 'listDeals',
      schema: DealPage,
      query: { created_from: query.createdFrom, created_to: query.createdTo, page_token: query.pageToken },
    });
  }

  deals(query: Omit<DealQuery, 'pageToken'> = {}, call: CallOptions = {}): AsyncGenerator<Deal> {
    return followPages((pageToken) => this.listDeals({ ...query, pageToken }, call));
  }

  listSessions(dealGuid: string, opts: { selection?: Selection; pageToken?: string } = {}, call: CallOptions = {}): Promise<SessionPage> {
    return this.http.request({
      ...call,
      method: 'GET',
      path: `${this.deal(dealGuid)}/sessions`,
      operation: 'listSessions',
      schema: SessionPage,
      query: { selection: opts.selection, page_token: opts.pageToken },
    });
  }

  /** Every session of the deal, page after page (20 per page) until `next_page_token` is empty. */
  sessions(dealGuid: string, opts: { selection?: Selection } = {}, call: CallOptions = {}): AsyncGenerator<Session> {
    return followPages((pageToken) => this.listSessions(dealGuid, { ...opts, pageToken }, call));
  }

  /**
   * Our reversal session by its `external_id`, archived ones included (a session we created and then
   * archived still exists). Seed 000 never says LIFE POS refuses a repeated external_id, so this lookup,
   * not a server refusal, is what keeps a retried create from making a second session.
   */
  async findReversalByExternalId(dealGuid: string, externalId: string, call: CallOptions = {}): Promise<Session | undefined> {
    for await (const s of this.sessions(dealGuid, { selection: 'all' }, call)) {
      if (s.type_of === SESSION_TYPE.reversal && s.external_id === externalId) return s;
    }
    return undefined;
  }

  async createReversalSession(dealGuid: string, body: NewReversalSession, call: CallOptions = {}): Promise<Session> {
    const valid = parseRequest('lifepos', 'createReversalSession', NewReversalSession, body);
    return this.http.request({
      ...call,
      method: 'POST',
      path: `${this.deal(dealGuid)}/sessions/reversal`,
      operation: 'createReversalSession',
      schema: Session,
      body: newReversalToWire(valid),
    });
  }

  /**
   * Create-once: the retry after an unknown outcome first looks for the session carrying our
   * `external_id`, and creates only when none exists.
   */
  async ensureReversalSession(dealGuid: string, body: NewReversalSession, call: CallOptions = {}): Promise<{ session: Session; created: boolean }> {
    const existing = await this.findReversalByExternalId(dealGuid, body.external_id, call);
    if (existing) return { session: existing, created: false };
    return { session: await this.createReversalSession(dealGuid, body, call), created: true };
  }

  getReversalSession(dealGuid: string, sessionGuid: string, call: CallOptions = {}): Promise<Session> {
    return this.http.request({
      ...call, method: 'GET', path: this.reversal(dealGuid, sessionGuid), operation: 'getReversalSession', schema: Session,
    });
  }

  /** Seed 000: once the refund is fiscalized, add the receipt's data to the session with PATCH. */
  async patchReversalSession(dealGuid: string, sessionGuid: string, receipt: ReceiptData, call: CallOptions = {}): Promise<Session> {
    return this.http.request({
      ...call,
      method: 'PATCH',
      path: this.reversal(dealGuid, sessionGuid),
      operation: 'patchReversalSession',
      schema: Session,
      body: [{ op: 'replace', path: '/receipt', value: parseRequest('lifepos', 'patchReversalSession', ReceiptData, receipt) }],
      // Replacing the receipt with the same data twice leaves the same session.
      idempotent: true,
    });
  }

  /**
   * Seed 000: sessions are never deleted; DEL moves one to the archive. The seed does not say what DEL
   * answers: the archived session (as the emulator does) or nothing (204, then undefined).
   */
  archiveReversalSession(dealGuid: string, sessionGuid: string, call: CallOptions = {}): Promise<Session | undefined> {
    return this.http.request({
      ...call, method: 'DELETE', path: this.reversal(dealGuid, sessionGuid), operation: 'archiveReversalSession',
      schema: z.union([z.undefined(), Session]), idempotent: true,
    });
  }

  unarchiveReversalSession(dealGuid: string, sessionGuid: string, call: CallOptions = {}): Promise<Session> {
    return this.http.request({
      ...call, method: 'POST', path: `${this.reversal(dealGuid, sessionGuid)}:unarchive`, operation: 'unarchiveReversalSession',
      schema: Session, idempotent: true,
    });
  }

  /** After a refund: payment_status Refunded or PartiallyRefunded (BACKENDS.md). */
  async changeDealStatus(dealGuid: string, change: DealStatusChange, call: CallOptions = {}): Promise<void> {
    const valid = parseRequest('lifepos', 'changeDealStatus', DealStatusChange, change);
    const ops = Object.entries(valid)
      .filter(([, v]) => v !== undefined)
      .map(([field, value]) => ({ op: 'replace' as const, path: `/${field}`, value }));
    if (ops.length === 0) throw new RangeError('changeDealStatus needs at least one of state, payment_status, shipping_status');
    await this.http.request({
      ...call,
      method: 'PATCH',
      path: this.deal(dealGuid),
      operation: 'changeDealStatus',
      schema: z.union([z.undefined(), Deal]),
      body: ops,
      idempotent: true,
    });
  }

  /** Connectivity probe: one small authenticated read that changes nothing. */
  async probe(signal: AbortSignal, timeoutMs: number): Promise<void> {
    const now = new Date().toISOString();
    await this.http.request({
      method: 'GET', path: `${this.org}/deals/sales`, operation: 'probe', schema: DealPage,
      query: { created_from: now, created_to: now }, signal, timeoutMs,
    });
  }

  private deal(dealGuid: string): string {
    return `${this.org}/deals/sales/${encodeURIComponent(dealGuid)}`;
  }

  private reversal(dealGuid: string, sessionGuid: string): string {
    return `${this.deal(dealGuid)}/sessions/reversal/${encodeURIComponent(sessionGuid)}`;
  }
}
