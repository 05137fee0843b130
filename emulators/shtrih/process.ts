import { fileURLToPath } from 'node:url';
import { FromEmulator } from './ipc';
import { forkEmulator } from '../childEmulator';
import type { Faults } from './faults';
import type { LinkStats } from './deviceLink';

export interface EmulatorProcess {
  pid: number;
  setFault(f: Faults): Promise<void>;
  stats(): Promise<LinkStats>;
  resetStats(): Promise<void>;
  /** SIGKILL by default: the device dies mid-whatever, as in a power cut. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface EmulatorProcessOptions {
  /** Device end of a socat pair the test owns (so the host path survives the device's death). */
  devicePath: string;
  stateFile: string;
  baudRate: number;
  processingScale?: number;
  firmware?: '2026' | 'pre2026';
  replace20With22?: 1 | 2;
}

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Runs the emulator in a child process on an existing pty end (IPC through ../childEmulator.ts). */
export async function spawnEmulatorProcess(opts: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const child = await forkEmulator(CLI, [
    '--device-path', opts.devicePath, '--state', opts.stateFile, '--baud', String(opts.baudRate), '--processing-scale', String(opts.processingScale ?? 1),
    '--firmware', opts.firmware ?? '2026', '--replace-20-with-22', String(opts.replace20With22 ?? 2),
  ]);
  const ask = async (m: Parameters<typeof child.request>[0]): Promise<FromEmulator> => FromEmulator.parse(await child.request(m));
  return {
    pid: child.pid,
    setFault: async (faults) => {
      await ask({ type: 'setFault', faults });
    },
    resetStats: async () => {
      await ask({ type: 'resetStats' });
    },
    stats: async () => {
      const m = await ask({ type: 'stats' });
      if (m.type !== 'stats') throw new Error(`unexpected ${m.type}`);
      return m.stats;
    },
    kill: (signal) => child.kill(signal),
  };
}
