import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../preload/contract/contentSecurityPolicy';
import { registerAppScheme, serveRendererOverAppScheme } from './appProtocol';
import { protocol } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron'));

const root = mkdtempSync(join(tmpdir(), 'app-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Касса</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
afterAll(() => rmSync(root, { recursive: true, force: true }));

registerAppScheme();
serveRendererOverAppScheme(rendererDir);
const handler = protocol.handlers.get('app');
const get = async (url: string) => {
  if (!handler) throw new Error('app:// handler not registered');
  return handler(new Request(url));
};

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme without fetch()', () => {
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
  });

  it('serves the built files with the CSP (Trusted Types required) and nosniff', async () => {
    const res = await get('app://cashier/assets/app.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log(1)');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('content-security-policy')).toContain("require-trusted-types-for 'script'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers the app’s own routes (no extension) and the root with index.html', async () => {
    expect(await (await get('app://cashier/')).text()).toContain('<title>Касса</title>');
    expect(await (await get('app://cashier/settings')).text()).toContain('<title>Касса</title>');
  });

  it('refuses another host, paths that climb out of the renderer folder, and broken encodings', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://cashier/..%2Fsecret.txt')).status).toBe(403);
    expect((await get('app://cashier/assets/..%2F..%2F..%2Fsecret.txt')).status).toBe(403);
    // The URL parser folds plain dot segments itself: this one asks for /secret.txt inside the folder.
    const folded = await get('app://cashier/%2e%2e/%2e%2e/secret.txt');
    expect(folded.status).toBe(404);
    expect(await folded.text()).not.toContain('outside the renderer');
    expect((await get('app://cashier/%E0%A4%A')).status).toBe(400);
  });

  it('a missing asset is a 404 with the CSP still set', async () => {
    const res = await get('app://cashier/assets/missing.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
