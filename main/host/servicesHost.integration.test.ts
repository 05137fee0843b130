import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventPayload, Handlers, SettingsView } from '../../preload/contract';
import { AppError } from '../appError';
import { dispatch } from '../dispatch';
import type { EventBus } from '../eventBus';
import { loggerOver } from '../log/logger';
import { openDatabase } from '../queue/database';
import { createServices, type Services } from '../services';
import { startServicesInWorker, type ServicesCrash, type ServicesHost } from './servicesHost';
import { rejectionOf } from '../../test/support/caughtAppError';

/**
 * The services on a worker thread answer like the services in-process: real training services (the
 * emulators, a real SQLite file in a temp folder) on both sides, the same calls through dispatch().
 */
const dirs: string[] = [];
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'host-'));
  dirs.push(d);
  return d;
};
const startHost = async (dataDir = tempDir()): Promise<ServicesHost> => {
  const host = await startServicesInWorker({ dataDir, version: 'test', forceTraining: true });
  open.push(host);
  return host;
};
const startInProcess = async (): Promise<Services> => {
  const services = await createServices({ dataDir: tempDir(), version: 'test', forceTraining: true });
  open.push(services);
  return services;
};

const quiet = { error: () => undefined };
const call = async (handlers: Handlers, name: string, payload: unknown) => (await dispatch(handlers, name, payload, quiet));

/** What differs between two runs by the clock alone: timestamps and the fiscal sign the printer derives from them. */
function withoutClock(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClock);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ['createdAt', 'updatedAt', 'dateTime', 'fiscalSign'].includes(k) ? typeof v : k === 'state' ? settledOrNot(v) : withoutClock(v)]));
}
/** A printed refund's LIFE POS jobs run on each side's own clock: fiscalized and synced are the same answer here. */
const settledOrNot = (state: unknown): unknown => (state === 'synced' ? 'fiscalized' : state);

const logText = (dataDir: string) => readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');

function progressOf(bus: EventBus, refundId: string, state: string): Promise<EventPayload<'refund.progress'>> {
  return new Promise((resolve) => {
    const off = bus.onAny((name, payload) => {
      const p = payload as EventPayload<'refund.progress'>;
      if (name === 'refund.progress' && p.refundId === refundId && p.state === state) {
        off();
        resolve(p);
      }
    });
  });
}

/** Demo sale А-1001 (emulators/lifepos/seed.ts), one loaf of bread back. */
const DEMO_SALE = { source: 'lifepos', id: '6f1c2a10-0001-4a8e-9d01-000000000001' } as const;
async function firstSaleLine(handlers: Handlers) {
  const sale = await handlers['sales.get']({ ref: DEMO_SALE });
  return { ref: sale.ref, lines: [{ lineId: 'p-1001-2', quantityMilli: 1000 }] };
}

function refundRow(dataDir: string, id: string): { state: string; fiscal: string | null } | undefined {
  const db = openDatabase(join(dataDir, 'cashier.db'));
  try {
    return db.prepare('SELECT state, fiscal FROM refunds WHERE id = ?').get(id) as { state: string; fiscal: string | null } | undefined;
  } finally {
    db.close();
  }
}

