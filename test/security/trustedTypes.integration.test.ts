import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, serveApp, useChromium, WAIT, type ServedApp } from '../e2e/serveApp';

/**
 * Issue 16 point 5, the part served by the bridge: the page's Content-Security-Policy requires Trusted
 * Types and allows no policy, so no string reaches an HTML or script sink, while the real UI (React)
 * still renders without a single violation. (DevTools and the menu of the packaged app: main/app.)
 */
describe('Trusted Types on the served page', () => {
  const browser = useChromium();
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('the UI renders with no violation, and a string HTML sink or a new policy is refused', async () => {
    const csp = (await fetch(app.url)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).toContain("trusted-types 'none'");

    const { page, problems } = await openApp(browser(), app.url);
    await page.getByTestId('app-version').waitFor(WAIT);
    expect(problems).toEqual([]);

    const sink = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.injected=1">');
        return 'inserted';
      } catch (e) {
        return e instanceof TypeError ? 'refused' : String(e);
      }
    });
    expect(sink).toBe('refused');
    const policy = await page.evaluate(() => {
      try {
        (window as unknown as { trustedTypes: { createPolicy(name: string, rules: object): unknown } }).trustedTypes.createPolicy('bypass', { createHTML: (s: string) => s });
        return 'created';
      } catch {
        return 'refused';
      }
    });
    expect(policy).toBe('refused');
    await page.close();
  });
});
