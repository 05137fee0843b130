import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultControls, FaultSpec, type RequestKey } from './faults';

/** What an emulated service sees of a request. */
export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON; undefined for an empty body. */
  body: unknown;
  /** False when a non-empty body was not JSON. */
  bodyIsJson: boolean;
  rawBody: string;
}

export interface EmulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface EmulatedService {
  /** Applies the request's effect to the in-memory state and says what to answer. */
  handle(req: EmulatorRequest): EmulatorResponse;
  /** JSON-RPC services name the method inside the body; faults can match on it. */
  rpcMethodOf?(req: EmulatorRequest): string | undefined;
  /** Called after every handled request (persistence to a file, when configured). */
  afterHandle?(): void;
  /** What GET /__control/state returns: the service's state for out-of-process tests. */
  snapshot(): unknown;
  /** The service's own switches under /__control/<name> (undefined: not one of them). */
  control?(name: string, method: string, body: unknown): EmulatorResponse | undefined;
}

export interface EmulatorServer {
  url: string;
  /** A second listener that serves only /__control/*: it keeps answering while the service is offline. */
  controlUrl: string;
  faults: FaultControls;
  /** Every request the service received, in order (control requests excluded). */
  requests: RequestKey[];
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__control/';

/**
 * node:http on 127.0.0.1 with fault injection in front of a service. "Offline" closes the listener
 * (connection refused) and reopens it on the same port when cleared.
 */
export async function startEmulatorServer(service: EmulatedService, opts: { port?: number } = {}): Promise<EmulatorServer> {
  const requests: RequestKey[] = [];
  const main = createServer();
  const control = createServer();
  let port = opts.port ?? 0;

  const faults = new FaultControls(async (offline) => {
    if (offline) {
      await closeServer(main);
    } else {
      await listen(main, port);
    }
  });

  main.on('request', (req, res) => {
    serve(req, res, true).catch((e: unknown) => emulatorBug(res, e));
  });
  control.on('request', (req, res) => {
    serve(req, res, false).catch((e: unknown) => emulatorBug(res, e));
  });

  async function serve(req: IncomingMessage, res: ServerResponse, isMain: boolean): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      await serveControl(url.pathname, req.method ?? 'GET', raw, res);
      return;
    }
    if (!isMain) {
      send(res, { status: 404, body: { message: 'control listener serves /__control/* only' } });
      return;
    }
    let body: unknown;
    let bodyIsJson = true;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      bodyIsJson = false;
    }
    const request: EmulatorRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, bodyIsJson, rawBody: raw,
    };
    const key: RequestKey = { method: request.method, path: request.path, rpcMethod: service.rpcMethodOf?.(request) };
    requests.push(key);
    const fault = faults.take(key);

    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      await answerLater(res, { status: fault.status, body: { message: `injected HTTP ${fault.status}` } });
      return;
    }
    if (fault?.kind === 'rateLimit') {
      await answerLater(res, {
        status: 429, headers: { 'Retry-After': String(fault.retryAfter) }, body: { code: 429, message: 'Too Many Requests (injected)' },
      });
      return;
    }

    const answer = service.handle(request);
    service.afterHandle?.();
    if (fault?.kind === 'loseResponse') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'malformed') {
      await sleep(faults.latencyMs);
      res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify(answer.body ?? { ok: true }).slice(0, 7));
      return;
    }
    await answerLater(res, answer);
  }

  async function answerLater(res: ServerResponse, answer: EmulatorResponse): Promise<void> {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (res.socket?.destroyed) return;
    send(res, answer);
  }

  async function serveControl(path: string, method: string, raw: string, res: ServerResponse): Promise<void> {
    if (path === `${CONTROL_PREFIX}faults` && method === 'POST') {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        send(res, { status: 400, body: { message: 'body must be JSON' } });
        return;
      }
      const spec = FaultSpec.safeParse(json);
      if (!spec.success) {
        send(res, { status: 400, body: { message: spec.error.message } });
        return;
      }
      await faults.apply(spec.data);
      send(res, { status: 200, body: { ok: true, offline: faults.offline, latencyMs: faults.latencyMs } });
      return;
    }
    if (path === `${CONTROL_PREFIX}state` && method === 'GET') {
      send(res, { status: 200, body: { state: service.snapshot(), requests } });
      return;
    }
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const own = service.control?.(path.slice(CONTROL_PREFIX.length), method, body);
    send(res, own ?? { status: 404, body: { message: `unknown control route ${method} ${path}` } });
  }

  port = await listen(main, port);
  const controlPort = await listen(control, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    faults,
    requests,
    async close() {
      await Promise.all([closeServer(main), closeServer(control)]);
    },
  };
}

/** A bug in an emulator answers 500 with the stack instead of crashing the test process. */
function emulatorBug(res: ServerResponse, e: unknown): void {
  if (res.headersSent || res.socket?.destroyed) return;
  send(res, { status: 500, body: { message: `emulator bug: ${e instanceof Error ? e.stack ?? e.message : String(e)}` } });
}

/**
 * Every answer closes its connection: with keep-alive a client could reuse a socket the emulator has
 * just closed for "offline" and see a dropped connection instead of a refusal, making tests flaky.
 */
function send(res: ServerResponse, answer: EmulatorResponse): void {
  const headers: Record<string, string> = { Connection: 'close', ...answer.headers };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  headers['Content-Type'] ??= 'application/json; charset=utf-8';
  res.writeHead(answer.status, headers);
  res.end(JSON.stringify(answer.body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((e) => (e ? reject(e) : resolve()));
    server.closeAllConnections();
  });
}