describe('services in a worker thread', () => {
  it('answer the contract calls as the in-process services do, errors included', async () => {
    const [inProcess, host] = await Promise.all([startInProcess(), startHost()]);
    const refundId = randomUUID();
    const sale = await firstSaleLine(inProcess.handlers);
    const script: Array<[string, unknown]> = [
      ['sales.find', { query: 'А-1001' }],
      ['sales.find', { query: 42 }],
      ['sales.get', { ref: DEMO_SALE }],
      ['sales.get', { ref: { source: 'lifepos', id: 'no-such-deal' } }],
      ['refunds.preview', { sale: sale.ref, lines: sale.lines }],
      ['refunds.confirm', { refundId, sale: sale.ref, lines: sale.lines, cardRrns: {} }],
      ['refunds.confirm', { refundId: randomUUID(), sale: sale.ref, lines: sale.lines, cardRrns: {} }],
      ['refunds.get', { id: refundId }],
      ['refunds.get', { id: 'no-such-refund' }],
      ['refunds.list', {}],
      ['settings.get', {}],
      ['training.simulate', { target: 'printer', fault: 'noSuchFault' }],
    ];
    for (const [name, payload] of script) {
      const [a, b] = [await call(inProcess.handlers, name, payload), await call(host.handlers, name, payload)];
      expect(withoutClock(b), name).toEqual(withoutClock(a));
    }
    // The refund itself and the second one refused for lack of remainder: both sides, same data.
    const confirmed = await call(host.handlers, 'refunds.get', { id: refundId });
    expect(confirmed).toMatchObject({ kind: 'result', result: { ok: true, value: { state: expect.stringMatching(/fiscalized|synced/) } } });

    const [statusA, statusB] = [await call(inProcess.handlers, 'app.status', {}), await call(host.handlers, 'app.status', {})];
    expect(statusB).toMatchObject({ kind: 'result', result: { ok: true, value: { version: 'test', trainingMode: true, currency: 'RUB' } } });
    // Connectivity and printer state move on their own clocks; the shape is what must match.
    expect(Object.keys((statusB as { result: { value: object } }).result.value).sort()).toEqual(Object.keys((statusA as { result: { value: object } }).result.value).sort());
    expect(host.trainingMode).toBe(true);
  });

  it('rebuilds an AppError thrown in the worker with its code, retry class and detail', async () => {
    const host = await startHost();
    const e = await rejectionOf(host.handlers['refunds.get']({ id: 'no-such-refund' }), AppError);
    expect(e).toMatchObject({ code: 'refund.not_found', retry: 'permanent', detail: 'no-such-refund' });
    expect(e.message).not.toBe('');
    const off = await rejectionOf(host.handlers['training.simulate']({ target: 'regos', fault: 'paperBack' }), AppError);
    expect(off).toMatchObject({ code: 'training.bad_fault', retry: 'permanent', detail: 'regos: paperBack' });
  });

  it('relays events: the latest state at start, then each refund step', async () => {
    const host = await startHost();
    expect(host.bus.snapshot().map(([name]) => name)).toEqual(expect.arrayContaining(['app.status', 'sync.status']));
    const sale = await firstSaleLine(host.handlers);
    const refundId = randomUUID();
    const fiscalizing = progressOf(host.bus, refundId, 'fiscalizing');
    const fiscalized = progressOf(host.bus, refundId, 'fiscalized');
    await host.handlers['refunds.confirm']({ refundId, sale: sale.ref, lines: sale.lines, cardRrns: {} });
    expect((await fiscalizing).message).not.toBe('');
    await fiscalized;
  });

  it('serves secrets from the main thread: a refusal crosses as AppError, an allowed key is stored there and never logged', async () => {
    const dataDir = tempDir();
    const host = await startHost(dataDir);
    const token = `host-test-token-${randomUUID()}`;
    const view = await host.handlers['settings.get']({});
    const refused = await rejectionOf(host.handlers['settings.save'](inputWithToken(view, token, false)), AppError);
    expect(refused.code).toBe('secrets.refused');
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);

    expect(host.settings.current().lifepos.enabled).toBe(false);
    const saved = await host.handlers['settings.save'](inputWithToken(view, token, true));
    expect(saved.lifepos.token).toEqual({ stored: true });
    // The shell's copy follows a save (its message is posted before the reply), with a reference to the key, never the key.
    expect(host.settings.current().lifepos.enabled).toBe(true);
    expect(host.settings.current().lifepos.token).toMatchObject({ secretId: expect.any(String) });
    expect(JSON.stringify(host.settings.current())).not.toContain(token);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toContain(token);
    expect((await host.handlers['settings.get']({})).secretStorage).toBe('plaintext-allowed');
    await host.close();
    expect(logText(dataDir)).not.toContain(token);
    expect(logText(dataDir)).toContain('WITHOUT OS encryption');
  });

  it('close() lets a receipt being printed finish and be recorded; the refund is in the SQLite file afterwards', async () => {
    const dataDir = tempDir();
    const host = await startHost(dataDir);
    const sale = await firstSaleLine(host.handlers);
    const refundId = randomUUID();
    const printing = progressOf(host.bus, refundId, 'fiscalizing');
    const confirm = host.handlers['refunds.confirm']({ refundId, sale: sale.ref, lines: sale.lines, cardRrns: {} });
    await printing;
    await host.close();
    const refund = await confirm;
    expect(['fiscalized', 'synced']).toContain(refund.state);
    const row = refundRow(dataDir, refundId);
    // Its LIFE POS jobs may have run while close() waited: synced is as good as fiscalized here.
    expect(['fiscalized', 'synced']).toContain(row?.state);
    expect(JSON.parse(row?.fiscal ?? 'null')).toMatchObject({ number: refund.fiscal?.number });
    // The worker's log lines went to the one log file the main thread writes.
    expect(logText(dataDir)).toMatch(new RegExp(`refund fiscalized.*${refundId}`));
    await expect(host.handlers['app.status']({})).rejects.toMatchObject({ code: 'services.closing' });
  });

  it('a worker that dies mid-receipt is detected, logged and reported; what it committed is in the file', async () => {
    const dataDir = tempDir();
    const host = await startHost(dataDir);
    const crashes: ServicesCrash[] = [];
    host.onCrash((c) => crashes.push(c));
    const sale = await firstSaleLine(host.handlers);
    const refundId = randomUUID();
    const printing = progressOf(host.bus, refundId, 'fiscalizing');
    const confirm = host.handlers['refunds.confirm']({ refundId, sale: sale.ref, lines: sale.lines, cardRrns: {} });
    await printing;
    await host.kill();

    const lost = await rejectionOf(confirm, AppError);
    expect(lost).toMatchObject({ code: 'services.crashed', retry: 'unknown-outcome' });
    expect(lost.message).toMatch(/Перезапустите программу/);
    expect(crashes).toEqual([{ exitCode: 1 }]);
    expect(logText(dataDir)).toContain('services worker stopped unexpectedly');
    await expect(host.handlers['app.status']({})).rejects.toMatchObject({ code: 'services.crashed' });
    await host.close();

    // 'fiscalizing' is committed (synchronous=FULL) before the printer is touched.
    expect(['fiscalizing', 'fiscalized', 'synced']).toContain(refundRow(dataDir, refundId)?.state);
    const again = await startHost(dataDir);
    expect((await again.handlers['refunds.get']({ id: refundId })).id).toBe(refundId);
  });

  it('passes how the last run ended to the services: the cashier is told once', async () => {
    const dataDir = tempDir();
    const host = await startServicesInWorker({ dataDir, version: 'test', forceTraining: true, previousRun: { startedAt: '2026-01-01T00:00:00.000Z', reason: 'services worker exited with code 1' } });
    open.push(host);
    expect((await host.handlers['app.status']({})).restartNotice?.message).toBeTruthy();
    expect(logText(dataDir)).toContain('services worker exited with code 1');
  });

  it('a worker that cannot start rejects the start with the error it hit', async () => {
    const notADir = join(tempDir(), 'file');
    writeFileSync(notADir, 'x');
    const lines: string[] = [];
    await expect(startServicesInWorker({ dataDir: join(notADir, 'data'), version: 'test', forceTraining: true, log: recordingLog(lines) })).rejects.toThrow(/ENOTDIR/);
    // A start that failed is reported once, as that, not as a crash of running services.
    expect(lines).toEqual(['services did not start']);
    const missing = await rejectionOf(
      startServicesInWorker({ dataDir: tempDir(), version: 'test', workerFile: join(tempDir(), 'missing.cjs') }),
      AppError,
    );
    expect(missing.code).toBe('services.crashed');
    expect(missing.detail).toMatch(/Cannot find module/);
  });
});

function inputWithToken(view: SettingsView, token: string, allowPlaintextSecrets: boolean) {
  const { secretStorage: _where, ...rest } = view;
  return {
    ...rest,
    fiscal: { ...rest.fiscal, operatorPassword: undefined },
    lifepos: { ...rest.lifepos, enabled: true, orgGuid: 'org-1', token },
    lifepay: { ...rest.lifepay, apiKey: undefined },
    regos: { ...rest.regos, password: undefined },
    allowPlaintextSecrets,
  };
}

function recordingLog(errors: string[]) {
  return loggerOver((level, _fields, message) => {
    if (level === 'error') errors.push(message);
  }, () => undefined);
}
