import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { build } from 'esbuild';
import { LOGIN_ITEM_NAME, SYSTEMD_UNIT } from '../../main/app/autostartNames';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../../main/shutdown';

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

/** A systemd unit file as systemd reads it: sections of Key=Value lines, # and ; comments. */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section?.[1]) {
      current = sections[section[1]] = {};
      continue;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv?.[1] || kv[2] === undefined || !current) throw new Error(`not a unit file line: ${raw}`);
    (current[kv[1]] ??= []).push(kv[2]);
  }
  return sections;
}

describe('start on login and restart after a crash: packaging files', () => {
  const deb = config.deb as { fpm: string[]; afterInstall: string };
  const nsis = config.nsis as Record<string, unknown>;
  const unitPath = `build/linux/${SYSTEMD_UNIT}`;
  const unitText = readFileSync(unitPath, 'utf8');
  const unit = parseUnit(unitText);

  it('the deb installs the systemd user unit the app enables (same name as main/app)', () => {
    expect(deb.fpm).toContain(`${unitPath}=/usr/lib/systemd/user/${SYSTEMD_UNIT}`);
    for (const mapping of deb.fpm) expect(existsSync(mapping.split('=')[0] ?? ''), mapping).toBe(true);
  });

  it('the unit restarts on failure only, starts the deb’s command with the session, and outwaits the shutdown', () => {
    expect(unit.Service?.Restart).toEqual(['on-failure']);
    expect(unit.Service?.ExecStart).toEqual([`/usr/bin/${String(config.executableName)}`]);
    expect(unit.Service?.KillMode).toEqual(['mixed']);
    expect(Number(unit.Service?.TimeoutStopSec?.[0]) * 1000).toBeGreaterThan(DEFAULT_SHUTDOWN_TIMEOUT_MS);
    expect(Number(unit.Service?.RestartSec?.[0])).toBeGreaterThan(0);
    expect(unit.Install?.WantedBy).toEqual(['graphical-session.target']);
    expect(unit.Unit?.PartOf).toEqual(['graphical-session.target']);
    expect(Number(unit.Unit?.StartLimitBurst?.[0])).toBeGreaterThan(1);
  });

  it('the parser refuses what is not a unit file', () => {
    expect(() => parseUnit('[Service]\nRestart on-failure\n')).toThrow(/not a unit file line/);
  });

  const analyze = spawnSync('systemd-analyze', ['--version']);
  const noAnalyze = analyze.error ? 'systemd-analyze not installed: the unit is checked by its keys only' : '';
  if (noAnalyze) console.log(noAnalyze);
  it.skipIf(Boolean(noAnalyze))(`systemd-analyze verify finds nothing to say about the unit${noAnalyze ? ` — skipped: ${noAnalyze}` : ''}`, () => {
    // verify also checks that ExecStart exists: point it at an executable this machine has.
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    try {
      const verify = (text: string) => {
        writeFileSync(join(dir, SYSTEMD_UNIT), text.replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath}`));
        return spawnSync('systemd-analyze', ['verify', join(dir, SYSTEMD_UNIT)], { encoding: 'utf8' });
      };
      const ours = verify(unitText);
      expect(ours.stderr).toBe('');
      expect(ours.status).toBe(0);
      // The check can fail: a misspelt key is reported.
      expect(verify(unitText.replace('KillMode=', 'KilMode=')).stderr).toMatch(/Unknown key 'KilMode'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the deb’s postinst is valid shell and makes the command the unit starts', () => {
    expect(spawnSync('bash', ['-n', deb.afterInstall]).status).toBe(0);
    const script = readFileSync(deb.afterInstall, 'utf8');
    expect(script).toContain("ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'");
    expect(script).toContain('udevadm control --reload-rules');
  });

  it('NSIS: the uninstaller removes the login item the app registers, keeps the data folder, and the app starts after install', () => {
    expect(nsis).toMatchObject({ include: 'build/installer.nsh', deleteAppDataOnUninstall: false, runAfterFinish: true });
    const include = readFileSync(String(nsis.include), 'utf8');
    const macro = /!macro customUnInstall\n([\s\S]*?)!macroend/.exec(include)?.[1] ?? '';
    expect(macro).toContain(`DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "${LOGIN_ITEM_NAME}"`);
    expect(LOGIN_ITEM_NAME).toBe(config.appId);
  });
});
