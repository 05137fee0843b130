import { build } from 'esbuild';

/**
 * Bundles the Electron main process and the preload script. Native modules stay external so
 * electron-builder can unpack and rebuild them for Electron's ABI; the preload is fully bundled
 * because a sandboxed preload can only require('electron').
 */
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, logLevel: 'warning' } as const;

await build({
  ...common,
  entryPoints: ['main/app/main.ts'],
  outfile: 'dist/main/app/main.cjs',
  external: ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'electron-log'],
});
await build({
  ...common,
  entryPoints: ['preload/index.ts'],
  outfile: 'dist/preload/index.cjs',
  external: ['electron'],
});
console.log('main and preload bundled into dist/');
