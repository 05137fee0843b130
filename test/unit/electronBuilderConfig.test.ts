import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { build } from 'esbuild';

// electron-builder cannot package here (it downloads Electron), so its own schema is the check we can run.
const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('electron-builder.yml', () => {
  it('is valid against the schema electron-builder ships', () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check catches a broken file', () => {
    expect(validate({ ...config, asarUnpack: 42 })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).toBe(false);
  });

  it('builds AppImage, deb and NSIS with native modules unpacked and fuses set', () => {
    const linux = config.linux as { target: string[] };
    expect(linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(JSON.stringify(config.win)).toContain('nsis');
    const unpack = (config.asarUnpack as string[]).join(' ');
    expect(unpack).toContain('better-sqlite3');
    expect(unpack).toContain('serialport');
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableNodeOptionsEnvironmentVariable: false });
  });

  it('main/app bundles with every external resolvable from the shipped dependencies', async () => {
    const result = await build({
      entryPoints: ['main/app/main.ts'], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true,
      external: ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'electron-log'], logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const externals = new Set<string>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const imp of output.imports) if (imp.external && !imp.path.startsWith('node:')) externals.add(imp.path.split('/').slice(0, imp.path.startsWith('@') ? 2 : 1).join('/'));
    }
    const builtins = new Set(require('node:module').builtinModules as string[]);
    for (const name of externals) {
      if (name === 'electron' || builtins.has(name)) continue;
      expect(Object.keys(pkg.dependencies), `${name} must be a runtime dependency`).toContain(name);
    }
    expect(pkg.main).toBe('dist/main/app/main.cjs');
  });
});
