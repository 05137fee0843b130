import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { startRegosEmulator, REGOS_DEMO_LOGIN, REGOS_DEMO_PASSWORD, type RegosEmulator } from '../../../emulators/regos/server';
import { startPtyEmulator, type PtyEmulator } from '../../../emulators/fiscal/pty';
import type { Sale } from '../../../preload/contract';
import { fnDocuments, lifePosSeedOf, refundReceipts, tempDir, type BuiltDeal } from './fixtures';
import { startRig, type Rig, type RigOptions } from './sagaRig';

/**
 * One test's world: LIFE POS (and REGOS) emulators on 127.0.0.1, the fiscal emulator on a socat pty
 * with its ФН in a state file, and the app's services (the rig) over a SQLite file. restartApp() drops
 * the services and builds them again over the same database, as a restarted app would.
 */
export interface World {
  lifepos: LifePosEmulator;
  regos: RegosEmulator | undefined;
  fiscal: PtyEmulator;
  fnStateFile: string;
  app: Rig;
  dataDir: string;
  restartApp(): Promise<Rig>;
  refundReceiptsInFn(): ReturnType<typeof refundReceipts>;
  close(): Promise<void>;
}

export interface WorldOptions {
  deals: BuiltDeal[];
  regos?: boolean;
  regosSales?: (regos: RegosEmulator) => Promise<Sale[]>;
  processingScale?: number;
  rig?: Partial<RigOptions>;
}

export async function startWorld(o: WorldOptions): Promise<World> {
  const tmp = tempDir();
  const fnStateFile = tmp.file('fn.json');
  const lifepos = await startLifePosEmulator({ seed: lifePosSeedOf(o.deals) });
  const regos = o.regos ? await startRegosEmulator({ seed: [] }) : undefined;
  const fiscal = await startPtyEmulator({ stateFile: fnStateFile, baudRate: 115_200, processingScale: o.processingScale ?? 0.05, dir: tmp.dir });
  const regosSales = regos && o.regosSales ? await o.regosSales(regos) : [];
  const rigOptions = (): RigOptions => ({
    dataDir: tmp.file('app'),
    lifepos: { url: lifepos.url, orgGuid: lifepos.orgGuid, token: lifepos.token },
    ...(regos ? { regos: { url: regos.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD } } : {}),
    printer: { path: fiscal.path, baudRate: 115_200 },
    regosSales,
    ...o.rig,
  });
  const world: World = {
    lifepos,
    regos,
    fiscal,
    fnStateFile,
    dataDir: tmp.file('app'),
    app: startRig(rigOptions()),
    async restartApp() {
      await world.app.close();
      world.app = startRig(rigOptions());
      return world.app;
    },
    refundReceiptsInFn: () => refundReceipts(fnDocuments(fnStateFile)),
    async close() {
      await world.app.close();
      await fiscal.close();
      await lifepos.close();
      await regos?.close();
      tmp.remove();
    },
  };
  return world;
}
