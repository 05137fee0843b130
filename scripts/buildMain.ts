import { build } from 'esbuild';

/**
 * Bundles the Electron main process, the services worker it starts (main/host) and the preload
 * script. Native modules stay external so electron-builder can unpack and rebuild them for Electron's
 * ABI; the worker requires them from the same node_modules as main.cjs. The preload is fully bundled
 * because a sandboxed preload can only require('electron').
 */
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, logLevel: 'warning' } as const;
const nativeModules = ['better-sqlite3', 'serialport', '@serialport/*', 'electron-log'];
// The bundle always starts the worker from its bundled file (main.ts passes it); the host's other way,
// the TypeScript source through tsx's loader, is for running from source and needs import.meta,
// which CommonJS has not got.
const noSourceWorker = { 'import.meta.url': 'undefined', 'import.meta.resolve': 'undefined' };

await build({
  ...common,
  entryPoints: ['main/app/main.ts'],
  outfile: 'dist/main/app/main.cjs',
  external: ['electron', ...nativeModules],
  define: noSourceWorker,
});
// main.ts finds it at join(__dirname, '..', 'host', 'servicesWorker.cjs').
await build({
  ...common,
  entryPoints: ['main/host/servicesWorker.ts'],
  outfile: 'dist/main/host/servicesWorker.cjs',
  external: nativeModules,
});
await build({
  ...common,
  entryPoints: ['preload/index.ts'],
  outfile: 'dist/preload/index.cjs',
  external: ['electron'],
});
console.log('main, services worker and preload bundled into dist/');
