import { build, type BuildOptions } from 'esbuild';

/**
 * The esbuild settings of the main-process bundles, shared by `npm run build:main` (scripts/buildMain.ts)
 * and the test that starts the bundled services worker (main/host/bundledWorker.integration.test.ts).
 * Native modules stay external so electron-builder can unpack and rebuild them for Electron's ABI; the
 * worker requires them from the same node_modules as main.cjs.
 */
export const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, logLevel: 'warning' } as const satisfies BuildOptions;
export const nativeModules = ['better-sqlite3', 'serialport', '@serialport/*', 'electron-log'];

/** main/app/main.ts finds it at join(__dirname, '..', 'host', 'servicesWorker.cjs'). */
export function bundleServicesWorker(outfile: string): Promise<unknown> {
  return build({ ...common, entryPoints: ['main/host/servicesWorker.ts'], outfile, external: nativeModules });
}
