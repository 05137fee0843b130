import { net, protocol } from 'electron';
import { extname, join, resolve, sep } from 'node:path';
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
    const path = decodedPath(url);
    if (path === null) return new Response('Bad request', { status: 400 });
    // Resolved first, checked second: an encoded "../" (..%2F) must not lead out of the folder.
    const requested = resolve(rendererDir, `.${path}`);
    if (requested !== rendererDir && !requested.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 });
    const file = requested === rendererDir || extname(requested) === '' ? join(rendererDir, 'index.html') : requested;
    const upstream = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(upstream.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(upstream.body, { status: upstream.status, headers });
  });
}

function decodedPath(url: URL): string | null {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    // decodeURIComponent throws only URIError: a malformed %-sequence.
    return null;
  }
}
