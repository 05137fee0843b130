import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEDIUM_SEVERITY, scanElectronSecurity } from './electronegativityScan';

/**
 * `npm run security`: electronegativity over what decides the app's security posture — the Electron
 * shell, the preload bridge and the built page (for its CSP). Any finding of medium severity or above
 * fails; one reviewed and accepted carries an `eng-disable` comment with its reason at the line.
 */
const stage = mkdtempSync(join(tmpdir(), 'electronegativity-'));
try {
  if (!existsSync('dist/renderer/index.html')) throw new Error('dist/renderer/index.html missing: run npm run build:renderer first');
  cpSync('main/app', join(stage, 'main-app'), { recursive: true });
  cpSync('preload/index.ts', join(stage, 'preload.ts'));
  cpSync('dist/renderer/index.html', join(stage, 'index.html'));
  const findings = await scanElectronSecurity(stage);
  for (const f of findings) console.log(`electronegativity: ${f.severity.name} ${f.id} ${f.file}:${f.location.line} — ${f.description}`);
  const blocking = findings.filter((f) => f.severity.value >= MEDIUM_SEVERITY);
  console.log(`electronegativity: ${findings.length} finding(s), ${blocking.length} of medium severity or above`);
  process.exitCode = blocking.length === 0 ? 0 : 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
