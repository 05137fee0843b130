import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../http/emulatorServer';
import type { FaultControls } from '../http/faults';
import { loadState, saveState } from '../http/statePersistence';
import { toDecimal } from '../http/units';
import {
  Deal, DealStatusFields, NewReversal, PatchBody, ReceiptRecord, Selection, Session, patchFields,
  type DealPosition, type SessionPosition,
} from './schemas';
import { demoLifePosSeed, type LifePosSeed } from './seed';

/** Seed 000: "Данные выводятся постранично, по 20 записей на страницу". */
export const LIFE_POS_PAGE_SIZE = 20;
export const LIFE_POS_DEMO_ORG = '0a7e1c00-0000-4000-8000-00000000a11e';
export const LIFE_POS_DEMO_TOKEN = 'demo-lifepos-token';

export interface LifePosEmulatorOptions {
  port?: number;
  seed?: LifePosSeed;
  orgGuid?: string;
  token?: string;
  /**
   * Strict variant: refuse a second reversal session with an `external_id` already used in the deal
   * (422, a status BACKENDS.md lists). Off by default: seed 000 never says LIFE POS checks it, so a
   * client must find its session by external_id before creating again rather than count on a refusal.
   */
  uniqueExternalId?: boolean;
  /** JSON file to keep state across restarts (chaos tests); loaded if it exists, written after every request. */
  statePath?: string;
}

export interface LifePosEmulator {
  url: string;
  controlUrl: string;
  orgGuid: string;
  token: string;
  faults: FaultControls;
  state: LifePosState;
  requests: EmulatorServer['requests'];
  close(): Promise<void>;
}

const PersistedState = z.object({ deals: z.array(Deal), sessions: z.record(z.string(), z.array(Session)) });

const msg = (status: number, message: string): EmulatorResponse => ({ status, body: { message } });

/** The stateful part, usable without HTTP. Quantities in thousandths, money in kopecks. */
export class LifePosState {
  readonly deals = new Map<string, Deal>();
  readonly sessions = new Map<string, Session[]>();

  constructor(seed: LifePosSeed) {
    for (const d of seed.deals) this.deals.set(d.guid, structuredClone(d));
    for (const [dealGuid, list] of Object.entries(seed.sessions)) this.sessions.set(dealGuid, structuredClone(list));
  }

  sessionsOf(dealGuid: string): Session[] {
    let list = this.sessions.get(dealGuid);
    if (!list) {
      list = [];
      this.sessions.set(dealGuid, list);
    }
    return list;
  }

  /**
   * What the deal's reversal sessions returned, by deal position and by primary payment part. Every
   * reversal session counts, archived or not: the emulator is the witness of what was sent, and a test
   * decides what an archived one means.
   */
  refunded(dealGuid: string): { byPosition: Map<string, { qty: number; sum: number }>; byPart: Map<string, number> } {
    const byPosition = new Map<string, { qty: number; sum: number }>();
    const byPart = new Map<string, number>();
    for (const s of this.sessionsOf(dealGuid)) {
      if (s.type_of !== 'Reversal') continue;
      for (const p of s.positions) {
        const cur = byPosition.get(p.position_guid) ?? { qty: 0, sum: 0 };
        byPosition.set(p.position_guid, { qty: cur.qty + p.quantity, sum: cur.sum + p.total_sum.value });
      }
      for (const part of s.payment_parts) {
        const ref = part.primary_payment_part?.guid;
        if (ref) byPart.set(ref, (byPart.get(ref) ?? 0) + part.amount.value);
      }
    }
    return { byPosition, byPart };
  }

  toJSON(): z.infer<typeof PersistedState> {
    return { deals: [...this.deals.values()], sessions: Object.fromEntries(this.sessions) };
  }
}

