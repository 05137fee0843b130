import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { secureDataFolder } from '../security/dataFolderModes';
import { isLoopbackHost } from '../security/networkAddresses';
import { beginRun } from '../crashMarker';
import { defaultDataDir } from './dataDirOption';
import { createServices } from '../services';
import { createShutdown, DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../shutdown';
import { NOT_LOOPBACK_MESSAGE, startBridgeServer } from './bridgeServer';
import { exitWithParent } from '../../emulators/parentLifeline';

/**
 * `npm run serve`: the main-process services and the built renderer on 127.0.0.1, for a browser kiosk,
 * for other POS software that wants the fiscal bridge, and for the end-to-end tests (which read the
 * "Listening on" line).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '5178' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: defaultDataDir() },
    training: { type: 'boolean', default: false },
    /** Listen beyond this computer: any machine on the network that learns the token can ring up refunds. */
    'expose-to-network-i-understand': { type: 'boolean', default: false },
  },
});

const exposeToNetwork = values['expose-to-network-i-understand'];
if (!isLoopbackHost(values.host) && !exposeToNetwork) {
  console.error(NOT_LOOPBACK_MESSAGE);
  process.exit(2);
}
const dataDir = resolve(values['data-dir']);
secureDataFolder(dataDir);
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
// After the data folder is secured, before the services: a run that did not end cleanly is told once.
const marker = beginRun(dataDir);
const services = await createServices({ dataDir, version, forceTraining: values.training, consoleLog: 'warn', previousRun: marker.previous });
// One logger per data folder: the services' logger already knows the stored secrets; it learns the token too.
const log = services.log;

// Other POS software on this terminal reads the token from the data folder; browsers get it in the page.
const token = randomBytes(32).toString('base64url');
writeFileSync(join(dataDir, 'bridge-token'), token, { mode: 0o600 });
log.addSecret(token);

const server = await startBridgeServer({
  handlers: services.handlers,
  bus: services.bus,
  token,
  host: values.host,
  exposeToNetwork,
  port: Number(values.port),
  staticDir: resolve(new URL('../../dist/renderer', import.meta.url).pathname),
  log,
});
console.log(`Listening on ${server.url}`);
if (exposeToNetwork) console.warn(`ВНИМАНИЕ: мост открыт в сеть (${values.host}); страница с ключом отдаётся только этому компьютеру.`);
console.log(`Касса возвратов: откройте ${server.url} в браузере. Ключ моста для другой кассовой программы: ${join(dataDir, 'bridge-token')}`);

const shutdown = createShutdown({
  log,
  timeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'bridge server', run: () => server.close() },
    { name: 'services', run: () => services.close() },
  ],
});
const stop = (signal: string) => void shutdown(signal).then((outcome) => {
  marker.cleanExit();
  process.exit(outcome === 'clean' ? 0 : 1);
});
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// Under `npm run serve`'s supervisor: a supervisor killed outright takes the server with it.
exitWithParent();
