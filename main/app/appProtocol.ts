import { net, protocol } from 'electron';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_HOST, APP_SCHEME } from '../security/appOrigin';
import { CONTENT_SECURITY_POLICY } from '../../preload/contract/contentSecurityPolicy';

/**
 * The renderer is served from app://cashier/ rather than file:// (Electron security checklist item 18):
 * file:// pages get broad privileges, a custom scheme gets exactly what we register.
 * Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
}

export function serveRendererOverAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const target = relative === '' || extname(relative) === '' ? 'index.html' : relative;
    const file = join(rendererDir, target);
    if (!file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 });
    const upstream = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(upstream.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(upstream.body, { status: upstream.status, headers });
  });
}
