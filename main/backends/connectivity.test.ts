import { describe, expect, it } from 'vitest';
import type { BackendName, Connectivity } from '../../preload/contract/domain';
import { BackendError, type BackendFailure } from './backendError';
import { ConnectivityMonitor, connectivityOf, type ProbeFn } from './connectivity';

const fail = (failure: BackendFailure, httpStatus?: number): BackendError =>
  new BackendError({ backend: 'lifepos', failure, httpStatus, code: 'x', message: 'x' });

function recorder(m: ConnectivityMonitor): Array<[BackendName, Connectivity]> {
  const seen: Array<[BackendName, Connectivity]> = [];
  m.on('change', (b, s) => seen.push([b, s]));
  return seen;
}

describe('connectivityOf', () => {
  it('no answer is offline, an outage answer is degraded, any other answer is online', () => {
    expect(connectivityOf(fail('unreachable'))).toBe('offline');
    expect(connectivityOf(fail('timeout'))).toBe('offline');
    expect(connectivityOf(new TypeError('fetch failed'))).toBe('offline');
    expect(connectivityOf(fail('http', 503))).toBe('degraded');
    expect(connectivityOf(fail('http', 429))).toBe('degraded');
    expect(connectivityOf(fail('dropped'))).toBe('degraded');
    expect(connectivityOf(fail('bad_response'))).toBe('degraded');
    expect(connectivityOf(fail('http', 401))).toBe('online');
    expect(connectivityOf(fail('rejected'))).toBe('online');
    expect(connectivityOf(fail('invalid_request'))).toBeUndefined();
    expect(connectivityOf(fail('throttled'))).toBeUndefined();
  });
});

describe('ConnectivityMonitor', () => {
  it('starts unknown, follows probe outcomes and emits only on change', async () => {
    let outcome: () => Promise<void> = async () => undefined;
    const m = new ConnectivityMonitor({ probes: { regos: () => outcome() } });
    const seen = recorder(m);
    expect(m.state('regos')).toBe('unknown');
    expect(await m.checkNow('regos')).toBe('online');
    expect(await m.checkNow('regos')).toBe('online');
    outcome = async () => {
      throw fail('unreachable');
    };
    expect(await m.checkNow('regos')).toBe('offline');
    outcome = async () => {
      throw fail('http', 500);
    };
    expect(await m.checkNow('regos')).toBe('degraded');
    outcome = async () => {
      throw fail('http', 401);
    };
    expect(await m.checkNow('regos')).toBe('online');
    expect(seen).toEqual([['regos', 'online'], ['regos', 'offline'], ['regos', 'degraded'], ['regos', 'online']]);
    expect(m.state('lifepay')).toBe('unknown');
    expect(await m.checkNow('lifepay')).toBe('unknown');
  });

  it('a slow answer is degraded', async () => {
    let t = 0;
    const m = new ConnectivityMonitor({ probes: { lifepos: async () => { t += 2000; } }, slowMs: 1500, now: () => t });
    expect(await m.checkNow('lifepos')).toBe('degraded');
  });

  it('a probe that never answers (and ignores its signal) is offline after the timeout', async () => {
    const hang: ProbeFn = () => new Promise<void>(() => undefined);
    const m = new ConnectivityMonitor({ probes: { lifepay: hang }, timeoutMs: 50 });
    expect(await m.checkNow('lifepay')).toBe('offline');
  });

  it('joins a probe already running instead of starting another', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const m = new ConnectivityMonitor({ probes: { regos: () => { calls++; return new Promise<void>((r) => { release = r; }); } } });
    const a = m.checkNow('regos');
    const b = m.checkNow('regos');
    release();
    expect(await Promise.all([a, b])).toEqual(['online', 'online']);
    expect(calls).toBe(1);
  });

  it('real traffic updates the state at once', () => {
    const m = new ConnectivityMonitor({ probes: {} });
    const seen = recorder(m);
    m.reportFailure('lifepos', fail('timeout'));
    m.reportFailure('lifepos', fail('invalid_request'));
    m.reportSuccess('lifepos', 10);
    m.reportSuccess('lifepos', 10_000);
    expect(seen).toEqual([['lifepos', 'offline'], ['lifepos', 'online'], ['lifepos', 'degraded']]);
    expect(m.snapshot()).toEqual({ lifepos: 'degraded', lifepay: 'unknown', regos: 'unknown' });
  });

  it('probes on an interval once started, and stop() aborts a probe in flight', async () => {
    let calls = 0;
    let aborted = false;
    const m = new ConnectivityMonitor({
      intervalMs: 10,
      probes: {
        lifepos: (signal) => {
          calls++;
          if (calls < 3) return Promise.resolve();
          return new Promise<void>((_, reject) => signal.addEventListener('abort', () => { aborted = true; reject(new Error('aborted')); }));
        },
      },
    });
    const third = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (calls >= 3) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    m.start();
    await third;
    await m.stop();
    expect(aborted).toBe(true);
    expect(m.state('lifepos')).toBe('online');
  });
});
