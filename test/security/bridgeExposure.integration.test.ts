import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { startBridgeServer, NOT_LOOPBACK_MESSAGE } from '../../main/server/bridgeServer';
import { serveApp } from '../e2e/serveApp';
import { TOKEN, useBridge } from './bridgeFixture';

/**
 * Issue 16 point 2: `--host 0.0.0.0` was accepted without a word, and with `Host: localhost:<port>` the
 * page handed the bridge token to the network. The bridge listens on loopback only unless told in so
 * many words, and the token page goes to this computer's own sockets only, whatever Host says.
 */
const start = useBridge('bridge-exposure-');
let relay: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
  relay = null;
});

interface Answer { status: number; body: string }

/** One HTTP request over a Unix socket whose connections the bridge serves: a peer that is not loopback. */
function viaForeignPeer(socketPath: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the bridge stays on this computer', () => {
  it('refuses to listen on a non-loopback address without the explicit flag', async () => {
    const app = await start();
    await expect(startBridgeServer({ handlers: app.services.handlers, bus: app.services.bus, token: TOKEN, log: { error: () => undefined, debug: () => undefined }, host: '0.0.0.0' }))
      .rejects.toThrow(NOT_LOOPBACK_MESSAGE);
  });

  it('the CLI refuses --host 0.0.0.0 without --expose-to-network-i-understand and says which flag', async () => {
    const refused = await serveApp(['--host', '0.0.0.0']).then(
      async (served) => {
        await served.stop();
        return 'listening';
      },
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(refused).toMatch(/exited \(2\)/);
    expect(refused).toContain('--expose-to-network-i-understand');
  });

  it('serves the token page to a loopback peer but not to any other peer, whatever its Host header says', async () => {
    const app = await start();
    const port = new URL(app.bridge.url).port;
    const local = await fetch(`${app.bridge.url}/`);
    expect(local.status).toBe(200);
    expect(await local.text()).toContain(TOKEN);

    // A Unix socket has no peer address at all: exactly what a network peer is not (loopback).
    const socketPath = join(app.dataDir, 'foreign.sock');
    relay = createServer((socket) => app.bridge.server.emit('connection', socket));
    await new Promise<void>((resolve) => relay?.listen(socketPath, resolve));
    const page = await viaForeignPeer(socketPath, '/', { host: `localhost:${port}` });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain(TOKEN);
    expect(page.body).toContain('только на этом компьютере');
    // The API is what an exposed bridge is for: with the token it answers.
    const api = await viaForeignPeer(socketPath, '/api/call/app.status', { host: `127.0.0.1:${port}`, 'x-cashier-token': TOKEN }, '{}');
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body)).toMatchObject({ ok: true, value: { trainingMode: true } });
  });
});
