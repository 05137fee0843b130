import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { ErrorPayload, Handlers } from '../../preload/contract';
import { dispatch, internalError, type DispatchLog } from '../dispatch';
import type { EventBus } from '../eventBus';
import { isIpLiteral, isLoopbackAddress, isLoopbackHost } from '../security/networkAddresses';
import { serveStatic } from './staticFiles';

/**
 * The contract served as HTTP JSON on loopback: for a browser kiosk, for other POS software that wants
 * the fiscal bridge, and for the end-to-end tests. Every /api request must carry the per-install token
 * and must not come from another origin, so a web page open on the same terminal cannot ring up refunds.
 * The page that hands out the token is served to this computer only, judged by the socket's peer address
 * (a Host header is whatever the caller writes).
 */
export interface BridgeServerOptions {
  handlers: Handlers;
  bus: EventBus;
  token: string;
  log: BridgeLog;
  /** Loopback unless exposeToNetwork: then other computers may call /api with the token (never get the page). */
  host?: string;
  exposeToNetwork?: boolean;
  port?: number;
  /** Built renderer (dist/renderer); without it only the API is served. */
  staticDir?: string;
  maxBodyBytes?: number;
  /** Open event streams allowed at once; one more is refused with 503. */
  maxStreams?: number;
}

export interface BridgeLog extends DispatchLog {
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface BridgeServer {
  url: string;
  /** The Node server: a test hands it a connection whose peer is not loopback (a Unix socket). */
  server: Server;
  close(): Promise<void>;
}

/**
 * A till has one browser window and perhaps one other POS program on the stream; 16 leaves room for a
 * technician's second window and stays far below the event bus's listener warning (200).
 */
export const DEFAULT_MAX_STREAMS = 16;

export const NOT_LOOPBACK_MESSAGE =
  'Мост кассы слушает только этот компьютер (127.0.0.1, ::1, localhost). Чтобы принимать запросы из сети, ' +
  'запустите его с флагом --expose-to-network-i-understand: тогда кассу от всей сети защищает только ключ моста. ' +
  '(The bridge listens on loopback only; another --host needs --expose-to-network-i-understand.)';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

const refusal = (code: string, message: string): { ok: false; error: ErrorPayload } => ({ ok: false, error: { code, message } });

export async function startBridgeServer(opts: BridgeServerOptions): Promise<BridgeServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && opts.exposeToNetwork !== true) throw new Error(NOT_LOOPBACK_MESSAGE);
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  const maxStreams = opts.maxStreams ?? DEFAULT_MAX_STREAMS;
  const openStreams = new Set<ServerResponse>();
  let origin = '';
  let port = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (req.destroyed && isAbort(e)) {
        // The caller went away mid-body (a closed tab, a killed POS program): nothing is wrong here.
        opts.log.debug('bridge request aborted by the client', { method: req.method, path: pathOf(req) });
        return;
      }
      const error = internalError(opts.log, 'bridge request failed', { method: req.method, path: pathOf(req) }, e);
      if (!res.headersSent) send(res, 500, { ok: false, error });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still carries its own name in the Host header.
    // An IP literal or localhost cannot be rebound, so only those (with our port) are accepted.
    if (!hostHeaderAllowed(req.headers.host, port)) {
      return send(res, 421, refusal('bridge.bad_host', 'Неверный адрес сервера'));
    }
    const url = URL.canParse(req.url ?? '/', origin) ? new URL(req.url ?? '/', origin) : null;
    const pathname = url === null ? null : decodedPath(url.pathname);
    if (url === null || pathname === null) {
      return send(res, 400, refusal('bridge.bad_path', 'Неверный адрес запроса: испорчена кодировка символов (%)'));
    }
    if (!pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, refusal('bridge.method', 'Метод не поддерживается'));
      if (!isLoopbackAddress(req.socket.remoteAddress)) {
        return send(res, 403, refusal('bridge.remote_page', 'Страница кассы открывается только на этом компьютере. Другие программы в сети обращаются к /api с ключом моста.'));
      }
      if (!opts.staticDir) return send(res, 404, refusal('bridge.not_found', 'Не найдено'));
      return serveStatic(opts.staticDir, pathname, opts.token, res);
    }
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin && requestOrigin !== origin.replace('127.0.0.1', 'localhost')) {
      return send(res, 403, refusal('bridge.cross_origin', 'Запрос с чужой страницы отклонён'));
    }
    if (req.method === 'OPTIONS') {
      // No CORS headers: a cross-origin preflight fails, which is the point.
      return send(res, 403, refusal('bridge.cross_origin', 'Запрос с чужой страницы отклонён'));
    }
    const presented = req.headers['x-cashier-token'] ?? url.searchParams.get('token') ?? '';
    if (!tokenMatches(typeof presented === 'string' ? presented : '', opts.token)) {
      return send(res, 401, refusal('bridge.unauthorized', 'Нет доступа: неверный ключ моста'));
    }

    if (pathname === '/api/events' && req.method === 'GET') return streamEvents(res);

    const match = /^\/api\/call\/([\w.]+)$/.exec(pathname);
    if (!match || req.method !== 'POST') {
      return send(res, 404, refusal('contract.unknown_call', 'Неизвестная команда'));
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const body = declared > maxBody ? { kind: 'too-large' as const } : await readBody(req, maxBody);
    if (body.kind === 'too-large') return refuseTooLarge(req, res, maxBody);
    let payload: unknown = {};
    if (body.text.trim() !== '') {
      try {
        payload = JSON.parse(body.text);
      } catch {
        return send(res, 400, refusal('contract.bad_json', 'Запрос не является JSON'));
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
    if (openStreams.size >= maxStreams) {
      res.setHeader('retry-after', '10');
      return send(res, 503, refusal('bridge.too_many_streams',
        `Открыто слишком много окон кассы (${maxStreams}): закройте лишние вкладки или программы и обновите страницу.`));
    }
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
  port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: origin,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of openStreams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function hostHeaderAllowed(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined || !URL.canParse(`http://${hostHeader}`)) return false;
  const u = new URL(`http://${hostHeader}`);
  if (u.port !== String(port) || u.username !== '' || u.pathname !== '/') return false;
  return u.hostname === 'localhost' || isIpLiteral(u.hostname);
}

/** The path with its %-escapes decoded, or null when an escape is malformed (a 400, not a 500). */
function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/** The path without the query: a token in ?token= must not reach the log. */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0] ?? '';
}

function isAbort(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || (e instanceof Error && e.message === 'aborted');
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

/**
 * The rest of an oversized body is still on its way; on a kept-alive connection it would be read as the
 * next request (a hang, then a reset). So the answer says the connection closes, what arrives meanwhile
 * is discarded, and the socket goes once the answer is sent.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, maxBody: number): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => req.socket.destroy());
  req.resume();
  send(res, 413, refusal('bridge.too_large', `Слишком большой запрос: больше ${maxBody} байт`));
}

/**
 * Reads the body up to `max` bytes. Past that it stops listening and leaves the rest unread (the caller
 * answers 413); it does not destroy the request, so the answer can still be written.
 */
function readBody(req: IncomingMessage, max: number): Promise<{ kind: 'ok'; text: string } | { kind: 'too-large' }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      stop();
      req.pause();
      resolve({ kind: 'too-large' });
    };
    const onEnd = () => {
      stop();
      resolve({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') });
    };
    const onError = (e: Error) => {
      stop();
      reject(e);
    };
    const onClose = () => {
      if (req.complete) return;
      stop();
      reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
