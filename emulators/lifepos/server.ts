import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  Deal, DealStatusChange, JsonPatch, NewReversalSessionWire, ReceiptData, SESSION_TYPE, Selection, Session,
  type NewReversalSession,
} from '../../main/backends/lifepos/schemas';
import { dealToWire, sessionToWire } from '../../main/backends/lifepos/wire';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../http/emulatorServer';
import type { FaultControls } from '../http/faults';
import { loadState, saveState } from '../http/statePersistence';
import { demoLifePosSeed, rub, type LifePosSeed } from './seed';

/** Seed 000: "Данные выводятся постранично, по 20 записей на страницу". */
export const LIFE_POS_PAGE_SIZE = 20;
export const LIFE_POS_DEMO_ORG = '0a7e1c00-0000-4000-8000-00000000a11e';
export const LIFE_POS_DEMO_TOKEN = 'demo-lifepos-token';

export interface LifePosEmulatorOptions {
  port?: number;
  seed?: LifePosSeed;
  orgGuid?: string;
  token?: string;
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

/** The stateful part, usable without HTTP. */
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
   * Quantity (thousandths) and amounts (kopecks) already refunded. An archived reversal session still
   * counts when it carries a fiscal receipt: the money did go back (same rule as main/refunds).
   */
  refunded(dealGuid: string, excludeGuid?: string): { byPosition: Map<string, { qty: number; sum: number }>; byPart: Map<string, number> } {
    const byPosition = new Map<string, { qty: number; sum: number }>();
    const byPart = new Map<string, number>();
    for (const s of this.sessionsOf(dealGuid)) {
      if (s.type_of !== SESSION_TYPE.reversal || (s.archived && s.receipt == null) || s.guid === excludeGuid) continue;
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

  /** Why this reversal cannot be accepted, in the server's words; undefined when it can. */
  refusal(deal: Deal, body: NewReversalSession, excludeGuid?: string): string | undefined {
    const sessions = this.sessionsOf(deal.guid);
    const { byPosition, byPart } = this.refunded(deal.guid, excludeGuid);
    const soldAll = deal.positions.every((p) => (byPosition.get(p.guid)?.qty ?? 0) >= p.quantity);
    if (soldAll) return `Продажа ${deal.number} уже полностью возвращена`;
    const seen = new Set<string>();
    for (const p of body.positions) {
      const sold = deal.positions.find((x) => x.guid === p.position_guid);
      if (!sold) return `Позиция ${p.position_guid} не найдена в сделке`;
      if (seen.has(p.position_guid)) return `Позиция ${p.position_guid} указана дважды`;
      seen.add(p.position_guid);
      const done = byPosition.get(p.position_guid) ?? { qty: 0, sum: 0 };
      if (p.quantity > sold.quantity - done.qty) return `Позиция «${sold.name}»: к возврату ${p.quantity / 1000}, доступно ${(sold.quantity - done.qty) / 1000}`;
      if (p.total_sum.value > sold.total_sum.value - done.sum) return `Позиция «${sold.name}»: сумма возврата больше остатка`;
    }
    for (const part of body.payment_parts) {
      const sale = sessions.find((s) => s.guid === part.primary_sale_session.guid && s.type_of === part.primary_sale_session.type_of);
      if (!sale || sale.type_of !== SESSION_TYPE.sale) return `Сессия продажи ${part.primary_sale_session.guid} не найдена`;
      const primary = sale.payment_parts.find((x) => x.guid === part.primary_payment_part.guid);
      if (!primary || primary.type_of !== part.primary_payment_part.type_of) return `Часть оплаты ${part.primary_payment_part.guid} (${part.primary_payment_part.type_of}) не найдена`;
      if (part.type_of !== primary.type_of) return `Тип части возврата ${part.type_of} не совпадает с оплатой ${primary.type_of}`;
      const left = primary.amount.value - (byPart.get(primary.guid) ?? 0);
      if (part.amount.value > left) return `Часть оплаты ${primary.type_of}: к возврату ${part.amount.value} коп., доступно ${left} коп.`;
    }
    const positionsSum = body.positions.reduce((s, p) => s + p.total_sum.value, 0);
    const partsSum = body.payment_parts.reduce((s, p) => s + p.amount.value, 0);
    if (positionsSum !== partsSum) return `Сумма частей оплаты ${partsSum} коп. не равна сумме позиций ${positionsSum} коп.`;
    return undefined;
  }

  toJSON(): z.input<typeof PersistedState> {
    return {
      deals: [...this.deals.values()].map(dealToWire),
      sessions: Object.fromEntries([...this.sessions].map(([k, v]) => [k, v.map(sessionToWire)])),
    };
  }
}

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

function page<T>(all: T[], offset: number, scope: string, toWire: (t: T) => unknown): EmulatorResponse {
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
      items: items.map(toWire),
    },
  };
}

