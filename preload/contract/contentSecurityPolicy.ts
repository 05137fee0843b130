/**
 * One Content-Security-Policy for the renderer wherever it is served (Electron's app:// protocol and the
 * bridge server). Nothing remote, nothing inline, no eval: the UI only ever talks to its own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
