import { describe, expect, it } from 'vitest';
import { symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { TOKEN, useBridge, type RunningBridge } from './bridgeFixture';

/**
 * Issue 16 point 3, against the real bridge on 127.0.0.1: an oversized body closes its connection at
 * once; a malformed %-escape is the caller's mistake (400), not ours; an unexpected error tells the
 * caller an id and nothing else; SSE streams are capped; a caller that hangs up is not an error.
 * (Maximum string lengths: contractLimits.integration.test.ts.)
 */
const start = useBridge('http-hygiene-');

interface RawExchange {
  /** Everything the server sent before the connection ended. */
  text: string;
  /** From the first byte written to the connection's end. */
  elapsedMs: number;
}

/** Writes `parts` on one raw keep-alive connection and collects the answer until the server closes it. */
function rawExchange(app: RunningBridge, parts: readonly string[]): Promise<RawExchange> {
  const { hostname, port } = new URL(app.bridge.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const began = performance.now();
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    // A reset after the answer is how a server drops an unread body; the answer is already here.
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, elapsedMs: performance.now() - began }));
    for (const part of parts) socket.write(part);
  });
}

const head = (app: RunningBridge, lines: readonly string[]) =>
  [`POST /api/call/sales.find HTTP/1.1`, `Host: ${new URL(app.bridge.url).host}`, `x-cashier-token: ${TOKEN}`, 'Content-Type: application/json', 'Connection: keep-alive', ...lines, '', ''].join('\r\n');

describe('HTTP hygiene', () => {
  it('answers an oversized body with 413 and closes the connection at once (declared or streamed)', async () => {
    const app = await start({ maxBodyBytes: 4096 });
    const declared = await rawExchange(app, [head(app, ['Content-Length: 2000000']), 'x'.repeat(65_536)]);
    expect(declared.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(declared.text).toContain('Слишком большой запрос');
    // Was: the connection stayed open ~6 s and then reset.
    expect(declared.elapsedMs).toBeLessThan(2_000);

    const chunk = 'y'.repeat(8192);
    const streamed = await rawExchange(app, [head(app, ['Transfer-Encoding: chunked']), `${chunk.length.toString(16)}\r\n${chunk}\r\n`]);
    expect(streamed.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(streamed.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(streamed.elapsedMs).toBeLessThan(2_000);
  });

  it('answers a malformed %-escape with 400 and logs no error', async () => {
    const app = await start();
    for (const path of ['/%E0%A4%A', '/assets/%zz.js', '/api/call/%E0']) {
      const res = await fetch(`${app.bridge.url}${path}`, { headers: { 'x-cashier-token': TOKEN } });
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bridge.bad_path');
    }
    expect(app.logged.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('answers an unexpected error with a fixed Russian message and an id; the detail is in the log only', async () => {
    const app = await start();
    const secretDetail = 'connect ECONNREFUSED /home/kassa/.config/db?password=hunter2';
    app.services.handlers['sales.recent'] = () => Promise.reject(new TypeError(secretDetail));
    const res = await app.call('sales.recent', {});
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('ECONNREFUSED');
    const { error } = JSON.parse(text) as { error: { code: string; message: string; correlationId: string; detail?: string } };
    expect(error.code).toBe('internal');
    expect(error.detail).toBeUndefined();
    expect(error.correlationId).toMatch(/^[0-9A-F]{8}$/);
    expect(error.message).toContain(`код ${error.correlationId}`);
    const line = app.logged.find((l) => l.fields.correlationId === error.correlationId);
    expect(String(line?.fields.error)).toContain(secretDetail);

    // The same outside the contract's handlers: a static file the server cannot read (a symlink loop).
    symlinkSync('loop.js', join(app.dataDir, 'static', 'loop.js'));
    const failed = await fetch(`${app.bridge.url}/loop.js`);
    expect(failed.status).toBe(500);
    const body = (await failed.json()) as { error: { message: string; correlationId: string } };
    expect(body.error.message).toContain(body.error.correlationId);
    expect(JSON.stringify(body)).not.toMatch(/ELOOP|loop\.js|static/);
    expect(app.logged.find((l) => l.fields.correlationId === body.error.correlationId)?.fields.error).toMatch(/ELOOP/);
  });

  it('caps event streams with a clear 503 and no MaxListenersExceededWarning; a closed stream frees its place', async () => {
    const app = await start({ maxStreams: 16 });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      // Issue 16 saw the listener warning at 201 streams.
      const answers = await Promise.all(Array.from({ length: 250 }, () => fetch(`${app.bridge.url}/api/events?token=${TOKEN}`)));
      const open = answers.filter((r) => r.status === 200);
      const refused = answers.filter((r) => r.status === 503);
      expect(open).toHaveLength(16);
      expect(refused).toHaveLength(234);
      const { error } = (await refused[0]!.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('bridge.too_many_streams');
      expect(error.message).toContain('закройте лишние вкладки');
      expect(refused[0]!.headers.get('retry-after')).not.toBeNull();
      await Promise.all(refused.slice(1).map((r) => r.body?.cancel()));

      await open[0]!.body?.cancel();
      let again = await fetch(`${app.bridge.url}/api/events?token=${TOKEN}`);
      // The server learns of the closed stream a moment after the client: each try is a real request.
      for (let tries = 0; again.status === 503 && tries < 200; tries++) {
        await again.body?.cancel();
        again = await fetch(`${app.bridge.url}/api/events?token=${TOKEN}`);
      }
      expect(again.status).toBe(200);
      await Promise.all([again, ...open.slice(1)].map((r) => r.body?.cancel()));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('logs a request the caller abandoned mid-body at debug, not as an error', async () => {
    const app = await start();
    const debug = app.nextLogged('debug');
    const { hostname, port } = new URL(app.bridge.url);
    const socket = connect(Number(port), hostname, () => {
      socket.write(head(app, ['Content-Length: 1000']));
      socket.write('{"query":"12', () => socket.destroy());
    });
    const line = await debug;
    expect(line.message).toBe('bridge request aborted by the client');
    expect(line.fields).toMatchObject({ method: 'POST', path: '/api/call/sales.find' });
    expect(app.logged.filter((l) => l.level === 'error')).toEqual([]);
  });
});
