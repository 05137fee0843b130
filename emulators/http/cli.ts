import { parseArgs } from 'node:util';
import { z } from 'zod';
import { exitWithParent } from '../parentLifeline';
import { startLifePayEmulator } from '../lifepay/server';
import { startLifePosEmulator } from '../lifepos/server';
import { startRegosEmulator } from '../regos/server';

/**
 * Runs one back-end emulator as its own process, for tests that kill and restart it:
 *   node --import tsx emulators/http/cli.ts --service regos [--port 0] [--state /tmp/regos.json]
 * (spawn node itself rather than the tsx wrapper when the test kills it: the wrapper would orphan it).
 * Prints one JSON line {service, url, controlUrl} when listening; faults go to POST {controlUrl}/__control/faults.
 * SIGTERM / SIGINT close the listeners and exit 0; started by spawnNodeTied (emulators/parentLifeline.ts), it also
 * exits when the process that started it dies, even by kill -9.
 */
const Args = z.object({
  service: z.enum(['lifepos', 'lifepay', 'regos']),
  port: z.coerce.number().int().min(0).max(65535).default(0),
  state: z.string().optional(),
});

const { values } = parseArgs({
  options: { service: { type: 'string' }, port: { type: 'string' }, state: { type: 'string' } },
  strict: true,
});
const args = Args.parse(values);
const opts = { port: args.port, statePath: args.state };
const emu = args.service === 'lifepos'
  ? await startLifePosEmulator(opts)
  : args.service === 'lifepay' ? await startLifePayEmulator(opts) : await startRegosEmulator(opts);

process.stdout.write(`${JSON.stringify({ service: args.service, url: emu.url, controlUrl: emu.controlUrl })}\n`);

const shutdown = (): void => {
  emu.close().then(() => process.exit(0), (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  });
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
exitWithParent();
