import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { forkEmulator } from '../childEmulator';
import type { AtolFaults, AtolLinkStats } from './link';

export interface AtolEmulatorProcess {
  pid: number;
  setFault(f: AtolFaults): Promise<void>;
  stats(): Promise<AtolLinkStats>;
  resetStats(): Promise<void>;
  /** SIGKILL by default: a power cut; the ФН state file keeps what was fiscalized. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface AtolProcessOptions {
  /** Device end of a socat pair the test owns (the host path outlives the device). */
  devicePath: string;
  stateFile: string;
  /** Wire time at this baud rate; 0 = instant line. */
  baudRate?: number;
  printMs?: number;
}

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const Stats = z.object({ stats: z.object({ packetsIn: z.number(), framesOut: z.number(), tasksRun: z.number(), duplicateAdds: z.number(), bytesIn: z.number(), bytesOut: z.number(), undetectedCorruptions: z.number() }) });

/** The ATOL emulator in a child process on an existing pty end, driven over IPC (./cli.ts). */
export async function spawnAtolProcess(opts: AtolProcessOptions): Promise<AtolEmulatorProcess> {
  const child = await forkEmulator(CLI, ['--device-path', opts.devicePath, '--state', opts.stateFile, '--baud', String(opts.baudRate ?? 0), '--print-ms', String(opts.printMs ?? 20)]);
  return {
    pid: child.pid,
    setFault: async (faults) => {
      await child.request({ type: 'setFault', faults });
    },
    resetStats: async () => {
      await child.request({ type: 'resetStats' });
    },
    stats: async () => Stats.parse(await child.request({ type: 'stats' })).stats,
    kill: (signal) => child.kill(signal),
  };
}
