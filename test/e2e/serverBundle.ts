import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * Vitest global set-up of the e2e project: `npm run serve`'s CLI (main/server/cli.ts) bundled once per
 * run with esbuild, so each test's training server starts with plain `node` instead of `npx tsx`
 * compiling the whole main process again (about 6 s instead of 15–20 s on a loaded 2-core machine, and
 * the e2e files start a server per test). The same sources, transformed by the same esbuild that tsx
 * uses; `npm start`'s own tsx path stays covered by npmStart.e2e.test.ts.
 * It sits two folders below the root, as cli.ts does, because cli.ts finds package.json and
 * dist/renderer relative to its own file. One file per run: other runs on this machine build their own.
 */
export const SERVER_BUNDLE_ENV = 'E2E_SERVER_BUNDLE';

export default async function setup(): Promise<() => void> {
  const dir = resolve(import.meta.dirname, '../../dist/server');
  mkdirSync(dir, { recursive: true });
  const outfile = resolve(dir, `e2e-${process.pid}.mjs`);
  await build({
    entryPoints: [resolve(import.meta.dirname, '../../main/server/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  // Read by serveApp() in the test workers, which vitest starts with this process's environment.
  process.env[SERVER_BUNDLE_ENV] = outfile;
  return () => {
    rmSync(outfile, { force: true });
    rmSync(`${outfile}.map`, { force: true });
  };
}
