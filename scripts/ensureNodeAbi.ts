import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * `npm start` rebuilds better-sqlite3 for Electron's ABI; the tests run under plain Node. Rebuild for
 * Node only when loading it actually fails with an ABI mismatch.
 */
const require = createRequire(import.meta.url);
try {
  const Database = require('better-sqlite3') as new (file: string) => { close(): void };
  new Database(':memory:').close();
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  if (!message.includes('NODE_MODULE_VERSION')) throw e;
  console.log('better-sqlite3 was built for Electron; rebuilding it for Node…');
  const r = spawnSync('npm', ['rebuild', 'better-sqlite3'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
