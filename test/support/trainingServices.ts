import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../main/services';

/**
 * The app's real services in training mode, in a temp data folder, closed and removed after each test.
 * `stop()` closes them early (to read the logs they wrote); the cleanup then only removes the folder.
 */
export function useTrainingServices(prefix: string) {
  let dir = '';
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    services = null;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    async start(): Promise<Services> {
      dir = mkdtempSync(join(tmpdir(), prefix));
      services = await createServices({ dataDir: dir, version: 'test', forceTraining: true });
      return services;
    },
    async stop(): Promise<void> {
      await services?.close();
      services = null;
    },
    dataDir: () => dir,
  };
}
