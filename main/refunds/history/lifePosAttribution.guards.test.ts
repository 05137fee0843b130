import { afterEach, describe, expect, it } from 'vitest';
import { rub, saleDeal } from '../../../emulators/lifepos/seed';
import type { Session as EmulatorSession } from '../../../emulators/lifepos/schemas';
import { startLifePosEmulator, type LifePosEmulator } from '../../../emulators/lifepos/server';
import { LifePosClient } from '../../backends/lifepos/lifePosClient';
import type { ReceiptData } from '../../backends/lifepos/schemas';
import type { RecoveredReceipt } from './historyStore';
import { findInLifePos } from './lifePosAttribution';

/**
 * Which LIFE POS sessions name a receipt this till lost (issue 11 point 7, StrykerJS survivors
 * lifePosAttribution.ts): only reversal sessions with our external_id and the receipt's number, sign and
 * ФН. The real client asks the LIFE POS emulator over HTTP; our refunds reach it as the outbox job sends
 * them (create, PATCH the receipt, DELETE to archive), what no till of ours would send (a sale session
 * carrying a receipt, a session without external_id) is in its seed. The emulator's request log shows
 * which deals' sessions were read, so a test sees the search window and when the search stops.
 */
const FN = '9999078900004321';
const DAY_MS = 86_400_000;
const receipt = (number: number, fiscalSign: string, dateTime: string): RecoveredReceipt => ({
  fnNumber: FN, number, fiscalSign, dateTime, operation: 'refundOfIncome', totalMinor: 1000,
  refundId: null, sale: null, lifePosChecked: false, positionsRead: true, positions: [], tenders: null,
});
const fiscal = (number: number, sign: string, drive?: string): ReceiptData => ({
  fiscal_document_number: number, fiscal_sign: sign, issued_at: '2026-03-01T12:00:00Z', total_sum: rub(1000),
  ...(drive ? { fiscal_drive_number: drive } : {}),
});
const at = (dateTime: string, shiftMs: number): string => new Date(new Date(dateTime).getTime() + shiftMs).toISOString();

/** A one-line cash sale `guid` made at `createdAt`, with `others` (sessions no till of ours sends) beside its sale session. */
function sale(guid: string, createdAt: string, others: Partial<EmulatorSession>[] = []) {
  const { deal, sale: s } = saleDeal({
    guid, number: guid, createdAt, saleSessionGuid: `sale-${guid}`,
    lines: [{ guid: `p-${guid}`, name: 'Молоко 3,2 % 1 л', quantity: 1000, priceKopecks: 1000, totalKopecks: 1000, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods' }],
    parts: [{ guid: `pp-${guid}`, type_of: 'Cash', kopecks: 1000 }],
  });
  const seeded = others.map((o, i): EmulatorSession => ({
    guid: `${guid}-seeded-${i}`, type_of: 'Reversal', created_at: createdAt, archived: false, external_id: null,
    total_sum: rub(1000), payment_parts: [], positions: [], receipt: null, ...o,
  }));
  return { deal, sessions: [s, ...seeded] };
}

const emulators: LifePosEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.close();
});

/** The emulator holding `sales`, the real client on it, and what it was asked from the search on. */
async function lifePos(sales: ReturnType<typeof sale>[]) {
  const emu = await startLifePosEmulator({
    seed: { deals: sales.map((s) => s.deal), sessions: Object.fromEntries(sales.map((s) => [s.deal.guid, s.sessions])) },
  });
  emulators.push(emu);
  const client = new LifePosClient({
    baseUrl: emu.url, orgGuid: emu.orgGuid, token: emu.token, clientId: 'refund-cashier-test', clientType: 'App', language: 'ru-RU', timeoutMs: 10_000,
  });
  const sessionsPath = (deal: string) => `/orgs/${emu.orgGuid}/deals/sales/${deal}/sessions`;
  /** Our refund of the sale `deal` as the outbox job leaves it: created, its receipt PATCHed, maybe archived. */
  async function ourRefund(deal: string, externalId: string, data: ReceiptData, archived = false): Promise<void> {
    const amount = rub(1000);
    const created = await client.createReversalSession(deal, {
      external_id: externalId, positions: [{ position_guid: `p-${deal}`, quantity: 1000, total_sum: amount }],
      payment_parts: [{ type_of: 'Cash', amount, primary_payment_part: { guid: `pp-${deal}`, type_of: 'Cash' }, primary_sale_session: { guid: `sale-${deal}`, type_of: 'Sale' } }],
    });
    await client.patchReversalSession(deal, created.guid, data);
    if (archived) await client.archiveReversalSession(deal, created.guid);
  }
  let from = 0;
  return {
    client, emu, ourRefund,
    /** Marks the end of the setup: `asked()` lists the search's requests only. */
    search: (receipts: readonly RecoveredReceipt[], lookbackDays: number) => {
      from = emu.requests.length;
      return findInLifePos(client, receipts, lookbackDays);
    },
    asked: () => emu.requests.slice(from).map((r) => `${r.method} ${r.path}`),
    listDeals: `GET /orgs/${emu.orgGuid}/deals/sales`,
    readSessions: (deal: string) => `GET ${sessionsPath(deal)}`,
  };
}

