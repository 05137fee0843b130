/**
 * `npx tsx emulators/atol/cli.ts [--state FILE] [--baud 115200] [--print-ms 20]`: an emulated ATOL register
 * (link v3, protocol 3.1) on a pseudo-terminal; prints the path to point the app at.
 * With `--device-path PTY` it attaches to an existing pty end instead and is driven over IPC (./process.ts).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { attachAtol, startPtyAtol, type AtolEmulator } from './device';
import { AtolFaults } from './link';

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    baud: { type: 'string', default: '115200' },
    'print-ms': { type: 'string', default: '20' },
    'device-path': { type: 'string' },
  },
});

const stateFile = values.state ?? join(tmpdir(), 'atol-emulator-state.json');
const baudRate = Number(values.baud);
const printMs = Number(values['print-ms']);
if (!Number.isFinite(baudRate) || baudRate < 0 || !Number.isFinite(printMs) || printMs < 0) {
  console.error('usage: npx tsx emulators/atol/cli.ts [--state FILE] [--baud 115200] [--print-ms 20] [--device-path PTY]');
  process.exit(2);
}

const Request = z.discriminatedUnion('type', [
  z.object({ type: z.literal('setFault'), id: z.number(), faults: AtolFaults }),
  z.object({ type: z.literal('stats'), id: z.number() }),
  z.object({ type: z.literal('resetStats'), id: z.number() }),
]);

async function start(devicePath: string | undefined): Promise<{ emu: Omit<AtolEmulator, 'port'>; path: string }> {
  const opts = { stateFile, baudRate, printMs };
  if (devicePath) return { emu: await attachAtol(devicePath, opts), path: devicePath };
  const emu = await startPtyAtol(opts);
  return { emu, path: 'path' in emu.port ? emu.port.path : '' };
}
const { emu, path } = await start(values['device-path']);

if (process.send) {
  process.on('message', (raw) => {
    const m = Request.parse(raw);
    if (m.type === 'setFault') emu.setFault(m.faults);
    else if (m.type === 'resetStats') emu.device.link.resetStats();
    process.send?.(m.type === 'stats' ? { type: 'stats', id: m.id, stats: { ...emu.device.link.stats } } : { type: 'done', id: m.id });
  });
  process.on('disconnect', () => void emu.close().then(() => process.exit(0)));
  process.send({ type: 'ready', path });
} else {
  console.log('Эмулятор ККТ АТОЛ запущен / ATOL emulator is running');
  console.log(`порт / port: ${path}`);
  console.log(`скорость / baud: ${baudRate}, состояние ФН / FN state: ${stateFile}`);
  console.log(`Например / e.g.: npm run fiscal -- status --port ${path} --baud ${baudRate} --protocol atol`);
  const stop = (): void => void emu.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
