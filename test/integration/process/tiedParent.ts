import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitWithParent, spawnNodeTied } from '../../../emulators/parentLifeline';
import { startSocatPair } from '../../../emulators/socat';
import { spawnEmulatorProcess } from '../../../emulators/shtrih/process';
import { lineFrom } from './lineFrom';

/**
 * The parent that diesWithParent.integration.test.ts kills with SIGKILL. `devices`: each kind of child
 * process the tests run (an HTTP back-end emulator, a socat pair, a Shtrih-M emulator process); `server`:
 * `npm run serve`'s supervisor in training mode, started as `npm start` starts it. It prints
 * `{"children": {name: pid}, "dir": …}` once all are up, then only waits. The test ties it too, so
 * nothing outlives a failed test.
 */
exitWithParent();
const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tied-parent-'));

async function devices(): Promise<Record<string, number | undefined>> {
  const http = spawnNodeTied(['--import', 'tsx', resolve(root, 'emulators/http/cli.ts'), '--service', 'regos', '--state', join(dir, 'regos.json')], { cwd: root, stdout: 'pipe' });
  await lineFrom(http, /url/, 'the HTTP emulator');
  const pair = await startSocatPair(dir);
  const shtrih = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: join(dir, 'fn.json'), baudRate: 0 });
  return { http: http.pid, socat: pair.pid, shtrih: shtrih.pid };
}

async function server(): Promise<Record<string, number | undefined>> {
  const serve = spawnNodeTied([...process.execArgv, resolve(root, 'main/server/serve.ts'), '--port', '0', '--data-dir', join(dir, 'data'), '--training'], { cwd: root, stdout: 'pipe' });
  await lineFrom(serve, /^Listening on /, 'npm run serve');
  return { serve: serve.pid };
}

const children = process.argv[2] === 'server' ? await server() : await devices();
process.stdout.write(`${JSON.stringify({ children, dir })}\n`);
