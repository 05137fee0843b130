import type { BackendName, Connectivity } from '../../preload/contract/domain';
import { isBackendError } from './backendError';

/** A real, cheap request to the back end; resolves when the service answered. */
export type ProbeFn = (signal: AbortSignal, timeoutMs: number) => Promise<void>;

export type ConnectivityListener = (backend: BackendName, state: Connectivity) => void;

/** What the outbox worker and the REGOS gate consume. */
export interface ConnectivitySource {
  state(backend: BackendName): Connectivity;
  on(event: 'change', listener: ConnectivityListener): () => void;
}

export interface ConnectivityMonitorOptions {
  probes: Partial<Record<BackendName, ProbeFn>>;
  /** Between background checks. */
  intervalMs?: number;
  /** A probe slower than this counts as no answer. */
  timeoutMs?: number;
  /** A probe that answers but slower than this marks the back end degraded. */
  slowMs?: number;
  now?: () => number;
}

const BACKENDS: readonly BackendName[] = ['lifepos', 'lifepay', 'regos'];

/**
 * Whether each back end answers now, from real requests (navigator.onLine says nothing about a VCR
 * service or a blocked API host). Background probes run on an interval; real traffic reports its
 * outcome through reportSuccess / reportFailure so a failure is seen at once, not at the next probe.
 */
export class ConnectivityMonitor implements ConnectivitySource {
  private readonly probes: Partial<Record<BackendName, ProbeFn>>;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly slowMs: number;
  private readonly now: () => number;
  private readonly states = new Map<BackendName, Connectivity>();
  private readonly listeners = new Set<ConnectivityListener>();
  private readonly inFlight = new Map<BackendName, Promise<Connectivity>>();
  private stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: ConnectivityMonitorOptions) {
    this.probes = opts.probes;
    this.intervalMs = opts.intervalMs ?? 15_000;
    this.timeoutMs = opts.timeoutMs ?? 3_000;
    this.slowMs = opts.slowMs ?? 1_500;
    this.now = opts.now ?? Date.now;
  }

  state(backend: BackendName): Connectivity {
    return this.states.get(backend) ?? 'unknown';
  }

  snapshot(): Record<BackendName, Connectivity> {
    return { lifepos: this.state('lifepos'), lifepay: this.state('lifepay'), regos: this.state('regos') };
  }

  on(_event: 'change', listener: ConnectivityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer) return;
    this.stopping = new AbortController();
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and aborts probes in flight; resolves when they have settled. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Probes one back end now (joining a probe already running). Unconfigured back ends stay 'unknown'. */
  checkNow(backend: BackendName): Promise<Connectivity> {
    const running = this.inFlight.get(backend);
    if (running) return running;
    const probe = this.probes[backend];
    if (!probe) return Promise.resolve(this.state(backend));
    const p = this.runProbe(backend, probe).finally(() => this.inFlight.delete(backend));
    this.inFlight.set(backend, p);
    return p;
  }

  async checkAll(): Promise<Record<BackendName, Connectivity>> {
    await Promise.all(BACKENDS.map((b) => this.checkNow(b)));
    return this.snapshot();
  }

  /** Real traffic got an answer. A slow one marks the back end degraded. */
  reportSuccess(backend: BackendName, latencyMs?: number): void {
    this.set(backend, latencyMs !== undefined && latencyMs > this.slowMs ? 'degraded' : 'online');
  }

  /** Real traffic failed: only failures that say something about reachability change the state. */
  reportFailure(backend: BackendName, error: unknown): void {
    const state = connectivityOf(error);
    if (state) this.set(backend, state);
  }

  private async runProbe(backend: BackendName, probe: ProbeFn): Promise<Connectivity> {
    const started = this.now();
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.timeoutMs)]);
    try {
      await boundedBy(probe(signal, this.timeoutMs), signal);
      this.reportSuccess(backend, this.now() - started);
    } catch (e) {
      if (this.stopping.signal.aborted) return this.state(backend);
      // A probe that answered with a 4xx reached the server: connectivityOf says 'online' for it.
      this.set(backend, connectivityOf(e) ?? 'online');
    }
    return this.state(backend);
  }

  private set(backend: BackendName, state: Connectivity): void {
    if (this.states.get(backend) === state) return;
    this.states.set(backend, state);
    for (const l of this.listeners) l(backend, state);
  }
}

/**
 * What a failure says about reachability: undefined when it says nothing (our own invalid request).
 * No answer → offline; an answer that is an outage (5xx, 429, garbage, a cut connection) → degraded;
 * any other answer (a 4xx, a business refusal) → the service is up.
 */
export function connectivityOf(error: unknown): Connectivity | undefined {
  if (!isBackendError(error)) return 'offline';
  switch (error.failure) {
    case 'unreachable':
    case 'timeout':
      return 'offline';
    case 'dropped':
    case 'bad_response':
      return 'degraded';
    case 'http': {
      const s = error.httpStatus;
      return s === undefined || s >= 500 || s === 429 || s === 408 ? 'degraded' : 'online';
    }
    case 'rejected':
      return 'online';
    case 'invalid_request':
    case 'throttled':
      return undefined;
  }
}

/** A probe that ignores its signal must not hold the monitor past the timeout. */
function boundedBy<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('probe aborted'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
