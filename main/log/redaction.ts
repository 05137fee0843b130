/**
 * Secrets never reach a log file: a field whose name says it holds a credential is masked whatever its
 * value, and every configured secret value is masked wherever it appears (inside a URL, an error text,
 * a JSON body quoted into a message).
 */
export const MASK = '***';

/** Names like token, accessToken, password, apiKey, api_key, Authorization, auth, secret, cookie. */
const SECRET_KEY = /token|passw(or)?d|pwd|api[-_]?key|auth|secret|cookie/i;
/** Masking "1" or "ab" would garble ordinary words; operator passwords this short are masked by name. */
const MIN_SECRET_LENGTH = 4;
const MAX_DEPTH = 8;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const s of initial) this.add(s);
  }

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    // The same secret shows up percent-encoded in URLs and backslash-escaped inside JSON strings.
    for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) this.secrets.add(form);
  }

  text(input: string): string {
    let out = input;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
    return out;
  }

  /** A JSON-safe copy of `value` with secret-named fields and secret values masked. */
  value(value: unknown): unknown {
    return this.walk(value, 0, new WeakSet());
  }

  private walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'bigint') return value.toString();
    if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[…]';
    seen.add(value);
    if (value instanceof Error) return this.walk(errorFields(value), depth + 1, seen);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1, seen));
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== null && v !== undefined ? MASK : this.walk(v, depth + 1, seen);
    return out;
  }
}

/** An Error's own fields (AppError's code, retry, detail, deviceCode ...) plus name, message and stack. */
function errorFields(e: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: e.name, message: e.message };
  for (const [k, v] of Object.entries(e)) if (v !== undefined) fields[k] = v;
  if (e.stack) fields.stack = e.stack;
  if (e.cause !== undefined) fields.cause = e.cause;
  return fields;
}
