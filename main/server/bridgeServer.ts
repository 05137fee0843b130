import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Handlers } from '../../preload/contract';
import { dispatch, type DispatchLog } from '../dispatch';
import type { EventBus } from '../eventBus';
import { serveStatic } from './staticFiles';

/**
 * The contract served as HTTP JSON on loopback: for a browser kiosk, for other POS software that wants
 * the fiscal bridge, and for the end-to-end tests. Every /api request must carry the per-install token
 * and must not come from another origin, so a web page open on the same terminal cannot ring up refunds.
 */
export interface BridgeServerOptions {
  handlers: Handlers;
  bus: EventBus;
  token: string;
  log: DispatchLog;
  host?: string;
  port?: number;
  /** Built renderer (dist/renderer); without it only the API is served. */
  staticDir?: string;
  maxBodyBytes?: number;
}

export interface BridgeServer {
  url: string;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export async function startBridgeServer(opts: BridgeServerOptions): Promise<BridgeServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  const openStreams = new Set<ServerResponse>();
  let origin = '';

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.log.error('bridge request failed', { url: req.url, error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'Внутренняя ошибка сервера' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still carries its own Host header.
    if (req.headers.host !== new URL(origin).host && req.headers.host !== `localhost:${new URL(origin).port}`) {
      return send(res, 421, { ok: false, error: { code: 'bridge.bad_host', message: 'Неверный адрес сервера' } });
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'bridge.method', message: 'Метод не поддерживается' } });
      if (!opts.staticDir) return send(res, 404, { ok: false, error: { code: 'bridge.not_found', message: 'Не найдено' } });
      return serveStatic(opts.staticDir, url.pathname, opts.token, res);
    }
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin && requestOrigin !== origin.replace('127.0.0.1', 'localhost')) {
      return send(res, 403, { ok: false, error: { code: 'bridge.cross_origin', message: 'Запрос с чужой страницы отклонён' } });
    }
    if (req.method === 'OPTIONS') {
      // No CORS headers: a cross-origin preflight fails, which is the point.
      return send(res, 403, { ok: false, error: { code: 'bridge.cross_origin', message: 'Запрос с чужой страницы отклонён' } });
    }
    const presented = req.headers['x-cashier-token'] ?? url.searchParams.get('token') ?? '';
    if (!tokenMatches(typeof presented === 'string' ? presented : '', opts.token)) {
      return send(res, 401, { ok: false, error: { code: 'bridge.unauthorized', message: 'Нет доступа: неверный ключ моста' } });
    }

    if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(res);

    const match = /^\/api\/call\/([\w.]+)$/.exec(url.pathname);
    if (!match || req.method !== 'POST') {
      return send(res, 404, { ok: false, error: { code: 'contract.unknown_call', message: 'Неизвестная команда' } });
    }
    const body = await readBody(req, maxBody);
    if (body.kind === 'too-large') return send(res, 413, { ok: false, error: { code: 'bridge.too_large', message: 'Слишком большой запрос' } });
    let payload: unknown = {};
    if (body.text.trim() !== '') {
      try {
        payload = JSON.parse(body.text);
      } catch {
        return send(res, 400, { ok: false, error: { code: 'contract.bad_json', message: 'Запрос не является JSON' } });
      }
    }
    const outcome = await dispatch(opts.handlers, match[1] ?? '', payload, opts.log);
    switch (outcome.kind) {
      case 'unknown-call': return send(res, 404, { ok: false, error: outcome.error });
      case 'bad-input': return send(res, 400, { ok: false, error: outcome.error });
      case 'result': return send(res, 200, outcome.result);
    }
  }

  function streamEvents(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    const write = (name: string, payload: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    for (const [name, payload] of opts.bus.snapshot()) write(name, payload);
    const unsubscribe = opts.bus.onAny(write);
    openStreams.add(res);
    res.on('close', () => {
      unsubscribe();
      openStreams.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of openStreams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, JSON_HEADERS);
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, max: number): Promise<{ kind: 'ok'; text: string } | { kind: 'too-large' }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) return { kind: 'too-large' };
    chunks.push(buf);
  }
  return { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') };
}
