import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { z } from 'zod';

/**
 * Emulator state in a JSON file, so a chaos test can kill an emulator process and start it again
 * with what it had accepted. Written to a temp file and renamed: a kill mid-write leaves the old file.
 */
export function loadState<S extends z.ZodType>(path: string | undefined, schema: S): z.infer<S> | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  return schema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function saveState(path: string | undefined, state: unknown): void {
  if (path === undefined) return;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}
