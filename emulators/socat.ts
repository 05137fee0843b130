import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnForeignTied } from './parentLifeline';

export interface SocatPair {
  /** The end a client (the driver, or any Shtrih-M software) opens. */
  hostPath: string;
  /** The end the emulated device reads and writes. */
  devicePath: string;
  pid: number;
  close(): Promise<void>;
}

/**
 * Two linked pseudo-terminals (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`), ready when socat says so.
 * socat ends when this process dies, even by kill -9 (spawnForeignTied).
 */
export async function startSocatPair(dir?: string): Promise<SocatPair> {
  const base = dir ?? mkdtempSync(join(tmpdir(), 'fiscal-pty-'));
  const hostPath = join(base, 'host');
  const devicePath = join(base, 'device');
  const child: ChildProcess = spawnForeignTied('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], {
    stdout: 'ignore',
    stderr: 'pipe',
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${log}`)), 5_000);
    child.stderr?.on('data', (c: Buffer) => {
      log += c.toString();
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${log}`));
    });
  });
  child.stderr?.resume();
  return {
    hostPath,
    devicePath,
    pid: child.pid ?? -1,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!dir) rmSync(base, { recursive: true, force: true });
    },
  };
}
