/**
 * `npm run bench:refund`: a 10-line LIFE POS refund end to end through the app's real services
 * (createServices) — saga.confirm → receipt printed →
 * the three LIFE POS jobs done (state 'synced') — against the sum of its parts' floors measured in the
 * same run:
 *   - the printer: bytes on the wire (both ways) × 10 bits ÷ 115200 baud + the emulator's declared
 *     processing time of the commands it ran (as bench:fiscal computes it), emulator in its own process
 *     on a socat pty;
 *   - the server: one bare fetch round trip per LIFE POS call the refund makes (deal, sessions, create
 *     reversal, PATCH receipt, PATCH deal status) against the same emulator, measured right after.
 * Then once, the training deal А-1300 (emulators/lifepos/seed.ts: 300 lines, 22 % and 10 %) refunded whole:
 * one refund printed as three receipts (issue 20), against the same two floors (every receipt's wire bytes
 * and processing; one LIFE POS session, so the same five calls).
 * Prints figures only (goal ≤ 1.15x), no pass/fail.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startSocatPair } from '../emulators/socat';
import { spawnEmulatorProcess } from '../emulators/shtrih/process';
import { startLifePosEmulator } from '../emulators/lifepos/server';
import { demoLifePosSeed } from '../emulators/lifepos/seed';
import { buildDeal, lifePosSeedOf, tempDir, type BuiltDeal } from '../test/integration/refunds/fixtures';
import { startTestApp, type Progress } from '../test/integration/refunds/testApp';

const BAUD = 115_200;
const RUNS = 5;

const tenLines = (n: number): BuiltDeal => buildDeal(n, {
  lines: Array.from({ length: 10 }, (_, i) => ({ name: `Товар возврата ${n}-${i + 1}, упаковка 1 шт.`, quantityMilli: 1000, priceKopecks: 12_990 + i * 100 })),
  cardKopecks: 5_000,
});

const tmp = tempDir('refund-bench-');
const deals = Array.from({ length: RUNS + 2 }, (_, i) => tenLines(i + 1));
const floorDeal = deals[RUNS + 1];
if (!floorDeal) throw new Error('no floor deal');
// The training deal А-1300, as the demo seed holds it.
const demo = demoLifePosSeed();
const wholesale = demo.deals.find((d) => d.number === 'А-1300');
if (!wholesale) throw new Error('training deal А-1300 is missing from the LIFE POS demo seed');
const seed = lifePosSeedOf(deals);
const lifepos = await startLifePosEmulator({ seed: { deals: [...seed.deals, wholesale], sessions: { ...seed.sessions, [wholesale.guid]: demo.sessions[wholesale.guid] ?? [] } } });
const pair = await startSocatPair();
const emu = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: tmp.file('fn.json'), baudRate: BAUD, processingScale: 1 });

const waiters = new Map<string, () => void>();
// The app's real services (createServices), with the app's own probe intervals: the monitor's and
// the printer probe's requests stay out of the measured window.
const rig = await startTestApp(join(tmp.dir, 'app'), {
  printer: { port: { path: pair.hostPath, baudRate: BAUD } },
  backends: { lifepos: { url: lifepos.url, orgGuid: lifepos.orgGuid, token: lifepos.token } },
  connectivityIntervalMs: 10_000,
  printerProbeMs: 10_000,
  pendingRecheckMs: 10_000,
}, (p: Progress) => {
  if (p.state === 'synced') waiters.get(p.refundId)?.();
});

const headers = { Authorization: `Bearer ${lifepos.token}`, 'X-LP-Client-Identifier': 'bench', 'X-LP-Client-Type': 'App', 'Content-Type': 'application/json', Accept: 'application/json' };
const dealPath = (d: BuiltDeal) => `${lifepos.url}/orgs/${lifepos.orgGuid}/deals/sales/${d.deal.guid}`;

/** One bare round trip per LIFE POS call a refund makes, with fetch against the same emulator. */
async function serverFloor(d: BuiltDeal): Promise<{ ms: number; calls: number }> {
  const timed = async (url: string, init: RequestInit): Promise<{ ms: number; body: string }> => {
    const t0 = performance.now();
    const res = await fetch(url, { ...init, headers });
    const body = await res.text();
    return { ms: performance.now() - t0, body };
  };
  const line = d.deal.positions[0];
  const part = d.sale.payment_parts[0];
  if (!line || !part) throw new Error('floor deal has no line or payment part');
  const steps = [
    await timed(dealPath(d), { method: 'GET' }),
    await timed(`${dealPath(d)}/sessions?selection=all`, { method: 'GET' }),
  ];
  const created = await timed(`${dealPath(d)}/sessions/reversal`, {
    method: 'POST',
    body: JSON.stringify({
      external_id: randomUUID(),
      positions: [{ position_guid: line.guid, quantity: 0.001, total_sum: { value: 13, currency: 'RUB' } }],
      payment_parts: [{ type_of: part.type_of, amount: { value: 13, currency: 'RUB' }, primary_payment_part: { guid: part.guid, type_of: part.type_of }, primary_sale_session: { guid: d.sale.guid, type_of: 'Sale' } }],
    }),
  });
  steps.push(created);
  const guid = (JSON.parse(created.body) as { guid?: string }).guid;
  if (!guid) throw new Error(`floor create failed: ${created.body}`);
  steps.push(await timed(`${dealPath(d)}/sessions/reversal/${guid}`, {
    method: 'PATCH',
    body: JSON.stringify([{ op: 'replace', path: '/receipt', value: { fiscal_document_number: 1, fiscal_sign: '1', issued_at: new Date().toISOString(), total_sum: { value: 13, currency: 'RUB' } } }]),
  }));
  steps.push(await timed(dealPath(d), { method: 'PATCH', body: JSON.stringify([{ op: 'replace', path: '/payment_status', value: 'PartiallyRefunded' }]) }));
  return { ms: steps.reduce((s, x) => s + x.ms, 0), calls: steps.length };
}

