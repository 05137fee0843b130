import { build } from 'esbuild';
import { bundleServicesWorker, common, nativeModules } from './mainBundles';

/**
 * Bundles the Electron main process, the services worker it starts (main/host) and the preload
 * script. The preload is fully bundled because a sandboxed preload can only require('electron').
 */
// The bundle always starts the worker from its bundled file (main.ts passes it); the host's other way,
// the TypeScript source through tsx's loader, is for running from source and needs import.meta,
// which CommonJS has not got (esbuild would leave it empty anyway; this says so without a warning).
const noSourceWorker = { 'import.meta.url': 'undefined', 'import.meta.resolve': 'undefined' };

await build({
  ...common,
  entryPoints: ['main/app/main.ts'],
  outfile: 'dist/main/app/main.cjs',
  external: ['electron', ...nativeModules],
  define: noSourceWorker,
});
await bundleServicesWorker('dist/main/host/servicesWorker.cjs');
await build({
  ...common,
  entryPoints: ['preload/index.ts'],
  outfile: 'dist/preload/index.cjs',
  external: ['electron'],
});
console.log('main, services worker and preload bundled into dist/');
