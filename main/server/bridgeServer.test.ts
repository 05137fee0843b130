import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { createServices, type Services } from '../services';
import { startBridgeServer, type BridgeServer } from './bridgeServer';
import { AppError } from '../appError';

const TOKEN = 'test-token-123';
let dir: string;
let services: Services;
let server: BridgeServer;
const logged: string[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bridge-'));
  const staticDir = join(dir, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<meta name="cashier-token" content="__CASHIER_TOKEN__"><div id=root></div>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  services = await createServices({ dataDir: dir, version: '9.9.9', forceTraining: true });
  server = await startBridgeServer({
    handlers: services.handlers, bus: services.bus, token: TOKEN, staticDir,
    log: { error: (m) => logged.push(m), debug: () => undefined },
  });
});

afterEach(async () => {
  await server.close();
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (name: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/call/${name}`, { method: 'POST', body, headers: { 'x-cashier-token': TOKEN, 'content-type': 'application/json', ...headers } });

describe('bridge server', () => {
  it('binds to loopback only by default', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('answers a contract call with the validated value', async () => {
    const res = await call('app.status', '{}');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, value: { version: '9.9.9', trainingMode: true, currency: 'RUB' } });
  });

  it('rejects a bad payload with 400 and the zod message', async () => {
    const res = await call('sales.find', JSON.stringify({ query: 42 }));
    expect(res.status).toBe(400);
    const body = await res.json() as { ok: false; error: { code: string; detail: string } };
    expect(body.error.code).toBe('contract.bad_input');
    expect(body.error.detail).toContain('query');
  });

  it('rejects extra fields (strict inputs) and malformed JSON', async () => {
    expect((await call('app.status', '{"x":1}')).status).toBe(400);
    const bad = await call('app.status', '{not json');
    expect(bad.status).toBe(400);
    expect((await bad.json() as { error: { code: string } }).error.code).toBe('contract.bad_json');
  });

  it('answers 404 for an unknown call and a prototype key', async () => {
    expect((await call('nope.nothing', '{}')).status).toBe(404);
    expect((await call('constructor', '{}')).status).toBe(404);
  });

  it('answers 401 without the token and 403 from another origin', async () => {
    const noToken = await fetch(`${server.url}/api/call/app.status`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    const wrongToken = await call('app.status', '{}', { 'x-cashier-token': 'test-token-124' });
    expect(wrongToken.status).toBe(401);
    const crossOrigin = await call('app.status', '{}', { origin: 'http://evil.example' });
    expect(crossOrigin.status).toBe(403);
    const preflight = await fetch(`${server.url}/api/call/app.status`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:1' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(server.url);
      const req = request({ host: u.hostname, port: u.port, path: '/api/call/app.status', method: 'POST', headers: { host: 'attacker.example', 'x-cashier-token': TOKEN } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('turns a handler AppError into data and an unexpected error into a logged internal error', async () => {
    services.handlers['sales.find'] = async () => {
      throw new AppError({ code: 'sale.not_found', message: 'Продажа не найдена' });
    };
    const domain = await (await call('sales.find', '{"query":"123"}')).json();
    expect(domain).toEqual({ ok: false, error: { code: 'sale.not_found', message: 'Продажа не найдена' } });
    services.handlers['sales.recent'] = async () => {
      throw new TypeError('boom');
    };
    const internal = await (await call('sales.recent', '{}')).json() as { ok: false; error: { code: string } };
    expect(internal.error.code).toBe('internal');
    expect(logged).toContain('unexpected error in call');
  });

  it('refuses a handler answer that breaks the contract', async () => {
    services.handlers['printer.status'] = async () => ({ state: 'on fire', message: 'x' }) as never;
    const body = await (await call('printer.status', '{}')).json() as { ok: false; error: { code: string } };
    expect(body.error.code).toBe('contract.bad_output');
  });

  it('refuses an oversized body', async () => {
    const res = await call('sales.find', JSON.stringify({ query: 'x'.repeat(2_000_000) }));
    expect(res.status).toBe(413);
  });

  it('streams events as SSE, starting with the latest snapshot', async () => {
    services.bus.emit('connectivity', { backend: 'lifepos', state: 'offline' });
    const res = await fetch(`${server.url}/api/events?token=${TOKEN}`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: connectivity');
    expect(first).toContain('"state":"offline"');
    services.bus.emit('connectivity', { backend: 'regos', state: 'online' });
    const second = new TextDecoder().decode((await reader.read()).value);
    expect(second).toContain('"backend":"regos"');
    await reader.cancel();
  });

  it('serves the page with the token and a strict CSP, and 404s a missing asset', async () => {
    const page = await fetch(`${server.url}/`);
    expect(await page.text()).toContain(`content="${TOKEN}"`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${server.url}/assets/app.js`)).status).toBe(200);
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/some/route`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/..%2f..%2fetc/passwd`)).text()).not.toContain('root:');
  });
});