describe('findInLifePos guards', () => {
  it('asks LIFE POS nothing for no receipts', async () => {
    const pos = await lifePos([sale('d1', '2026-03-01T10:00:00Z')]);
    await pos.ourRefund('d1', 'r-1', fiscal(5, '111'));
    expect(await pos.search([], 45)).toEqual([]);
    expect(pos.asked()).toEqual([]);
  });

  it('searches deals from lookbackDays before the OLDEST receipt, archived sessions included', async () => {
    const oldest = receipt(5, '111', '2026-03-01T12:00');
    const newest = receipt(7, '222', '2026-03-10T12:00');
    const windowStart = -10 * DAY_MS;
    // A deal a moment before the window carries the same receipt: read, it would name the wrong refund.
    const pos = await lifePos([
      sale('before', at(oldest.dateTime, windowStart - 1)), sale('edge', at(oldest.dateTime, windowStart)), sale('late', at(newest.dateTime, -3_600_000)),
    ]);
    await pos.ourRefund('before', 'r-before', fiscal(5, '111'));
    await pos.ourRefund('edge', 'r-5', fiscal(5, '111'), true);
    await pos.ourRefund('late', 'r-7', fiscal(7, '222'));
    expect(await pos.search([newest, oldest], 10)).toEqual([
      { receipt: oldest, refundId: 'r-5', dealGuid: 'edge' }, { receipt: newest, refundId: 'r-7', dealGuid: 'late' },
    ]);
    expect(pos.asked()).toEqual([pos.listDeals, pos.readSessions('edge'), pos.readSessions('late')]);
  });

  it('names a refund only from a reversal session with our external_id, the same number, sign and ФН', async () => {
    const lost = [receipt(5, '111', '2026-03-01T12:00')];
    const dealAt = at(lost[0]!.dateTime, -DAY_MS);
    const pos = await lifePos([
      sale('sale', dealAt, [{ type_of: 'Sale', external_id: 'x-sale', receipt: fiscal(5, '111') }]),
      sale('noExternalId', dealAt, [{ external_id: null, receipt: fiscal(5, '111') }]),
      sale('noReceipt', dealAt, [{ external_id: 'x-none' }]),
      sale('ours', dealAt),
    ]);
    await pos.ourRefund('ours', 'x-sign', fiscal(5, '999'));
    await pos.ourRefund('ours', 'x-fn', fiscal(5, '111', '9999078900000001'));
    expect(await pos.search(lost, 45)).toEqual([]);
    await pos.ourRefund('ours', 'r-1', fiscal(5, '111', FN));
    expect(await pos.search(lost, 45)).toEqual([{ receipt: lost[0], refundId: 'r-1', dealGuid: 'ours' }]);
  });

  it('finds each receipt once, keeps looking until all are found, then stops', async () => {
    const lost = [receipt(5, '111', '2026-03-01T12:00'), receipt(6, '222', '2026-03-01T12:05')];
    const pos = await lifePos(['d1', 'd2', 'd3'].map((d, i) => sale(d, at(lost[0]!.dateTime, -DAY_MS + i * 60_000))));
    await pos.ourRefund('d1', 'r-5', fiscal(5, '111'));
    await pos.ourRefund('d2', 'r-5-again', fiscal(5, '111'));
    await pos.ourRefund('d2', 'r-6', fiscal(6, '222'));
    await pos.ourRefund('d3', 'r-late', fiscal(6, '222'));
    expect((await pos.search(lost, 45)).map((f) => [f.receipt.number, f.refundId, f.dealGuid])).toEqual([[5, 'r-5', 'd1'], [6, 'r-6', 'd2']]);
    expect(pos.asked()).toEqual([pos.listDeals, pos.readSessions('d1'), pos.readSessions('d2')]);
  });
});
