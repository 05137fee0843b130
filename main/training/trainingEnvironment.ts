import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../appError';
import type { FiscalPort } from '../fiscal/port';
import type { CallInput, Sale } from '../../preload/contract';
import { startBackendEmulators, type BackendEmulators } from '../../emulators/http/startAll';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../emulators/shtrih/memory';
import { demoRegosSales } from '../../emulators/regos/seed';
import type { RegosClient } from '../backends/regos/regosClient';
import { saleFiscalOf } from '../refunds/search/regosSaleSource';
import { vcrTimeToIso } from '../settings/tillTimeZone';

type TrainingInput = CallInput<'training.simulate'>;

/** Hours ahead the printer's clock runs for 'shiftOver24h': past the ФН's 24-hour shift limit. */
const SHIFT_OVER_24H_OFFSET_MS = 25 * 3600 * 1000;
/** 10 000,00 in the drawer of a new training till (PROTOCOL.md §Cash). */
const TRAINING_FLOAT_MINOR = 1_000_000;

/**
 * Training mode: the app runs against its own emulators — the three back ends on 127.0.0.1 and the
 * fiscal printer in memory (no socat needed, so it works on Windows too) — with their state kept in
 * the data folder, so a trainee's refunds survive a restart just like real ones.
 */
export interface TrainingEnvironment {
  backends: BackendEmulators;
  printer: InMemoryEmulator;
  /** A fresh link for every connection: the driver closes its port when the device stops answering. */
  printerPort(): Promise<FiscalPort>;
  simulate(target: TrainingInput['target'], fault: TrainingInput['fault']): Promise<void>;
  close(): Promise<void>;
}

export async function startTrainingEnvironment(dataDir: string): Promise<TrainingEnvironment> {
  const dir = join(dataDir, 'training');
  mkdirSync(dir, { recursive: true });
  const backends = await startBackendEmulators({ stateDir: dir });
  // A trainee's till starts the day with a float, so cash refunds and выплата can be practised at once.
  const printer = createInMemoryEmulator({ stateFile: join(dir, 'fiscal.json'), baudRate: 115200, initialCashMinor: TRAINING_FLOAT_MINOR });
  return {
    backends,
    printer,
    printerPort: () => printer.reconnect(),
    async simulate(target, fault) {
      const unsupported = () => new AppError({ code: 'training.bad_fault', message: 'Такой сбой для этого сервиса не моделируется', detail: `${target}: ${fault}` });
      if (target === 'printer') {
        if (fault === 'paperOutMidReceipt') printer.setFault({ paperOutAfterPositions: 1 });
        else if (fault === 'paperBack') printer.setFault({ paper: 'ok', paperOutAfterPositions: null });
        else if (fault === 'shiftOver24h') printer.setFault({ clockOffsetMs: SHIFT_OVER_24H_OFFSET_MS });
        else if (fault === 'online' || fault === 'offline') printer.setFault({ silent: fault === 'offline' });
        else throw unsupported();
        return;
      }
      if (fault === 'lifeposRejectNext' && target === 'lifepos') {
        // A client error is permanent for the outbox: the job is buried until a person retries it.
        backends.lifepos.faults.failNext(1, { status: 422, match: { method: 'POST', pathIncludes: '/sessions/reversal' } });
        return;
      }
      if (fault !== 'online' && fault !== 'offline') throw unsupported();
      await backends[target].faults.setOffline(fault === 'offline');
    },
    async close() {
      await printer.close();
      await backends.close();
    },
  };
}

/**
 * The REGOS demo sales as this till recorded them when it sold them (REGOS keeps no sale lines we can
 * read back): lines from the sale, fiscal data from VCR by the sale's code.
 */
export async function regosTrainingSales(client: RegosClient, zone: string): Promise<Sale[]> {
  const sales: Sale[] = [];
  for (const seed of demoRegosSales()) {
    const info = await client.getInfo(seed.code);
    if (!info) continue;
    const lines = seed.positions.map((p, i) => ({
      lineId: `${seed.code}:${i}`,
      name: p.name,
      ...(p.barcode ? { barcode: p.barcode } : {}),
      priceMinor: Math.round((p.amount * 1000) / p.quantity),
      quantityMilli: p.quantity,
      amountMinor: p.amount,
      vat: 'vat12' as const,
      paymentMethod: 'fullPayment' as const,
      itemSign: 'goods' as const,
      refundedMilli: 0,
      refundedMinor: 0,
      refundableMilli: p.quantity,
      extra: { code: p.code ?? null, icps: p.icps ?? null, package_code: p.package_code ?? null, label: p.label ?? null, unit_name: p.unit_name ?? null },
    }));
    sales.push({
      ref: { source: 'regos', id: seed.code },
      number: info.ReceiptNo ?? seed.code,
      createdAt: vcrTimeToIso(info.DateTime, zone),
      currency: 'UZS',
      totalMinor: seed.payments.reduce((s, p) => s + p.value, 0),
      lines,
      payments: seed.payments.map((p, i) => ({
        paymentPartId: `${seed.code}:pay${i}`,
        kind: p.type === 1 ? 'cash' as const : 'card' as const,
        amountMinor: p.value,
        refundedMinor: 0,
        ...(p.RRN ? { rrn: p.RRN } : {}),
      })),
      fiscal: saleFiscalOf(info),
      remainderFromLocalOnly: false,
    });
  }
  return sales;
}
