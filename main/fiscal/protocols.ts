import { AppError } from '../appError';
import { FiscalProtocolSetting } from '../../preload/contract/settings';
import type { DeviceConnectOptions, FiscalDevice, FiscalProtocol } from './device';
import { isPortOptions, openSerialPort, type FiscalPort } from './port';
import { ShtrihDriver } from './shtrih/driver';
import { probeShtrih } from './shtrih/probe';
import { AtolDriver } from './atol/driver';
import { probeAtol } from './atol/probe';

/**
 * The fiscal protocols this app speaks: one line each. Nothing outside a protocol's folder and this file
 * names a driver (eslint no-restricted-imports); a new protocol is its folder (a class implementing
 * FiscalDevice, and a probe) and one line here.
 *
 * `probe` is how 'auto' tells the protocols apart at connect: each protocol's own cheapest request that
 * changes nothing, with a short timeout, on the open port — Shtrih-M: ENQ, and only once that is answered
 * 0x10 «короткий запрос состояния» (shtrih/probe.ts); ATOL: 3F «запрос состояния ККТ» in one link-v3 task
 * (atol/probe.ts). Both are status requests of their protocol and both come back in frames with their own
 * checksum, so noise or the other protocol's bytes are never taken for an answer. No fiscal command is
 * sent before one protocol has answered; the first that does is used.
 */
export interface ProtocolEntry {
  /** As the cashier and IT read it (settings, CLI, messages). */
  label: string;
  connect(opts: DeviceConnectOptions): Promise<FiscalDevice>;
  /** True when the device answered this protocol's status request within timeoutMs; the port stays open. */
  probe(port: FiscalPort, timeoutMs: number): Promise<boolean>;
}

export const PROTOCOLS: Readonly<Record<FiscalProtocol, ProtocolEntry>> = {
  shtrih: { label: 'Штрих-М', connect: (o) => ShtrihDriver.connect(o), probe: (port, ms) => probeShtrih(port, ms) },
  atol: { label: 'АТОЛ', connect: (o) => AtolDriver.connect(o), probe: probeAtol },
};

/** What the settings and the CLI choose: a protocol, or 'auto' (probe each at connect). */
export type ProtocolChoice = FiscalProtocolSetting;

/** Long enough for a status answer at 9600 baud (tens of bytes, ~30 ms) and a busy device's reply. */
const PROBE_MS = 500;

export const isProtocolChoice = (s: string): s is ProtocolChoice => FiscalProtocolSetting.safeParse(s).success;

/** Probes each protocol in the registry's order on one open port; null when none answered. */
export async function detectProtocol(port: FiscalPort, timeoutMs = PROBE_MS): Promise<FiscalProtocol | null> {
  for (const [name, entry] of Object.entries(PROTOCOLS) as Array<[FiscalProtocol, ProtocolEntry]>) {
    if (await entry.probe(port, timeoutMs)) return name;
  }
  return null;
}

/**
 * Connects to the device in the chosen protocol. For 'auto' a port given by its path is opened for the
 * probes and closed again, so the driver opens it as it always does (with its baud rate for its timings);
 * `onDetected` hears which protocol answered (the services log it, the CLI prints it).
 */
export async function connectFiscalDevice(
  choice: ProtocolChoice,
  opts: DeviceConnectOptions,
  onDetected?: (protocol: FiscalProtocol, port: string) => void,
): Promise<FiscalDevice> {
  if (choice !== 'auto') return PROTOCOLS[choice].connect(opts);
  const opened = isPortOptions(opts.port) ? await openSerialPort(opts.port) : null;
  const port = opened ?? (opts.port as FiscalPort);
  let found: FiscalProtocol | null;
  try {
    found = await detectProtocol(port);
  } finally {
    await opened?.close();
  }
  if (found === null) {
    if (!opened) await port.close();
    throw new AppError({
      code: 'FISCAL_NO_ANSWER',
      message: `ККТ не ответила ни по одному протоколу (${Object.values(PROTOCOLS).map((p) => p.label).join(', ')}). Проверьте питание и кабель ККТ, порт и скорость в настройках (F9).`,
      retry: 'transient',
      detail: `protocol auto: no answer to ${Object.keys(PROTOCOLS).join(', ')} probes on ${port.description}`,
    });
  }
  onDetected?.(found, port.description);
  return PROTOCOLS[found].connect(opts);
}
