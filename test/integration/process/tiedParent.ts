import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { exitWithParent, spawnNodeTied } from '../../../emulators/parentLifeline';
import { startSocatPair } from '../../../emulators/socat';
import { spawnEmulatorProcess } from '../../../emulators/shtrih/process';

/**
 * The parent that diesWithParent.integration.test.ts kills with SIGKILL: it starts, the way tests and
 * `npm start` do, each kind of child process we run, prints `{"children": {name: pid}}` once all are up,
 * and then only waits. Its own parent (the test) ties it too, so nothing outlives a failed test.
 */
exitWithParent();
const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tied-parent-'));

const http = spawnNodeTied(['--import', 'tsx', resolve(root, 'emulators/http/cli.ts'), '--service', 'regos', '--state', join(dir, 'regos.json')], { cwd: root, stdout: 'pipe' });
if (!http.stdout) throw new Error('the HTTP emulator’s output is not piped');
await new Promise<void>((ready, fail) => {
  createInterface({ input: http.stdout! }).once('line', () => ready());
  http.once('exit', (code) => fail(new Error(`the HTTP emulator exited (${String(code)}) before listening`)));
});
const pair = await startSocatPair(dir);
const shtrih = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: join(dir, 'fn.json'), baudRate: 0 });

process.stdout.write(`${JSON.stringify({ children: { http: http.pid, socat: pair.pid, shtrih: shtrih.pid }, dir })}\n`);
