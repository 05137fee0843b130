import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FromEmulator, type ToEmulator } from './ipc';
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

/** Runs the emulator in a child process on an existing pty end. */
export async function spawnEmulatorProcess(opts: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(
    CLI,
    ['--device-path', opts.devicePath, '--state', opts.stateFile, '--baud', String(opts.baudRate), '--processing-scale', String(opts.processingScale ?? 1), '--firmware', opts.firmware ?? '2026', '--replace-20-with-22', String(opts.replace20With22 ?? 2)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let nextId = 1;
  const waiting = new Map<number, (m: FromEmulator) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator process did not start')), 20_000);
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
    child.on('message', (raw) => {
      const m = FromEmulator.parse(raw);
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else {
        waiting.get(m.id)?.(m);
        waiting.delete(m.id);
      }
    });
  });
  await ready;
  const ask = (build: (id: number) => ToEmulator): Promise<FromEmulator> =>
    new Promise((resolve, reject) => {
      const msg = build(nextId++);
      waiting.set(msg.id, resolve);
      child.send(msg, (err) => {
        if (err) reject(err);
      });
    });
  return {
    pid: child.pid ?? -1,
    setFault: async (faults) => {
      await ask((id) => ({ type: 'setFault', id, faults }));
    },
    resetStats: async () => {
      await ask((id) => ({ type: 'resetStats', id }));
    },
    stats: async () => {
      const m = await ask((id) => ({ type: 'stats', id }));
      if (m.type !== 'stats') throw new Error(`unexpected ${m.type}`);
      return m.stats;
    },
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
    },
  };
}
