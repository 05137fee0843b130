import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EffectServerOptions {
  /** [0,1) source for fault injection; omit for a server that never fails. */
  random?: () => number;
  /** Chance a request is answered 503 + Retry-After: 0 without effect. */
  busy?: number;
  /** Chance the effect is applied and then the connection is cut before the answer (unknown outcome). */
  cut?: number;
}

/**
 * A loopback stand-in for a back end that is idempotent by key, as LIFE POS is meant to be: a second
 * request with a key it has applied returns the first answer and applies nothing. It records how many
 * times each key's effect was applied and any ordering violation (a PATCH before its session exists).
 */
export async function startEffectServer(opts: EffectServerOptions = {}) {
  const applied = new Map<string, number>();
  const requests = new Map<string, number>();
  const sessionByCreateKey = new Map<string, string>();
  const sessionOfPatchKey = new Map<string, string>();
  const sessions = new Set<string>();
  const violations: string[] = [];
  let faults = 0;
  const chance = (p: number | undefined) => p !== undefined && opts.random !== undefined && opts.random() < p;

  const apply = (key: string) => applied.set(key, (applied.get(key) ?? 0) + 1);

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = req.headers['idempotency-key'];
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (req.method === 'GET' && url.pathname === '/sessions') {
      const guid = sessionByCreateKey.get(url.searchParams.get('key') ?? '');
      return guid === undefined ? reply(404, { error: 'not found' }) : reply(200, { guid });
    }
    if (typeof key !== 'string') return reply(400, { error: 'Idempotency-Key header required' });
    requests.set(key, (requests.get(key) ?? 0) + 1);
    if (chance(opts.busy)) {
      faults++;
      res.writeHead(503, { 'retry-after': '0' }).end();
      return;
    }
    let answer: { status: number; value: unknown };
    if (req.method === 'POST' && url.pathname === '/sessions') {
      let guid = sessionByCreateKey.get(key);
      if (guid === undefined) {
        guid = randomUUID();
        sessions.add(guid);
        sessionByCreateKey.set(key, guid);
        apply(key);
      }
      answer = { status: 201, value: { guid } };
    } else if (req.method === 'PATCH' && url.pathname.startsWith('/sessions/')) {
      const guid = url.pathname.slice('/sessions/'.length);
      if (!sessions.has(guid)) {
        violations.push(`PATCH ${key} for unknown session ${guid}`);
        return reply(409, { error: 'no such session' });
      }
      const earlier = sessionOfPatchKey.get(key);
      if (earlier === undefined) {
        sessionOfPatchKey.set(key, guid);
        apply(key);
      } else if (earlier !== guid) {
        violations.push(`PATCH ${key} repeated for another session ${guid} (was ${earlier})`);
      }
      answer = { status: 200, value: { ok: true, body: body.length } };
    } else {
      return reply(404, { error: 'no route' });
    }
    if (chance(opts.cut)) {
      faults++;
      req.socket.destroy();
      return;
    }
    reply(answer.status, answer.value);
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req, res, body));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    applied,
    requests,
    sessionByCreateKey,
    sessionOfPatchKey,
    violations,
    faults: () => faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
