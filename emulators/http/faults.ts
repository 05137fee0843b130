import { z } from 'zod';

/**
 * Fault injection shared by the three back-end emulators. Tests in the same process call the methods;
 * a test driving an emulator in another process posts a FaultSpec to /__control/faults.
 *
 * One-shot rules are consumed in the order they were added, each by the first requests it matches.
 */
export const FaultMatch = z.object({
  method: z.string().optional(),
  pathIncludes: z.string().optional(),
  /** JSON-RPC method name (REGOS), read from the request body. */
  rpcMethod: z.string().optional(),
});
export type FaultMatch = z.infer<typeof FaultMatch>;

const times = z.number().int().positive().default(1);

export const FaultRule = z.discriminatedUnion('kind', [
  /** Answer with this status instead of handling the request (nothing applied); a 3xx fetch does not follow (300, 304) reaches the client as it is. */
  z.object({ kind: z.literal('status'), status: z.number().int().min(300).max(599).default(500), times, match: FaultMatch.optional() }),
  /** 429 with a Retry-After header (seconds or an HTTP date), nothing applied. */
  z.object({ kind: z.literal('rateLimit'), retryAfter: z.union([z.number().int().nonnegative(), z.string()]), times, match: FaultMatch.optional() }),
  /** The effect is applied, then the answer is cut JSON with status 200 (a broken proxy). */
  z.object({ kind: z.literal('malformed'), times, match: FaultMatch.optional() }),
  /** The socket is destroyed before the request is handled (nothing applied). */
  z.object({ kind: z.literal('drop'), times, match: FaultMatch.optional() }),
  /** The effect is applied, then the socket is destroyed: the case that makes idempotency matter. */
  z.object({ kind: z.literal('loseResponse'), times, match: FaultMatch.optional() }),
]);
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultRuleInput = z.input<typeof FaultRule>;

export const FaultSpec = z.object({
  reset: z.boolean().optional(),
  latencyMs: z.number().int().nonnegative().optional(),
  /** Refuse connections (the listener closes) until set back to false. */
  offline: z.boolean().optional(),
  rules: z.array(FaultRule).optional(),
});
export type FaultSpec = z.input<typeof FaultSpec>;

export interface RequestKey {
  method: string;
  path: string;
  rpcMethod?: string;
}

export class FaultControls {
  private rules: { rule: FaultRule; left: number }[] = [];
  private latency = 0;
  private offlineNow = false;
  private readonly setListening: (offline: boolean) => Promise<void>;

  constructor(setListening: (offline: boolean) => Promise<void>) {
    this.setListening = setListening;
  }

  get latencyMs(): number {
    return this.latency;
  }

  get offline(): boolean {
    return this.offlineNow;
  }

  /** Added before every answer (after the effect is applied, so a client timeout leaves the effect). */
  setLatency(ms: number): void {
    this.latency = ms;
  }

  add(rule: FaultRuleInput): void {
    const parsed = FaultRule.parse(rule);
    this.rules.push({ rule: parsed, left: parsed.times });
  }

  failNext(times = 1, opts: { status?: number; match?: FaultMatch } = {}): void {
    this.add({ kind: 'status', status: opts.status ?? 500, times, match: opts.match });
  }

  rateLimitNext(times: number, retryAfter: number | string, match?: FaultMatch): void {
    this.add({ kind: 'rateLimit', retryAfter, times, match });
  }

  malformedNext(times = 1, match?: FaultMatch): void {
    this.add({ kind: 'malformed', times, match });
  }

  dropNext(times = 1, match?: FaultMatch): void {
    this.add({ kind: 'drop', times, match });
  }

  loseResponseNext(times = 1, match?: FaultMatch): void {
    this.add({ kind: 'loseResponse', times, match });
  }

  async setOffline(offline: boolean): Promise<void> {
    if (offline === this.offlineNow) return;
    await this.setListening(offline);
    this.offlineNow = offline;
  }

  async apply(spec: FaultSpec): Promise<void> {
    const parsed = FaultSpec.parse(spec);
    if (parsed.reset) await this.reset();
    if (parsed.latencyMs !== undefined) this.setLatency(parsed.latencyMs);
    for (const rule of parsed.rules ?? []) this.add(rule);
    if (parsed.offline !== undefined) await this.setOffline(parsed.offline);
  }

  async reset(): Promise<void> {
    this.rules = [];
    this.latency = 0;
    await this.setOffline(false);
  }

  /** Consumes one use of the first rule matching this request. */
  take(key: RequestKey): FaultRule | undefined {
    const found = this.rules.find((r) => r.left > 0 && matches(r.rule.match, key));
    if (!found) return undefined;
    found.left -= 1;
    this.rules = this.rules.filter((r) => r.left > 0);
    return found.rule;
  }
}

function matches(match: FaultMatch | undefined, key: RequestKey): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== key.method.toUpperCase()) return false;
  if (match.pathIncludes !== undefined && !key.path.includes(match.pathIncludes)) return false;
  if (match.rpcMethod !== undefined && match.rpcMethod !== key.rpcMethod) return false;
  return true;
}
