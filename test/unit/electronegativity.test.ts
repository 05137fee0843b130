import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEDIUM_SEVERITY, scanElectronSecurity } from '../../scripts/electronegativityScan';

// The scan in `npm test` passes on our shell; this proves it would fail on an insecure one.
const dir = mkdtempSync(join(tmpdir(), 'eng-fixture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('electronegativity gate', () => {
  it('reports a window with node integration and no isolation at medium severity or above', async () => {
    writeFileSync(join(dir, 'main.js'), `const { BrowserWindow } = require('electron');
new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } }).loadURL('http://example.com');\n`);
    const findings = await scanElectronSecurity(dir);
    const blocking = findings.filter((f) => f.severity.value >= MEDIUM_SEVERITY).map((f) => f.id);
    expect(blocking).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
  }, 60_000);
});
