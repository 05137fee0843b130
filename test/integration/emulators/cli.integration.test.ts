import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnNodeTied } from '../../../emulators/parentLifeline';
import { RegosClient } from '../../../main/backends/regos/regosClient';
import { uzPosition } from '../../../emulators/regos/seed';
import { REGOS_DEMO_LOGIN, REGOS_DEMO_PASSWORD } from '../../../emulators/regos/server';

const Ready = z.object({ service: z.string(), url: z.string(), controlUrl: z.string() });
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function spawnEmulator(args: string[]): Promise<{ child: ChildProcess; ready: z.infer<typeof Ready> }> {
  // node --import tsx, not the tsx wrapper: kill -9 must hit the emulator itself, not a parent that orphans it.
  const child = spawnNodeTied(['--import', 'tsx', 'emulators/http/cli.ts', ...args], { stdout: 'pipe' });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, ready: Ready.parse(JSON.parse(first)) };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('emulator CLI (out of process)', () => {
  it('survives kill -9 with its state file, takes faults over HTTP and exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    dirs.push(dir);
    const state = join(dir, 'regos.json');
    const first = await spawnEmulator(['--service', 'regos', '--state', state]);
    const client = (url: string): RegosClient => new RegosClient({ baseUrl: url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD, timeoutMs: 2000 });
    await client(first.ready.url).credit({
      code: 'cli-1', positions: [uzPosition({ name: 'Товар', priceTiyin: 100000, quantityMilli: 1000, code: '1', icps: '1' })], payments: [{ type: 1, value: 100000 }],
    });
    const died = exited(first.child);
    first.child.kill('SIGKILL');
    await died;

    const second = await spawnEmulator(['--service', 'regos', '--state', state]);
    expect(await client(second.ready.url).getInfo('cli-1')).toMatchObject({ code: 'cli-1' });
    const res = await fetch(`${second.ready.controlUrl}/__control/faults`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rules: [{ kind: 'status', status: 500 }] }),
    });
    expect(res.status).toBe(200);
    await expect(client(second.ready.url).shiftInfo()).rejects.toMatchObject({ httpStatus: 500 });
    const done = exited(second.child);
    second.child.kill('SIGTERM');
    expect(await done).toBe(0);
  });
});
