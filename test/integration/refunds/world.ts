import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { startRegosEmulator, REGOS_DEMO_LOGIN, REGOS_DEMO_PASSWORD, type RegosEmulator } from '../../../emulators/regos/server';
import { startPtyEmulator, type PtyEmulator } from '../../../emulators/shtrih/pty';
import type { ServicesOverrides } from '../../../main/services';
import type { Sale } from '../../../preload/contract';
import { fnDocuments, lifePosSeedOf, refundReceipts, tempDir, type BuiltDeal } from './fixtures';
import { deleteDatabase, startTestApp, type TestApp } from './testApp';

/**
 * One test's world: LIFE POS (and REGOS) emulators on 127.0.0.1, the fiscal emulator on a socat pty
 * with its ФН in a state file, and the app's real services (createServices) over a SQLite file.
 * restartApp() closes the services and starts them again over the same data folder, as a restarted
 * app would.
 */
export interface World {
  lifepos: LifePosEmulator;
  regos: RegosEmulator | undefined;
  fiscal: PtyEmulator;
  fnStateFile: string;
  app: TestApp;
  dataDir: string;
  /** `loseDatabase`: a disk fault or a well-meant clean-up removes the database while the app is down. */
  restartApp(opts?: { loseDatabase?: boolean }): Promise<TestApp>;
  refundReceiptsInFn(): ReturnType<typeof refundReceipts>;
  close(): Promise<void>;
}

export interface WorldOptions {
  deals: BuiltDeal[];
  regos?: boolean;
  /** Seed 002: VCR's check that a receipt `code` is unique can be switched off. */
  regosUniqueCodeCheck?: boolean;
  regosSales?: (regos: RegosEmulator) => Promise<Sale[]>;
  processingScale?: number;
  driverTimeouts?: NonNullable<ServicesOverrides['printer']>['timeouts'];
  app?: Omit<ServicesOverrides, 'printer' | 'backends'>;
}

export async function startWorld(o: WorldOptions): Promise<World> {
  const tmp = tempDir();
  const fnStateFile = tmp.file('fn.json');
  const lifepos = await startLifePosEmulator({ seed: lifePosSeedOf(o.deals) });
  const regos = o.regos ? await startRegosEmulator({ seed: [], uniqueCodeCheck: o.regosUniqueCodeCheck ?? true }) : undefined;
  // A till starts the day with a float: cash refunds are paid from the drawer the register counts (issue 14).
  const fiscal = await startPtyEmulator({ stateFile: fnStateFile, baudRate: 115_200, processingScale: o.processingScale ?? 0.05, dir: tmp.dir, initialCashMinor: 1_000_000 });
  const regosSales = regos && o.regosSales ? await o.regosSales(regos) : [];
  const dataDir = tmp.file('app');
  const overrides = (): ServicesOverrides => ({
    printer: { port: { path: fiscal.path, baudRate: 115_200 }, ...(o.driverTimeouts ? { timeouts: o.driverTimeouts } : {}) },
    backends: {
      lifepos: { url: lifepos.url, orgGuid: lifepos.orgGuid, token: lifepos.token },
      ...(regos ? { regos: { url: regos.url, login: REGOS_DEMO_LOGIN, password: REGOS_DEMO_PASSWORD } } : {}),
      timeoutMs: 3_000,
    },
    regosSales,
    ...o.app,
  });
  const world: World = {
    lifepos,
    regos,
    fiscal,
    fnStateFile,
    dataDir,
    app: await startTestApp(dataDir, overrides()),
    async restartApp(opts = {}) {
      await world.app.close();
      if (opts.loseDatabase) deleteDatabase(dataDir);
      world.app = await startTestApp(dataDir, overrides());
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
