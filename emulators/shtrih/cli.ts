/**
 * `npm run emulator [-- --state FILE --baud 115200 --processing-scale 1]`: an emulated Shtrih-M register
 * on a pseudo-terminal; prints the path to point the app (or any Shtrih-M client) at.
 * With `--device-path PTY` it attaches to an existing pty end instead (the out-of-process test mode,
 * driven over IPC by ./process.ts).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { attachDevice, startPtyEmulator } from './pty';
import type { EmulatedDevice } from './device';
import { FromEmulator, ToEmulator } from './ipc';

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    baud: { type: 'string', default: '115200' },
    'processing-scale': { type: 'string', default: '1' },
    'device-path': { type: 'string' },
    firmware: { type: 'string', default: '2026' },
    'replace-20-with-22': { type: 'string', default: '2' },
  },
});

const stateFile = values.state ?? join(tmpdir(), 'fiscal-emulator-state.json');
const baudRate = Number(values.baud);
const processingScale = Number(values['processing-scale']);
const firmware = values.firmware;
const replace20With22 = Number(values['replace-20-with-22']);
if (!Number.isFinite(baudRate) || baudRate < 0 || !Number.isFinite(processingScale) || processingScale < 0 || (firmware !== '2026' && firmware !== 'pre2026') || (replace20With22 !== 1 && replace20With22 !== 2)) {
  console.error('usage: npm run emulator -- [--state FILE] [--baud 115200] [--processing-scale 1] [--firmware 2026|pre2026] [--replace-20-with-22 2|1]');
  process.exit(2);
}
const deviceOptions = { stateFile, baudRate, processingScale, firmware, replace20With22 } as const;

let device: EmulatedDevice;
let path: string;
let shutdown: () => Promise<void>;
if (values['device-path']) {
  const attached = await attachDevice(values['device-path'], deviceOptions);
  device = attached.device;
  path = values['device-path'];
  shutdown = attached.detach;
} else {
  const emu = await startPtyEmulator(deviceOptions);
  device = emu.device;
  path = emu.path;
  shutdown = emu.close;
}

const send = (m: FromEmulator): void => {
  process.send?.(m);
};

if (process.send) {
  process.on('message', (raw) => {
    const m = ToEmulator.parse(raw);
    if (m.type === 'setFault') {
      device.link.setFaults(m.faults);
      send({ type: 'done', id: m.id });
    } else if (m.type === 'resetStats') {
      device.link.resetStats();
      send({ type: 'done', id: m.id });
    } else {
      send({ type: 'stats', id: m.id, stats: { ...device.link.stats } });
    }
  });
  process.on('disconnect', () => void shutdown().then(() => process.exit(0)));
  send({ type: 'ready', path });
} else {
  console.log(`Эмулятор ККТ Штрих-М запущен / Shtrih-M emulator is running`);
  console.log(`порт / port: ${path}`);
  console.log(`скорость / baud: ${baudRate}, состояние ФН / FN state: ${stateFile}, прошивка / firmware: ${firmware}`);
  console.log(`Например / e.g.: npm run fiscal -- status --port ${path} --baud ${baudRate}`);
  const stop = (): void => void shutdown().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
