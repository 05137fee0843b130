import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAllowedRequest, isAppUrl, isTrustedIpcSender } from './appOrigin';

const ours = { windowContentsId: 3, senderContentsId: 3, isMainFrame: true, frameUrl: `${APP_ORIGIN}/index.html` };

describe('app origin checks', () => {
  it('recognises our own page although Node calls its origin "null"', () => {
    expect(new URL(`${APP_ORIGIN}/index.html`).origin).toBe('null');
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isAppUrl(`${APP_ORIGIN}/`)).toBe(true);
  });

  it('refuses look-alikes and other schemes', () => {
    for (const url of ['app://cashier.evil/index.html', 'app://evil/index.html', 'app://user@cashier/', 'app://cashier:8080/',
      'https://cashier/', 'file:///index.html', 'http://127.0.0.1:5178/', 'not a url', '']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('trusts only our window main frame on app://', () => {
    expect(isTrustedIpcSender(ours)).toBe(true);
    expect(isTrustedIpcSender({ ...ours, senderContentsId: 4 })).toBe(false);
    expect(isTrustedIpcSender({ ...ours, windowContentsId: null })).toBe(false);
    expect(isTrustedIpcSender({ ...ours, isMainFrame: false })).toBe(false);
    expect(isTrustedIpcSender({ ...ours, frameUrl: 'https://example.com/' })).toBe(false);
    expect(isTrustedIpcSender({ ...ours, frameUrl: null })).toBe(false);
  });

  it('lets the session load only the app, DevTools and data URLs', () => {
    expect(isAllowedRequest(`${APP_ORIGIN}/assets/index.js`)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(isAllowedRequest('https://cdn.example.com/x.js')).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd')).toBe(false);
  });
});
