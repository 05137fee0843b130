import { cpSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';

/**
 * Runs Doyensec's electronegativity over what decides the app's security posture: the Electron shell,
 * the preload bridge and the built page (for its CSP). Any finding of medium severity or above fails.
 */
const stage = mkdtempSync(join(tmpdir(), 'electronegativity-'));
try {
  if (!existsSync('dist/renderer/index.html')) throw new Error('dist/renderer/index.html missing: run npm run build:renderer first');
  cpSync('main/app', join(stage, 'main-app'), { recursive: true });
  cpSync('preload/index.ts', join(stage, 'preload.ts'));
  cpSync('dist/renderer/index.html', join(stage, 'index.html'));
  const electronVersion = (JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string }).version;
  const out = join(stage, 'report.sarif');
  execFileSync('npx', ['electronegativity', '-i', stage, '-e', electronVersion, '-s', 'medium', '-o', out, '-r', '-v', 'false'], { stdio: 'ignore' });
  const Sarif = z.object({ runs: z.array(z.object({ results: z.array(z.object({ ruleId: z.string(), level: z.string().optional(), message: z.object({ text: z.string() }).optional() })) })) });
  const findings = Sarif.parse(JSON.parse(readFileSync(out, 'utf8'))).runs.flatMap((r) => r.results);
  for (const f of findings) console.error(`electronegativity: ${f.ruleId} (${f.level ?? 'unknown'}) ${f.message?.text ?? ''}`);
  console.log(`electronegativity: ${findings.length} finding(s) of medium severity or above`);
  process.exitCode = findings.length === 0 ? 0 : 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
