import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnNodeTied } from '../../../emulators/parentLifeline';
import { lineFrom } from './lineFrom';

/**
 * kill -9 of a test process (StrykerJS ending a timed-out runner, a crashed vitest worker) or of
 * `npm start` runs no exit handler: the children it started must end by themselves, or they hold ports
 * and CPU for good (emulators/parentLifeline.ts says how each kind is tied to its parent).
 */
const root = resolve(import.meta.dirname, '../../..');
const Started = z.object({ children: z.record(z.string(), z.number().int().positive()), dir: z.string() });
const GONE_WITHIN_MS = 20_000;

/** A process that has ended is gone even before its new parent reaps it (a zombie holds no port). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Names of the processes still alive after a bounded wait (polled, so it returns as soon as all are gone). */
async function stillAliveAfter(pids: Record<string, number>, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = Object.keys(pids).filter((name) => alive(pids[name]!));
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter((name) => alive(pids[name]!));
  }
  return left;
}

/** Node spawns from its main thread, so that thread's children are all of them. */
const childrenOf = (pid: number): number[] => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

const leftovers: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** ./tiedParent.ts with its children up: their pids by name, and a SIGKILL that returns once it is dead. */
async function startParent(mode: 'devices' | 'server'): Promise<{ children: Record<string, number>; kill9(): Promise<void> }> {
  const parent = spawnNodeTied(['--import', 'tsx', resolve(root, 'test/integration/process/tiedParent.ts'), mode], { cwd: root, stdout: 'pipe' });
  const exited = new Promise((r) => parent.once('exit', r));
  leftovers.push(parent.pid ?? -1);
  const started = Started.parse(JSON.parse(await lineFrom(parent, /^\{/, 'the parent')));
  leftovers.push(...Object.values(started.children));
  dirs.push(started.dir);
  return {
    children: started.children,
    kill9: async () => {
      parent.kill('SIGKILL');
      await exited;
    },
  };
}

/** npm start's stand-in with the server supervisor it started and the bridge server under that. */
async function startServer(): Promise<{ kill9Parent(): Promise<void>; serve: number; server: number }> {
  const parent = await startParent('server');
  const serve = parent.children.serve!;
  const [server] = childrenOf(serve);
  if (server === undefined) throw new Error(`the supervisor ${serve} runs no server`);
  leftovers.push(server);
  return { kill9Parent: parent.kill9, serve, server };
}

describe('child processes die with their parent', () => {
  it('kill -9 of the parent ends its HTTP back-end emulator, socat pair and Shtrih-M emulator process by themselves', async () => {
    const parent = await startParent('devices');
    expect(Object.keys(parent.children).sort()).toEqual(['http', 'shtrih', 'socat']);
    expect(Object.values(parent.children).filter(alive)).toHaveLength(3);

    await parent.kill9();
    expect(await stillAliveAfter(parent.children, GONE_WITHIN_MS)).toEqual([]);
  });

  it('kill -9 of npm start ends the server supervisor and the training bridge server it runs', async () => {
    const { kill9Parent, serve, server } = await startServer();

    await kill9Parent();
    expect(await stillAliveAfter({ serve, server }, GONE_WITHIN_MS)).toEqual([]);
  });

  it('kill -9 of the server supervisor ends the bridge server it runs', async () => {
    const { serve, server } = await startServer();

    process.kill(serve, 'SIGKILL');
    expect(await stillAliveAfter({ server }, GONE_WITHIN_MS)).toEqual([]);
  });
});