export async function startLifePosEmulator(opts: LifePosEmulatorOptions = {}): Promise<LifePosEmulator> {
  const orgGuid = opts.orgGuid ?? LIFE_POS_DEMO_ORG;
  const token = opts.token ?? LIFE_POS_DEMO_TOKEN;
  const persisted = loadState(opts.statePath, PersistedState);
  const state = new LifePosState(persisted ?? opts.seed ?? demoLifePosSeed());
  const orgPrefix = `/orgs/${orgGuid}/deals/sales`;

  function handle(req: EmulatorRequest): EmulatorResponse {
    if (req.headers.authorization !== `Bearer ${token}`) return msg(401, 'Требуется авторизация');
    if (!req.headers['x-lp-client-identifier'] || !req.headers['x-lp-client-type']) {
      return msg(400, 'Не переданы заголовки X-LP-Client-Identifier и X-LP-Client-Type');
    }
    if (!req.path.startsWith(orgPrefix)) return msg(404, 'Организация не найдена');
    if (!req.bodyIsJson) return msg(400, 'Тело запроса не является JSON');
    const rest = req.path.slice(orgPrefix.length);
    if (rest === '' && req.method === 'GET') return listDeals(req);
    const m = /^\/([^/]+)(\/sessions(?:\/reversal(?:\/([^/:]+)(:unarchive)?)?)?)?$/.exec(rest);
    if (!m) return msg(404, 'Ресурс не найден');
    const dealGuid = decodeURIComponent(m[1] ?? '');
    const deal = state.deals.get(dealGuid);
    if (!deal) return msg(404, `Сделка ${dealGuid} не найдена`);
    const sessionsPart = m[2];
    const sessionGuid = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
    if (sessionsPart === undefined) {
      if (req.method === 'GET') return { status: 200, body: dealToWire(deal) };
      if (req.method === 'PATCH') return patchDeal(deal, req.body);
      return msg(405, 'Метод не поддерживается');
    }
    if (sessionsPart === '/sessions') return req.method === 'GET' ? listSessions(deal, req) : msg(405, 'Метод не поддерживается');
    if (sessionGuid === undefined) return req.method === 'POST' ? createReversal(deal, req.body) : msg(405, 'Метод не поддерживается');
    const session = state.sessionsOf(deal.guid).find((s) => s.guid === sessionGuid && s.type_of === SESSION_TYPE.reversal);
    if (!session) return msg(404, `Обратная сессия ${sessionGuid} не найдена`);
    if (m[4] === ':unarchive') return req.method === 'POST' ? unarchive(deal, session) : msg(405, 'Метод не поддерживается');
    if (req.method === 'GET') return { status: 200, body: sessionToWire(session) };
    if (req.method === 'PATCH') return patchSession(session, req.body);
    if (req.method === 'DELETE') {
      session.archived = true;
      return { status: 200, body: sessionToWire(session) };
    }
    return msg(405, 'Метод не поддерживается');
  }

  function listDeals(req: EmulatorRequest): EmulatorResponse {
    const from = req.query.get('created_from');
    const to = req.query.get('created_to');
    const scope = `deals|${from ?? ''}|${to ?? ''}`;
    const offset = readPageToken(req.query.get('page_token'), scope);
    if (offset === undefined) return msg(400, 'Неверный page_token');
    const list = [...state.deals.values()]
      .filter((d) => (from === null || Date.parse(d.created_at) >= Date.parse(from)) && (to === null || Date.parse(d.created_at) <= Date.parse(to)))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
    return page(list, offset, scope, dealToWire);
  }

  function listSessions(deal: Deal, req: EmulatorRequest): EmulatorResponse {
    const selection = Selection.safeParse(req.query.get('selection') ?? 'alive_only');
    if (!selection.success) return msg(400, 'Неверное значение selection');
    const scope = `sessions|${deal.guid}|${selection.data}`;
    const offset = readPageToken(req.query.get('page_token'), scope);
    if (offset === undefined) return msg(400, 'Неверный page_token');
    const list = state.sessionsOf(deal.guid).filter((s) =>
      selection.data === 'all' || (selection.data === 'archived_only' ? s.archived : !s.archived));
    return page(list, offset, scope, sessionToWire);
  }

  function createReversal(deal: Deal, raw: unknown): EmulatorResponse {
    const parsed = NewReversalSessionWire.safeParse(raw);
    if (!parsed.success) return msg(422, `Неверное тело запроса: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const body = parsed.data;
    const sessions = state.sessionsOf(deal.guid);
    if (sessions.some((s) => s.external_id === body.external_id)) return msg(409, `Сессия с external_id ${body.external_id} уже существует`);
    const refusal = state.refusal(deal, body);
    if (refusal) return msg(422, refusal);
    const total = body.positions.reduce((s, p) => s + p.total_sum.value, 0);
    const session: Session = {
      guid: randomUUID(), type_of: SESSION_TYPE.reversal, created_at: new Date().toISOString(), archived: false,
      external_id: body.external_id, total_sum: rub(total), positions: body.positions, receipt: null,
      payment_parts: body.payment_parts.map((p) => ({
        guid: randomUUID(), type_of: p.type_of, amount: p.amount, status: 'Accepted',
        primary_payment_part: p.primary_payment_part, primary_sale_session: p.primary_sale_session,
        transactions: (p.transactions ?? []).map((t) => ({ ...t, guid: randomUUID() })),
      })),
    };
    sessions.push(session);
    return { status: 201, body: sessionToWire(session) };
  }

  function patchSession(session: Session, raw: unknown): EmulatorResponse {
    const ops = JsonPatch.safeParse(raw);
    if (!ops.success) return msg(422, 'Ожидается JSON Patch: [{op: "replace", path, value}]');
    for (const op of ops.data) {
      if (op.path !== '/receipt') return msg(422, `Поле ${op.path} нельзя изменить`);
      const receipt = ReceiptData.safeParse(op.value);
      if (!receipt.success) return msg(422, 'Неверные данные чека');
      session.receipt = receipt.data;
    }
    return { status: 200, body: sessionToWire(session) };
  }

  function unarchive(deal: Deal, session: Session): EmulatorResponse {
    if (!session.archived) return { status: 200, body: sessionToWire(session) };
    const refusal = state.refusal(deal, {
      external_id: session.external_id ?? session.guid,
      positions: session.positions,
      payment_parts: session.payment_parts.flatMap((p) => (p.primary_payment_part && p.primary_sale_session
        ? [{ type_of: p.type_of, amount: p.amount, primary_payment_part: p.primary_payment_part, primary_sale_session: p.primary_sale_session }]
        : [])),
    }, session.guid);
    if (refusal) return msg(422, `Сессию нельзя восстановить: ${refusal}`);
    session.archived = false;
    return { status: 200, body: sessionToWire(session) };
  }

  function patchDeal(deal: Deal, raw: unknown): EmulatorResponse {
    const ops = JsonPatch.safeParse(raw);
    if (!ops.success) return msg(422, 'Ожидается JSON Patch: [{op: "replace", path, value}]');
    const change: Record<string, unknown> = {};
    for (const op of ops.data) {
      const field = op.path.slice(1);
      if (!['state', 'payment_status', 'shipping_status'].includes(field)) return msg(422, `Поле ${op.path} нельзя изменить`);
      change[field] = op.value;
    }
    const valid = DealStatusChange.safeParse(change);
    if (!valid.success) return msg(422, 'Неверное значение статуса');
    Object.assign(deal, Object.fromEntries(Object.entries(valid.data).filter(([, v]) => v !== undefined)));
    return { status: 204 };
  }

  const server = await startEmulatorServer({
    handle,
    afterHandle: () => saveState(opts.statePath, state.toJSON()),
    snapshot: () => state.toJSON(),
  }, { port: opts.port });
  return { ...server, orgGuid, token, state };
}