/** LIFE POS sends quantities as decimal numbers (1.254 kg): the emulator's thousandths go out that way. */
function positionOut<P extends DealPosition | SessionPosition>(p: P): Omit<P, 'quantity'> & { quantity: number } {
  return { ...p, quantity: toDecimal(p.quantity, 1000) };
}
const dealOut = (d: Deal) => ({ ...d, positions: d.positions.map(positionOut) });
const sessionOut = (s: Session) => ({ ...s, positions: s.positions.map(positionOut) });

/** Opaque page tokens: the offset and the query they belong to, so a token from another list is refused. */
function pageToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64url');
}

function readPageToken(token: string | null, scope: string): number | undefined {
  if (token === null || token === '') return 0;
  try {
    const parsed = z.object({ o: z.number().int().nonnegative(), s: z.string() }).parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.s === scope ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seed 000's page envelope: "next_page_token", "page_number", "pages_total", "items_per_page",
 * "items_total"; the items themselves under `items` (BACKENDS.md: "items[] + next_page_token out").
 * The last page's token is empty: "Продолжайте до тех пор, пока параметр next_page_token не придёт пустым".
 */
function page<T>(all: T[], offset: number, scope: string, out: (t: T) => unknown): EmulatorResponse {
  const items = all.slice(offset, offset + LIFE_POS_PAGE_SIZE);
  const next = offset + LIFE_POS_PAGE_SIZE < all.length ? pageToken(offset + LIFE_POS_PAGE_SIZE, scope) : '';
  return {
    status: 200,
    body: {
      next_page_token: next,
      page_number: Math.floor(offset / LIFE_POS_PAGE_SIZE) + 1,
      pages_total: Math.ceil(all.length / LIFE_POS_PAGE_SIZE),
      items_per_page: LIFE_POS_PAGE_SIZE,
      items_total: all.length,
      items: items.map(out),
    },
  };
}

const issuesOf = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(тело)'}: ${i.message}`).join('; ');

export async function startLifePosEmulator(opts: LifePosEmulatorOptions = {}): Promise<LifePosEmulator> {
  const orgGuid = opts.orgGuid ?? LIFE_POS_DEMO_ORG;
  const token = opts.token ?? LIFE_POS_DEMO_TOKEN;
  const persisted = loadState(opts.statePath, PersistedState);
  const state = new LifePosState(persisted ?? opts.seed ?? demoLifePosSeed());
  // Seed 000: {base_url}/orgs/{org_guid}/deals/sales/{deal_guid}/sessions…
  const orgPrefix = `/orgs/${orgGuid}/deals/sales`;

  function handle(req: EmulatorRequest): EmulatorResponse {
    // BACKENDS.md: "a Bearer token"; 401 and 403 are among its documented statuses.
    if (!req.headers.authorization?.startsWith('Bearer ')) return msg(401, 'Требуется авторизация (Bearer)');
    if (req.headers.authorization !== `Bearer ${token}`) return msg(403, 'Токен не принят');
    // BACKENDS.md: "Required headers: X-LP-Client-Identifier, X-LP-Client-Type (Unknown|App|WebApp|Service), Accept-Language".
    const clientType = req.headers['x-lp-client-type'];
    if (!req.headers['x-lp-client-identifier'] || !['Unknown', 'App', 'WebApp', 'Service'].includes(String(clientType)) || !req.headers['accept-language']) {
      return msg(422, 'Нужны заголовки X-LP-Client-Identifier, X-LP-Client-Type (Unknown|App|WebApp|Service) и Accept-Language');
    }
    if (!req.path.startsWith(orgPrefix)) return msg(404, 'Организация не найдена');
    if (!req.bodyIsJson) return msg(422, 'Тело запроса не является JSON');
    const rest = req.path.slice(orgPrefix.length);
    // BACKENDS.md: "Lists: page_token in, items[] + next_page_token out; … created_from/to".
    if (rest === '' && req.method === 'GET') return listDeals(req);
    const m = /^\/([^/]+)(\/sessions(?:\/reversal(?:\/([^/:]+)(:unarchive)?)?)?)?$/.exec(rest);
    if (!m) return msg(404, 'Ресурс не найден');
    const deal = state.deals.get(decodeURIComponent(m[1] ?? ''));
    if (!deal) return msg(404, 'Сделка не найдена');
    const sessionsPart = m[2];
    const sessionGuid = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
    if (sessionsPart === undefined) {
      if (req.method === 'GET') return { status: 200, body: dealOut(deal) };
      // Seed 000: "Когда возврат будет оформлен, поменяйте статус сделки".
      if (req.method === 'PATCH') return patchDeal(deal, req.body);
      return msg(404, 'Метод не поддерживается');
    }
    // Seed 000: GET {base_url}/orgs/{org_guid}/deals/sales/{deal_guid}/sessions.
    if (sessionsPart === '/sessions') return req.method === 'GET' ? listSessions(deal, req) : msg(404, 'Метод не поддерживается');
    // Seed 000: POST …/sessions/reversal.
    if (sessionGuid === undefined) return req.method === 'POST' ? createReversal(deal, req.body) : msg(404, 'Метод не поддерживается');
    const session = state.sessionsOf(deal.guid).find((s) => s.guid === sessionGuid && s.type_of === 'Reversal');
    if (!session) return msg(404, 'Обратная сессия не найдена');
    // Seed 000: POST …/reversal/{session_guid}:unarchive restores an archived session.
    if (m[4] === ':unarchive') {
      if (req.method !== 'POST') return msg(404, 'Метод не поддерживается');
      session.archived = false;
      return { status: 200, body: sessionOut(session) };
    }
    // Seed 000: GET, PATCH and DEL on …/sessions/reversal/{session_guid}.
    if (req.method === 'GET') return { status: 200, body: sessionOut(session) };
    if (req.method === 'PATCH') return patchSession(session, req.body);
    if (req.method === 'DELETE') {
      // Seed 000: "Сессию нельзя удалить навсегда, но можно перенести в архив".
      session.archived = true;
      return { status: 200, body: sessionOut(session) };
    }
    return msg(404, 'Метод не поддерживается');
  }

  function listDeals(req: EmulatorRequest): EmulatorResponse {
    const from = req.query.get('created_from');
    const to = req.query.get('created_to');
    const scope = `deals|${from ?? ''}|${to ?? ''}`;
    const offset = readPageToken(req.query.get('page_token'), scope);
    if (offset === undefined) return msg(422, 'Неверный page_token');
    const list = [...state.deals.values()]
      .filter((d) => (from === null || Date.parse(d.created_at) >= Date.parse(from)) && (to === null || Date.parse(d.created_at) <= Date.parse(to)))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
    return page(list, offset, scope, dealOut);
  }

  function listSessions(deal: Deal, req: EmulatorRequest): EmulatorResponse {
    // Seed 000: "Если параметр не передан, по умолчанию используется значение alive_only".
    const selection = Selection.safeParse(req.query.get('selection') ?? 'alive_only');
    if (!selection.success) return msg(422, 'selection: alive_only, all или archived_only');
    const scope = `sessions|${deal.guid}|${selection.data}`;
    const offset = readPageToken(req.query.get('page_token'), scope);
    if (offset === undefined) return msg(422, 'Неверный page_token');
    const list = state.sessionsOf(deal.guid).filter((s) =>
      selection.data === 'all' || (selection.data === 'archived_only' ? s.archived : !s.archived));
    return page(list, offset, scope, sessionOut);
  }

  function createReversal(deal: Deal, raw: unknown): EmulatorResponse {
    const parsed = NewReversal.safeParse(raw);
    if (!parsed.success) return msg(422, `Неверное тело запроса: ${issuesOf(parsed.error)}`);
    const body = parsed.data;
    const sessions = state.sessionsOf(deal.guid);
    const externalId = body.external_id ?? null;
    if (opts.uniqueExternalId === true && externalId !== null && sessions.some((s) => s.external_id === externalId)) {
      return msg(422, `Сессия с external_id ${externalId} уже существует`);
    }
    // Seed 000: "Возврат должен ссылаться на прямую сессию оплаты, а каждая часть платежа — на соответствующую
    // часть платежа в этой прямой сессии … Передайте в них guid и type_of".
    for (const part of body.payment_parts) {
      const sale = sessions.find((s) => s.guid === part.primary_sale_session.guid);
      if (!sale || sale.type_of !== part.primary_sale_session.type_of) return msg(422, `Прямая сессия ${part.primary_sale_session.guid} (${part.primary_sale_session.type_of}) не найдена`);
      const primary = sale.payment_parts.find((x) => x.guid === part.primary_payment_part.guid);
      if (!primary || primary.type_of !== part.primary_payment_part.type_of) {
        return msg(422, `Часть платежа ${part.primary_payment_part.guid} (${part.primary_payment_part.type_of}) не найдена в сессии ${sale.guid}`);
      }
      // A part in another currency cannot be "соответствующая часть платежа" of the one it points at.
      if (part.amount.currency !== primary.amount.currency) return msg(422, `Валюта части ${part.amount.currency} не совпадает с оплатой (${primary.amount.currency})`);
    }
    const positions: SessionPosition[] = (body.positions ?? []).map((p) => ({ position_guid: p.position_guid, quantity: p.quantity, total_sum: p.total_sum }));
    const first = body.payment_parts[0]?.amount.currency ?? 'RUB';
    const session: Session = {
      guid: randomUUID(), type_of: 'Reversal', created_at: new Date().toISOString(), archived: false,
      external_id: externalId,
      total_sum: { value: body.payment_parts.reduce((s, p) => s + p.amount.value, 0), currency: first },
      positions,
      receipt: null,
      payment_parts: body.payment_parts.map((p) => ({
        guid: randomUUID(), type_of: p.type_of, amount: p.amount, status: 'Accepted',
        primary_payment_part: p.primary_payment_part, primary_sale_session: p.primary_sale_session,
        transactions: (p.transactions ?? []).map((t) => ({ ...t, guid: randomUUID() })),
      })),
    };
    sessions.push(session);
    // BACKENDS.md lists 200 among the documented statuses (201 is not).
    return { status: 200, body: sessionOut(session) };
  }

  function patchSession(session: Session, raw: unknown): EmulatorResponse {
    const body = PatchBody.safeParse(raw);
    if (!body.success) return msg(422, 'Ожидаются JSON Patch операции replace или объект с полями');
    const fields = patchFields(body.data);
    // Seed 000: "добавьте данные чека в описание сессии": the receipt data is what a PATCH may change.
    const unknown = Object.keys(fields).filter((k) => k !== 'receipt');
    if (unknown.length > 0) return msg(422, `Поля ${unknown.join(', ')} нельзя изменить`);
    const receipt = ReceiptRecord.safeParse(fields.receipt);
    if (!receipt.success) return msg(422, 'Данные чека должны быть объектом');
    session.receipt = receipt.data;
    return { status: 200, body: sessionOut(session) };
  }

  function patchDeal(deal: Deal, raw: unknown): EmulatorResponse {
    const body = PatchBody.safeParse(raw);
    if (!body.success) return msg(422, 'Ожидаются JSON Patch операции replace или объект с полями');
    const change = DealStatusFields.safeParse(patchFields(body.data));
    if (!change.success) return msg(422, `Статус сделки: ${issuesOf(change.error)}`);
    for (const [k, v] of Object.entries(change.data)) if (v !== undefined) Object.assign(deal, { [k]: v });
    return { status: 200, body: dealOut(deal) };
  }

  const server = await startEmulatorServer({
    handle,
    afterHandle: () => saveState(opts.statePath, state.toJSON()),
    snapshot: () => state.toJSON(),
  }, { port: opts.port });
  return { ...server, orgGuid, token, state };
}
