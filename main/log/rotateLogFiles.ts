import { renameSync, rmSync } from 'node:fs';
import { parse, join } from 'node:path';

/**
 * Size-based rotation keeping `keep` old files: main.log → main.1.log → … → main.<keep>.log, the oldest
 * dropped. electron-log's own rotation keeps a single main.old.log, too little to find a week-old refund.
 */
export function rotatedName(file: string, index: number): string {
  const p = parse(file);
  return join(p.dir, `${p.name}.${index}${p.ext}`);
}

export function rotateLogFiles(file: string, keep: number): void {
  rmSync(rotatedName(file, keep), { force: true });
  for (let i = keep - 1; i >= 1; i--) renameIfExists(rotatedName(file, i), rotatedName(file, i + 1));
  renameIfExists(file, rotatedName(file, 1));
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
