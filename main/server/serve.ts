import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exitWithParent, spawnNodeTied } from '../../emulators/parentLifeline';
import { createLogger } from '../log/logger';
import { secureDataFolder } from '../security/dataFolderModes';
import { defaultDataDir } from './dataDirOption';
import { supervise } from './supervisor';

/**
 * `npm run serve`: the bridge server (./cli.ts, same arguments) under a supervisor that starts it again
 * after a crash, for browser-kiosk installs that have no Electron shell (and so no systemd unit or login
 * item around it). Restarts are logged to `<data folder>/logs/supervisor.log` and the console.
 * The server ends with the supervisor, and the supervisor with `npm start`, even when either is killed outright.
 */
const args = process.argv.slice(2);
const { values } = parseArgs({ args, strict: false, options: { 'data-dir': { type: 'string' } } });
const dataDir = resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir());
// The supervisor writes to the folder first (its own log): owner-only modes and umask 077 before that.
secureDataFolder(dataDir);
const log = createLogger({ dir: join(dataDir, 'logs'), fileName: 'supervisor.log', console: 'info' });

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const supervisor = supervise({
  // This process's execArgv, so the child runs under tsx too.
  spawn: () => spawnNodeTied([...process.execArgv, cli, ...args], { stdout: 'pipe' }),
  ready: /^Listening on /,
  log,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => supervisor.stop(signal));
exitWithParent();
process.exitCode = await supervisor.done;
