import { afterEach } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBridgeServer, type BridgeLog, type BridgeServer, type BridgeServerOptions } from '../../main/server/bridgeServer';
import type { SettingsView } from '../../preload/contract';
import type { Services } from '../../main/services';
import { useTrainingServices } from '../support/trainingServices';

/**
 * The real bridge server over the app's real services in training mode, on 127.0.0.1, with a small
 * built page (so the token page exists), stopped after each test. What the bridge logs is kept in
 * `logged`, so a test can say which level a line went to.
 */
export const TOKEN = 'security-suite-token-5f1c9a7e';

export interface LoggedLine {
  level: 'error' | 'debug';
  message: string;
  fields: Record<string, unknown>;
}

export interface RunningBridge {
  services: Services;
  bridge: BridgeServer;
  logged: LoggedLine[];
  /** Resolves with the next line logged at `level` (the bridge logs after it has answered or been cut off). */
  nextLogged(level: LoggedLine['level']): Promise<LoggedLine>;
  dataDir: string;
  /** POST /api/call/<name> with the token. */
  call(name: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export function useBridge(prefix: string) {
  const app = useTrainingServices(prefix);
  let bridge: BridgeServer | null = null;
  afterEach(async () => {
    await bridge?.close();
    bridge = null;
  });
  return async (options: Partial<BridgeServerOptions> = {}): Promise<RunningBridge> => {
    const services = await app.start();
    const staticDir = join(app.dataDir(), 'static');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><meta name="cashier-token" content="__CASHIER_TOKEN__"><title>Касса</title><div id=root></div>');
    const logged: LoggedLine[] = [];
    const waiting: Array<{ level: LoggedLine['level']; resolve: (line: LoggedLine) => void }> = [];
    const record = (line: LoggedLine) => {
      logged.push(line);
      for (const w of waiting.filter((x) => x.level === line.level)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    };
    const log: BridgeLog = {
      error: (message, fields = {}) => record({ level: 'error', message, fields }),
      debug: (message, fields = {}) => record({ level: 'debug', message, fields }),
    };
    const started = await startBridgeServer({ handlers: services.handlers, bus: services.bus, token: TOKEN, staticDir, log, ...options });
    bridge = started;
    return {
      services,
      bridge: started,
      logged,
      nextLogged: (level) => new Promise((resolve) => waiting.push({ level, resolve })),
      dataDir: app.dataDir(),
      call: (name, body, headers = {}) =>
        fetch(`${started.url}/api/call/${name}`, {
          method: 'POST',
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'x-cashier-token': TOKEN, 'content-type': 'application/json', ...headers },
        }),
    };
  };
}

/** A settings.save body from a settings view: every field as stored, no secret typed (each is left out). */
export function settingsInputFrom(view: SettingsView): Record<string, unknown> & { lifepos: Record<string, unknown>; lifepay: Record<string, unknown>; regos: Record<string, unknown> } {
  const { secretStorage: _where, ...input } = structuredClone(view);
  const { operatorPassword: _op, ...fiscal } = input.fiscal;
  const { token: _t, ...lifepos } = input.lifepos;
  const { apiKey: _k, ...lifepay } = input.lifepay;
  const { password: _p, ...regos } = input.regos;
  return { ...input, fiscal, lifepos, lifepay, regos };
}
