/**
 * One Content-Security-Policy for the renderer wherever it is served (Electron's app:// protocol and the
 * bridge server). Nothing remote, nothing inline, no eval: the UI only ever talks to its own origin.
 * Trusted Types are required and no policy may be created, so a string can never reach an HTML or script
 * sink (innerHTML, script src, eval): React renders through DOM calls and needs none (W3C Trusted Types,
 * `require-trusted-types-for` and `trusted-types` directives).
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
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');
