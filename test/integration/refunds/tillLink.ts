import { createServer, connect, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnNodeTied } from '../../../emulators/parentLifeline';

/**
 * One till's network path to one back end: a TCP relay on 127.0.0.1 that a test cuts (a network split:
 * this till gets "connection refused" while the other tills still reach the back end) and restores on
 * the same port. Open connections are cut too, so nothing half-sent slips through a split.
 */
export interface TillLink {
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

const listen = (server: Server, port: number): Promise<number> => new Promise((ok, fail) => {
  server.once('error', fail);
  server.listen(port, '127.0.0.1', () => {
    server.off('error', fail);
    const address = server.address();
    ok(typeof address === 'object' && address ? address.port : port);
  });
});

export async function startTillLink(target: string): Promise<TillLink> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const relay = (client: Socket): void => {
    const upstream = connect(Number(to.port), to.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  };
  let server = createServer(relay);
  const port = await listen(server, 0);
  let up = true;
  const stop = async (): Promise<void> => {
    if (!up) return;
    up = false;
    for (const s of sockets) s.destroy();
    sockets.clear();
    await new Promise<void>((ok) => server.close(() => ok()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    cut: stop,
    async restore() {
      if (up) return;
      server = createServer(relay);
      await listen(server, port);
      up = true;
    },
    close: stop,
  };
}

/**
 * A back-end emulator in its own process (emulators/http/cli.ts), as a store's back end is: the tills'
 * processes share nothing with it but HTTP. `state` seeds it (the emulator's own state file format).
 */
export interface BackendProcess {
  url: string;
  controlUrl: string;
  /** GET /__control/state. */
  state<T>(): Promise<T>;
  /** POST /__control/<path>. */
  control(path: string, body: unknown): Promise<void>;
  close(): Promise<void>;
}

const root = resolve(import.meta.dirname, '../../..');

export async function startBackendProcess(service: 'lifepos' | 'lifepay' | 'regos', stateFile: string): Promise<BackendProcess> {
  // node itself with tsx as a loader (not the tsx wrapper), so closing it ends the emulator (cli.ts);
  // tied, so it ends too when this test process is killed outright.
  const child = spawnNodeTied(['--import', 'tsx', resolve(root, 'emulators/http/cli.ts'), '--service', service, '--state', stateFile], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
  const { stdout, stderr: errors } = child;
  if (!stdout || !errors) throw new Error(`${service} emulator: output not piped`);
  let stderr = '';
  errors.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const first = await new Promise<string>((ok, fail) => {
    const lines = createInterface({ input: stdout });
    lines.once('line', ok);
    child.once('exit', (code) => fail(new Error(`${service} emulator exited (${String(code)}): ${stderr}`)));
  });
  const { url, controlUrl } = JSON.parse(first) as { url: string; controlUrl: string };
  const ask = async (path: string, init?: RequestInit): Promise<unknown> => {
    const res = await fetch(`${controlUrl}/__control/${path}`, init);
    if (!res.ok) throw new Error(`${service} control ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    controlUrl,
    state: async <T>() => ((await ask('state')) as { state: T }).state,
    control: async (path, body) => {
      await ask(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    },
    close: () => new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    }),
  };
}
