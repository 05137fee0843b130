import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultBackoffMs, supervise, type SupervisorLog } from './supervisor';
import { spawnNodeTied } from '../../emulators/parentLifeline';

/**
 * Real child processes: a small Node script that counts its runs in a file, prints "Listening on …",
 * and crashes (exit 3, or kill -9 of itself) for as many runs as it is told.
 */
const CHILD = `
const fs = require('node:fs');
const [counter, crashes, how] = process.argv.slice(1);
const run = Number(fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8') : '0') + 1;
fs.writeFileSync(counter, String(run));
if (how === 'before-ready') process.exit(2);
process.on('SIGTERM', () => { console.log('stopping'); process.exit(0); });
console.log('Listening on http://127.0.0.1:1/ run ' + run);
if (run <= Number(crashes)) {
  if (how === 'kill9') process.kill(process.pid, 'SIGKILL'); else setTimeout(() => process.exit(3), 5);
} else {
  // Up until stopped, or until the test process is gone: spawnNodeTied's stdin lifeline (emulators/parentLifeline.ts,
  // which a -e script cannot import).
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM')).resume();
}
`;

let dir: string;
let counter: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
  counter = join(dir, 'runs');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function recorder() {
  const entries: { level: 'info' | 'error'; message: string; fields: Record<string, unknown> }[] = [];
  const log: SupervisorLog = {
    info: (message, fields = {}) => void entries.push({ level: 'info', message, fields }),
    error: (message, fields = {}) => void entries.push({ level: 'error', message, fields }),
  };
  return { entries, log };
}

function start(crashes: number, how: 'exit' | 'kill9' | 'before-ready', delays: number[] = []) {
  const lines: string[] = [];
  const { entries, log } = recorder();
  let onLine: ((line: string) => void) | null = null;
  const supervisor = supervise({
    spawn: () => spawnNodeTied(['-e', CHILD, counter, String(crashes), how], { stdout: 'pipe' }),
    ready: /^Listening on /,
    log,
    output: (line) => {
      lines.push(line);
      onLine?.(line);
    },
    backoffMs: (n) => {
      delays.push(n);
      return 20 * n;
    },
  });
  const lineMatching = (re: RegExp) => new Promise<string>((resolve) => {
    const found = lines.find((l) => re.test(l));
    if (found) return resolve(found);
    onLine = (line) => re.test(line) && resolve(line);
  });
  return { supervisor, lines, entries, lineMatching };
}

describe('supervisor for npm run serve', () => {
  it('restarts a crashing server with a growing delay, logs each crash, and stops it on SIGTERM', async () => {
    const delays: number[] = [];
    const { supervisor, entries, lineMatching, lines } = start(2, 'exit', delays);
    await lineMatching(/run 3$/);
    expect(readFileSync(counter, 'utf8')).toBe('3');
    expect(delays).toEqual([1, 2]);
    const crashes = entries.filter((e) => e.message.includes('crashed; restarting'));
    expect(crashes.map((e) => e.fields.ended)).toEqual(['exit code 3', 'exit code 3']);
    expect(crashes.map((e) => e.fields.delayMs)).toEqual([20, 40]);
    supervisor.stop('SIGTERM');
    expect(await supervisor.done).toBe(0);
    expect(lines.at(-1)).toBe('stopping');
  });

  it('restarts after kill -9 (a signal it did not send)', async () => {
    const { supervisor, entries, lineMatching } = start(1, 'kill9');
    await lineMatching(/run 2$/);
    expect(entries.find((e) => e.message.includes('crashed'))?.fields.ended).toBe('signal SIGKILL');
    supervisor.stop('SIGTERM');
    expect(await supervisor.done).toBe(0);
  });

  it('does not retry a first run that never became ready, and exits with its code', async () => {
    const { supervisor, entries } = start(0, 'before-ready');
    expect(await supervisor.done).toBe(2);
    expect(readFileSync(counter, 'utf8')).toBe('1');
    expect(entries.map((e) => e.message)).toEqual(['supervised process failed before it was ready; not restarting']);
  });

  it('a stop while waiting to restart ends at once, without another run', async () => {
    writeFileSync(counter, '0');
    const { entries, log } = recorder();
    let runs = 0;
    let stop: () => void = () => undefined;
    const supervisor = supervise({
      spawn: () => {
        runs += 1;
        return spawn(process.execPath, ['-e', "console.log('Listening on x'); process.exit(1)"], { stdio: ['ignore', 'pipe', 'inherit'] });
      },
      ready: /^Listening on /,
      log: { info: log.info, error: (m, f) => { log.error(m, f); stop(); } },
      output: () => undefined,
      backoffMs: () => 60_000,
    });
    stop = () => supervisor.stop('SIGTERM');
    expect(await supervisor.done).toBe(0);
    expect(runs).toBe(1);
    expect(entries.map((e) => e.message)).toEqual(['supervised process crashed; restarting', 'stopped while waiting to restart']);
  });

  it('waits 1 s after a first crash, doubling to at most 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(defaultBackoffMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});
