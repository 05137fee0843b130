import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../preload/contract';
import { validatingClient } from './client';
import type { RawBridge } from './httpBridge';

const status: AppStatus = {
  version: '0.1.0', trainingMode: true, currency: 'RUB',
  backends: { lifepos: 'online', lifepay: 'unknown', regos: 'offline' },
  printer: { state: 'ready', message: 'Готов' }, shift: { state: 'open', number: 3 },
};

function fakeBridge(answer: unknown | (() => Promise<unknown>)) {
  const emit = new Map<string, (payload: unknown) => void>();
  const raw: RawBridge = {
    call: async () => (typeof answer === 'function' ? (answer as () => Promise<unknown>)() : answer),
    on: (name, listener) => {
      emit.set(name, listener);
      return () => emit.delete(name);
    },
  };
  return { raw, emit: (name: string, payload: unknown) => emit.get(name)?.(payload) };
}

describe('validating client', () => {
  it('passes a well-formed answer through', async () => {
    const client = validatingClient(fakeBridge({ ok: true, value: status }).raw);
    expect(await client.call('app.status', {})).toEqual({ ok: true, value: status });
  });

  it('passes a server error through with its code and device code', async () => {
    const error = { code: 'printer.paper_out', message: 'Вставьте чековую ленту', deviceCode: 0x6b };
    const client = validatingClient(fakeBridge({ ok: false, error }).raw);
    expect(await client.call('app.status', {})).toEqual({ ok: false, error });
  });

  it('turns an answer that breaks the contract into a Russian error for IT, never a value', async () => {
    const client = validatingClient(fakeBridge({ ok: true, value: { ...status, currency: 'USD' } }).raw);
    const r = await client.call('app.status', {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('contract.bad_answer');
    expect(!r.ok && r.error.detail).toMatch(/currency/);
    const garbage = validatingClient(fakeBridge('<html>').raw);
    expect((await garbage.call('app.status', {})).ok).toBe(false);
  });

  it('turns a rejected bridge call into an error answer', async () => {
    const client = validatingClient(fakeBridge(() => Promise.reject(new Error('ipc gone'))).raw);
    const r = await client.call('app.status', {});
    expect(!r.ok && r.error.code).toBe('bridge.failed');
  });

  it('drops events that break the contract and replays the last good one to late listeners', () => {
    const { raw, emit } = fakeBridge(null);
    const client = validatingClient(raw);
    const first: unknown[] = [];
    client.on('printer.status', (p) => first.push(p));
    emit('printer.status', { state: 'paperOut', message: 'Вставьте чековую ленту', deviceCode: 107 });
    emit('printer.status', { state: 'on fire', message: 'x' });
    expect(first).toEqual([{ state: 'paperOut', message: 'Вставьте чековую ленту', deviceCode: 107 }]);
    const late: unknown[] = [];
    const off = client.on('printer.status', (p) => late.push(p));
    expect(late).toEqual(first);
    off();
    emit('printer.status', { state: 'ready', message: 'Готов' });
    expect(late).toHaveLength(1);
    expect(first).toHaveLength(2);
  });
});
