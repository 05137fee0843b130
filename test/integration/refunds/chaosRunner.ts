import { resolve } from 'node:path';
import { build } from 'esbuild';
import { spawnNodeTied } from '../../../emulators/parentLifeline';

/**
 * Runs ./chaosChild.ts — the app's services in a child process — and kills it with SIGKILL at a chosen
 * point, for the chaos tests (one till: chaos.integration.test.ts; three tills: chaosTills.integration.test.ts).
 */
const root = resolve(import.meta.dirname, '../../..');

/** Bundles the child once with esbuild, so each restart is cheap. */
export async function buildChaosChild(outfile: string): Promise<void> {
  await build({
    entryPoints: [resolve(root, 'test/integration/refunds/chaosChild.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['better-sqlite3', 'serialport', '@serialport/*', 'electron-log'],
    logLevel: 'error',
  });
}

export interface RunResult {
  lines: string[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

export type KillAt = { afterLines: number } | { afterReadyMs: number } | { afterSpawnMs: number } | 'never';

export function runChild(childScript: string, configFile: string, mode: 'chaos' | 'offline' | 'finish' | 'settle', killAt: KillAt, boundMs: number): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawnNodeTied([childScript], {
      env: { ...process.env, NODE_PATH: resolve(root, 'node_modules'), CHAOS_CONFIG: configFile, CHAOS_MODE: mode },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let counted = 0;
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    const bound = setTimeout(() => {
      kill();
      fail(new Error(`child did not finish within ${boundMs} ms; stderr: ${stderr}; last lines: ${lines.slice(-5).join(' | ')}`));
    }, boundMs);
    if (typeof killAt === 'object' && 'afterSpawnMs' in killAt) timer = setTimeout(kill, killAt.afterSpawnMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (typeof killAt !== 'object') continue;
        if (line === 'ready' && 'afterReadyMs' in killAt) timer = setTimeout(kill, killAt.afterReadyMs);
        if (/^(acked|refused) /.test(line) && 'afterLines' in killAt && ++counted >= killAt.afterLines) kill();
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code, signal) => {
      clearTimeout(bound);
      clearTimeout(timer);
      done({ lines, signal, code, stderr });
    });
  });
}
