import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../preload/contract/contentSecurityPolicy';

const META_CSP = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
const root = fileURLToPath(new URL('.', import.meta.url));

// base './': the same build is loaded from Electron's app:// protocol and from the bridge server, so
// asset URLs must be relative. No inline scripts or styles anywhere: the CSP forbids them.
export default defineConfig({
  root,
  base: './',
  plugins: [
    react(),
    {
      // The built page carries the same CSP as the HTTP header, so it holds wherever the file is opened.
      // Build only: the dev server injects inline scripts of its own. frame-ancestors is left to the
      // header: browsers ignore it in a <meta> and log an error for it.
      name: 'cashier-csp-meta',
      apply: 'build',
      transformIndexHtml: (html) =>
        html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${META_CSP}" />`),
    },
  ],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'chrome120',
  },
  server: {
    host: '127.0.0.1',
    // Development against a running `npm run serve` (its port in CASHIER_API, e.g. http://127.0.0.1:5178).
    proxy: process.env.CASHIER_API ? { '/api': { target: process.env.CASHIER_API, changeOrigin: true } } : undefined,
  },
});