async function refundOnce(d: Pick<BuiltDeal, 'deal' | 'cardPart'>): Promise<{ ms: number; wireMs: number; processingMs: number; bytes: number; commands: number; httpCalls: number; receipts: number }> {
  const id = randomUUID();
  const synced = new Promise<void>((resolve) => waiters.set(id, resolve));
  await emu.resetStats();
  const before = lifepos.requests.length;
  const t0 = performance.now();
  const refund = await rig.saga.confirm({ refundId: id, sale: { source: 'lifepos', id: d.deal.guid }, lines: d.deal.positions.map((p) => ({ lineId: p.guid, quantityMilli: p.quantity })), cardRrns: d.cardPart ? { [d.cardPart]: '123456789012' } : {} });
  await synced;
  const ms = performance.now() - t0;
  waiters.delete(id);
  const s = await emu.stats();
  const bytes = s.bytesIn + s.bytesOut;
  return { ms, wireMs: (bytes * 10 * 1000) / BAUD, processingMs: s.processingMs, bytes, commands: s.commands, httpCalls: lifepos.requests.length - before, receipts: refund.receiptCount ?? 1 };
}

const fmt = (n: number): string => n.toFixed(1);
try {
  // Warm-up: opens the shift, connects, JIT — not measured.
  const warm = deals[0];
  if (!warm) throw new Error('no warm-up deal');
  await refundOnce(warm);
  console.log(`refund bench: 10-line LIFE POS refund, confirm → receipt (emulator in its own process, socat pty, ${BAUD} baud, declared processing) → 3 LIFE POS jobs → synced`);
  console.log('run  time_ms  printer_floor_ms (wire + processing)  server_floor_ms (calls)  floor_ms  ratio  fn_commands  http_calls');
  const ratios: { ratio: number; line: string }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const d = deals[run];
    if (!d) throw new Error('missing deal');
    const r = await refundOnce(d);
    const server = await serverFloor(floorDeal);
    const printerFloor = r.wireMs + r.processingMs;
    const floor = printerFloor + server.ms;
    const line = `${String(run).padStart(3)}  ${fmt(r.ms).padStart(7)}  ${fmt(printerFloor).padStart(16)} (${fmt(r.wireMs)} + ${fmt(r.processingMs)})  ${fmt(server.ms).padStart(14)} (${server.calls})  ${fmt(floor).padStart(8)}  ${(r.ms / floor).toFixed(3)}  ${String(r.commands).padStart(11)}  ${String(r.httpCalls).padStart(10)}`;
    console.log(line);
    ratios.push({ ratio: r.ms / floor, line });
  }
  const median = [...ratios].sort((a, b) => a.ratio - b.ratio)[Math.floor(ratios.length / 2)];
  console.log(`median ratio ${median?.ratio.toFixed(3) ?? '?'}x (goal ≤ 1.15x)`);

  const big = await refundOnce({ deal: wholesale, cardPart: undefined });
  const bigServer = await serverFloor(floorDeal);
  const bigPrinter = big.wireMs + big.processingMs;
  const bigFloor = bigPrinter + bigServer.ms;
  console.log(`300-line refund (training deal А-1300), ${big.receipts} receipts, one LIFE POS session`);
  console.log(`time_ms ${fmt(big.ms)}  printer_floor_ms ${fmt(bigPrinter)} (${fmt(big.wireMs)} + ${fmt(big.processingMs)})  server_floor_ms ${fmt(bigServer.ms)} (${bigServer.calls})  floor_ms ${fmt(bigFloor)}  ratio ${(big.ms / bigFloor).toFixed(3)}  fn_commands ${big.commands}  http_calls ${big.httpCalls}`);
} finally {
  await rig.close();
  await emu.kill('SIGTERM');
  await pair.close();
  await lifepos.close();
  tmp.remove();
}
