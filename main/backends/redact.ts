/**
 * API keys, bearer tokens and REGOS Basic credentials must never reach a log line, an error message
 * or an error's `detail`. Every string that leaves the HTTP layer passes through here.
 */
const MASK = '***';
/** Short values (a PIN-like "1") would mask ordinary words: secrets shorter than this are not searched. */
const MIN_SECRET_LENGTH = 4;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      out = out.split(form).join(MASK);
    }
  }
  return out;
}

/** Raw bodies go into `detail` for the log, bounded so a 5 MB HTML error page cannot flood it. */
export const DETAIL_LIMIT = 2000;

export function truncateForDetail(text: string, limit = DETAIL_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… [${text.length - limit} more chars]`;
}
