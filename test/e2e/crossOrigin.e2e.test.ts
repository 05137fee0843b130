import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { callNames, type Handlers } from '../../preload/contract';
import { startBridgeServer, type BridgeServer } from '../../main/server/bridgeServer';
import { createServices, type Services } from '../../main/services';

/**
 * Issue 8, security: a web page from another origin open on the same terminal must not be able to
 * call the bridge (ring up a refund, read a sale) however it tries: CORS fetch, "simple" no-cors
 * requests with a text/plain body, a guessed token, a form POST, a beacon, an EventSource, or DNS
 * rebinding. The bridge's handlers count their invocations; the hostile attempts must leave the count at
 * zero while the app's own page, served by the bridge, gets through.
 */
const TOKEN = 'e2e-bridge-token-3b9f0c7a1d';
const GUESS = 'guessed-token';
const EVIL_HOST = 'evil.test';

let dir: string;
let services: Services;
let bridge: BridgeServer;
let hostile: Server;
let hostileUrl: string;
let browser: Browser;
let context: BrowserContext;
const invoked: string[] = [];
/**
 * Every response the bridge sent, seen from inside Node (diagnostics_channel), so it covers what the
 * browser hides (CORS-blocked answers): proves each attempt reached the bridge and was refused there.
 */
const served: Array<{ method: string; path: string; status: number; origin: string | undefined; host: string | undefined }> = [];
const onResponse = (message: unknown) => {
  const { request, response, server } = message as { request: IncomingMessage; response: ServerResponse; server: Server };
  if (!bridge || (server.address() as AddressInfo | null)?.port !== Number(new URL(bridge.url).port)) return;
  const url = new URL(request.url ?? '/', 'http://x');
  served.push({ method: request.method ?? '', path: url.pathname, status: response.statusCode, origin: request.headers.origin, host: request.headers.host });
};

const HOSTILE_PAGE = '<!doctype html><title>Скидки</title><h1>Выиграй приз</h1>';

beforeAll(async () => {
  subscribe('http.server.response.finish', onResponse);
  dir = mkdtempSync(join(tmpdir(), 'cross-origin-'));
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><meta name="cashier-token" content="__CASHIER_TOKEN__"><title>Касса</title><div id=root></div>');
  services = await createServices({ dataDir: dir, version: '0.0.0-e2e', forceTraining: true });
  for (const name of callNames) {
    const original = services.handlers[name] as (input: unknown) => Promise<unknown>;
    (services.handlers as Record<string, unknown>)[name] = (input: unknown) => {
      invoked.push(name);
      return original(input);
    };
  }
  bridge = await startBridgeServer({ handlers: services.handlers as Handlers, bus: services.bus, token: TOKEN, staticDir, log: { error: () => {}, debug: () => {} } });

  hostile = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(HOSTILE_PAGE);
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // DNS rebinding without DNS: a hostile name that resolves to loopback. Nothing leaves 127.0.0.1.
      `--host-resolver-rules=MAP ${EVIL_HOST} 127.0.0.1`,
      // Chromium's own Local Network Access checks would stop some attempts before they reach us; switched
      // off so the test proves the bridge's defences, not the browser's (older kiosk browsers lack them).
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults',
    ],
  });
  context = await browser.newContext();
});

