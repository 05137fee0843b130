import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnNodeTied } from '../../../emulators/parentLifeline';

/**
 * kill -9 of a test process (StrykerJS ending a timed-out runner, a crashed vitest worker) runs no exit
 * handler: the children it started must end by themselves, or they hold ports and CPU for good
 * (emulators/parentLifeline.ts says how each kind is tied to its parent).
 */
const root = resolve(import.meta.dirname, '../../..');
const Started = z.object({ children: z.record(z.string(), z.number().int().positive()), dir: z.string() });
const GONE_WITHIN_MS = 15_000;

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

async function stillAliveAfter(pids: Record<string, number>, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = Object.keys(pids);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter((name) => alive(pids[name]!));
  }
  return left;
}

const leftovers: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('child processes die with their parent', () => {
  it('kill -9 of the parent ends its HTTP back-end emulator, socat pair and Shtrih-M emulator process by themselves', async () => {
    const parent = spawnNodeTied(['--import', 'tsx', resolve(root, 'test/integration/process/tiedParent.ts')], { cwd: root, stdout: 'pipe' });
    const exited = new Promise((r) => parent.once('exit', r));
    leftovers.push(parent.pid ?? -1);
    const started = Started.parse(JSON.parse(await new Promise<string>((ok, fail) => {
      createInterface({ input: parent.stdout! }).once('line', ok);
      parent.once('exit', (code) => fail(new Error(`the parent exited (${String(code)}) before starting its children`)));
    })));
    leftovers.push(...Object.values(started.children));
    dirs.push(started.dir);
    expect(Object.keys(started.children).sort()).toEqual(['http', 'shtrih', 'socat']);
    expect(Object.values(started.children).filter(alive)).toHaveLength(3);

    parent.kill('SIGKILL');
    await exited;
    expect(await stillAliveAfter(started.children, GONE_WITHIN_MS)).toEqual([]);
  });
});
