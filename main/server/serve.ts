import { fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '../log/logger';
import { secureDataFolder } from '../security/dataFolderModes';
import { defaultDataDir } from './dataDirOption';
import { supervise } from './supervisor';

/**
 * `npm run serve`: the bridge server (./cli.ts, same arguments) under a supervisor that starts it again
 * after a crash, for browser-kiosk installs that have no Electron shell (and so no systemd unit or login
 * item around it). Restarts are logged to `<data folder>/logs/supervisor.log` and the console.
 */
const args = process.argv.slice(2);
const { values } = parseArgs({ args, strict: false, options: { 'data-dir': { type: 'string' } } });
const dataDir = resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir());
// The supervisor writes to the folder first (its own log): owner-only modes and umask 077 before that.
secureDataFolder(dataDir);
const log = createLogger({ dir: join(dataDir, 'logs'), fileName: 'supervisor.log', console: 'info' });

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const supervisor = supervise({
  // fork() reuses this process's execArgv, so the child runs under tsx too.
  spawn: () => fork(cli, args, { stdio: ['inherit', 'pipe', 'inherit', 'ipc'] }),
  ready: /^Listening on /,
  log,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => supervisor.stop(signal));
process.exitCode = await supervisor.done;
