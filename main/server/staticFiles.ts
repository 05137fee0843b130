import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../../preload/contract/contentSecurityPolicy';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The page learns the bridge token from this tag; only a page served by us can read it (same origin). */
export const TOKEN_PLACEHOLDER = '__CASHIER_TOKEN__';

/**
 * Serves the built renderer; unknown paths fall back to index.html (the app routes in memory).
 * `pathname` is already decoded (the server answers 400 to a malformed %-escape before this).
 */
export async function serveStatic(root: string, pathname: string, token: string, res: ServerResponse): Promise<void> {
  const relative = normalize(pathname).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  // Paths without an extension are the app's own routes; a missing asset is a real 404.
  const body = (await readExisting(file)) ?? (extname(relative) === '' ? await readExisting(join(root, 'index.html')) : null);
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Интерфейс не собран: выполните npm run build:renderer');
    return;
  }
  const isIndex = body.file.endsWith('index.html');
  const headers = {
    'content-type': TYPES[extname(body.file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
  };
  res.writeHead(200, headers);
  res.end(isIndex ? body.data.toString('utf8').replace(TOKEN_PLACEHOLDER, token) : body.data);
}

async function readExisting(file: string): Promise<{ file: string; data: Buffer } | null> {
  try {
    return { file, data: await readFile(file) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw e;
  }
}
