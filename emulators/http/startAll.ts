import { join } from 'node:path';
import { startLifePayEmulator, type LifePayEmulator } from '../lifepay/server';
import { startLifePosEmulator, type LifePosEmulator } from '../lifepos/server';
import { startRegosEmulator, type RegosEmulator } from '../regos/server';

export interface BackendEmulators {
  lifepos: LifePosEmulator;
  lifepay: LifePayEmulator;
  regos: RegosEmulator;
  close(): Promise<void>;
}

/**
 * The three back ends with their demo sales, for training mode and end-to-end tests. With a state
 * directory each keeps its state in <dir>/<service>.json across restarts.
 */
export async function startBackendEmulators(opts: { stateDir?: string } = {}): Promise<BackendEmulators> {
  const statePath = (name: string): string | undefined => (opts.stateDir === undefined ? undefined : join(opts.stateDir, `${name}.json`));
  const [lifepos, lifepay, regos] = await Promise.all([
    startLifePosEmulator({ statePath: statePath('lifepos') }),
    startLifePayEmulator({ statePath: statePath('lifepay') }),
    startRegosEmulator({ statePath: statePath('regos') }),
  ]);
  return {
    lifepos, lifepay, regos,
    async close() {
      await Promise.all([lifepos.close(), lifepay.close(), regos.close()]);
    },
  };
}