afterAll(async () => {
  unsubscribe('http.server.response.finish', onResponse);
  await context?.close();
  await browser?.close();
  await new Promise<void>((resolve) => (hostile ? hostile.close(() => resolve()) : resolve()));
  await bridge?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function hostilePage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(hostileUrl);
  return page;
}

const statusesFor = (path: string, from = 0) => served.slice(from).filter((r) => r.path === path).map((r) => r.status);

describe('a page from another origin cannot call the bridge', () => {
  it('fetch: CORS JSON, guessed token header, no-cors text/plain, token in the query, a beacon', async () => {
    const page = await hostilePage();
    const from = served.length;
    const outcome = await page.evaluate(async ({ base, guess }) => {
      const url = `${base}/api/call/app.status`;
      const attempt = async (init: RequestInit, target = url) => {
        try {
          const res = await fetch(target, init);
          return res.type === 'opaque' ? 'opaque' : `readable ${res.status}`;
        } catch {
          return 'blocked';
        }
      };
      return {
        corsJson: await attempt({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
        guessedHeader: await attempt({ method: 'POST', headers: { 'x-cashier-token': guess }, body: '{}' }),
        simpleTextPlain: await attempt({ method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' }),
        simpleNoBody: await attempt({ method: 'POST', mode: 'no-cors' }),
        tokenInQuery: await attempt({ method: 'POST', mode: 'no-cors', body: '{}' }, `${url}?token=${guess}`),
        beacon: navigator.sendBeacon(url, '{}'),
      };
    }, { base: bridge.url, guess: GUESS });
    expect(outcome.corsJson).toBe('blocked');
    expect(outcome.guessedHeader).toBe('blocked');
    // A "simple" request is sent without a preflight and its answer is opaque: the server must refuse it.
    expect(outcome.simpleTextPlain).toBe('opaque');
    expect(outcome.tokenInQuery).toBe('opaque');
    // Preflights (OPTIONS) and the simple requests themselves: every one refused as cross-origin.
    await expect.poll(() => statusesFor('/api/call/app.status', from).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(6);
    expect(new Set(statusesFor('/api/call/app.status', from))).toEqual(new Set([403]));
    expect(served.slice(from).filter((r) => r.method === 'OPTIONS').length).toBeGreaterThanOrEqual(2);
    await page.close();
    expect(invoked).toEqual([]);
  });

  it('form POST (text/plain body, also from a sandboxed frame with Origin: null)', async () => {
    const page = await hostilePage();
    const from = served.length;
    await page.evaluate((base) => {
      const target = document.createElement('iframe');
      target.name = 'sink';
      document.body.append(target);
      const form = document.createElement('form');
      form.method = 'POST';
      form.enctype = 'text/plain';
      form.action = `${base}/api/call/app.status`;
      form.target = 'sink';
      // text/plain forms are the classic way to smuggle a JSON body: name + "=" + value.
      const field = document.createElement('input');
      field.name = '{"x":"';
      field.value = '"}';
      form.append(field);
      document.body.append(form);
      form.submit();

      const sandboxed = document.createElement('iframe');
      sandboxed.setAttribute('sandbox', 'allow-forms allow-scripts');
      sandboxed.srcdoc = `<body onload="document.forms[0].submit()"><form method=POST enctype=text/plain action="${base}/api/call/app.status?token=guess"><input name=a value=b></form>`;
      document.body.append(sandboxed);
    }, bridge.url);
    await expect.poll(() => served.slice(from).filter((r) => r.path === '/api/call/app.status').map((r) => r.origin).sort(), { timeout: 10_000 })
      .toEqual([hostileUrl, 'null']);
    expect(statusesFor('/api/call/app.status', from)).toEqual([403, 403]);
    await page.close();
    expect(invoked).toEqual([]);
  });

  it('EventSource (with and without a guessed token) gets no stream; an <img> GET without Origin meets the token check', async () => {
    const page = await hostilePage();
    const from = served.length;
    const result = await page.evaluate(async ({ base, guess }) => {
      const listen = (url: string) => new Promise<{ messages: number; readyState: number }>((resolve) => {
        const es = new EventSource(url);
        let messages = 0;
        es.onmessage = () => { messages += 1; };
        es.addEventListener('connectivity', () => { messages += 1; });
        es.onerror = () => {
          resolve({ messages, readyState: es.readyState });
          es.close();
        };
      });
      const img = await new Promise<string>((resolve) => {
        const el = new Image();
        el.onload = () => resolve('loaded');
        el.onerror = () => resolve('error');
        el.src = `${base}/api/events?token=${guess}`;
      });
      return { plain: await listen(`${base}/api/events`), guessed: await listen(`${base}/api/events?token=${guess}`), img };
    }, { base: bridge.url, guess: GUESS });
    expect(result.plain).toEqual({ messages: 0, readyState: EventSourceClosed });
    expect(result.guessed).toEqual({ messages: 0, readyState: EventSourceClosed });
    expect(result.img).toBe('error');
    await expect.poll(() => statusesFor('/api/events', from).length, { timeout: 5_000 }).toBe(3);
    // EventSource sends Origin (403); an image request sends none and meets the token check (401).
    expect(statusesFor('/api/events', from).sort()).toEqual([401, 403, 403]);
    await page.close();
  });

  it('DNS rebinding: a hostile name resolving to 127.0.0.1 can neither read the token page nor call', async () => {
    const page = await context.newPage();
    const from = served.length;
    const rebound = `http://${EVIL_HOST}:${new URL(bridge.url).port}`;
    // The attacker's page is first served by the attacker (here: Playwright), then the name points at us.
    await page.route(`${rebound}/`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: HOSTILE_PAGE }));
    await page.goto(`${rebound}/`);
    const result = await page.evaluate(async (guess) => {
      const read = async (path: string, init?: RequestInit) => {
        try {
          const res = await fetch(path, init);
          return { status: res.status, text: await res.text() };
        } catch {
          return { status: 0, text: '' };
        }
      };
      return {
        page: await read('/index.html'),
        call: await read('/api/call/app.status', { method: 'POST', headers: { 'x-cashier-token': guess, 'content-type': 'application/json' }, body: '{}' }),
      };
    }, GUESS);
    expect(result.page.text).not.toContain(TOKEN);
    expect(result.page.status).toBe(421);
    expect(result.call.status).toBe(421);
    // Chromium retries a request once after 421 Misdirected Request; both tries are refused.
    const seen = served.slice(from);
    expect(new Set(seen.map((r) => r.path))).toEqual(new Set(['/index.html', '/api/call/app.status']));
    expect(seen.every((r) => r.status === 421 && r.host === `${EVIL_HOST}:${new URL(bridge.url).port}`)).toBe(true);
    await page.close();
    expect(invoked).toEqual([]);
  });

  it("the app's own page, served by the bridge, does reach the handler", async () => {
    const page = await context.newPage();
    await page.goto(`${bridge.url}/`);
    const answer = await page.evaluate(async () => {
      const token = document.querySelector('meta[name="cashier-token"]')?.getAttribute('content') ?? '';
      const res = await fetch('/api/call/app.status', { method: 'POST', headers: { 'content-type': 'application/json', 'x-cashier-token': token }, body: '{}' });
      return { status: res.status, body: await res.json() as unknown };
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, value: { version: '0.0.0-e2e' } });
    expect(invoked).toEqual(['app.status']);
    await page.close();
  });
});

/** EventSource.CLOSED: the browser gave up, it will not reconnect after a refused response. */
const EventSourceClosed = 2;
