import { fork, type ChildProcess } from 'node:child_process';
import { z } from 'zod';

/**
 * An emulator in its own process, asked over IPC, so a test can kill -9 it as a power cut would (either
 * protocol: emulators/atol/process.ts; the child side answers each request with its id).
 */
export interface ChildEmulator {
  pid: number;
  /** Sends `{ type, id, …body }` and resolves with the child's reply carrying that id. */
  request(body: { type: string } & Record<string, unknown>): Promise<unknown>;
  /** SIGKILL by default: the device dies mid-whatever. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const Reply = z.looseObject({ type: z.string(), id: z.number().optional() });

export async function forkEmulator(cli: string, args: string[]): Promise<ChildEmulator> {
  const child: ChildProcess = fork(cli, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map<number, (m: unknown) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator process ${cli} did not start`)), 20_000);
    child.once('exit', (code) => reject(new Error(`emulator process ${cli} exited with ${code}`)));
    child.on('message', (raw) => {
      const m = Reply.parse(raw);
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (m.id !== undefined) {
        waiting.get(m.id)?.(m);
        waiting.delete(m.id);
      }
    });
  });
  return {
    pid: child.pid ?? -1,
    request: (body) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.send({ ...body, id }, (err) => {
          if (err) reject(err);
        });
      }),
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
    },
  };
}
