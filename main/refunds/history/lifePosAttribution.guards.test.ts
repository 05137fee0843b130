import { describe, expect, it } from 'vitest';
import type { Deal, Session } from '../../backends/lifepos/schemas';
import type { RecoveredReceipt } from './historyStore';
import { findInLifePos, type LifePosHistory } from './lifePosAttribution';

/**
 * Which LIFE POS sessions name a receipt this till lost (issue 11 point 7, StrykerJS survivors
 * lifePosAttribution.ts): only reversal sessions with our external_id and the receipt's number, sign and
 * ФН. LIFE POS here is a recording stand-in for the two client calls, so a test sees what would be asked
 * (the search window, archived sessions included) and when the search stops.
 */
const FN = '9999078900004321';
const receipt = (number: number, fiscalSign: string, dateTime: string): RecoveredReceipt => ({
  fnNumber: FN, number, fiscalSign, dateTime, operation: 'refundOfIncome', totalMinor: 1000,
  refundId: null, sale: null, lifePosChecked: false, positionsRead: true, positions: [], tenders: null,
});

type Fields = { type_of?: string; external_id?: string | null; receipt?: Record<string, unknown> | null };
const session = (f: Fields): Session => ({ guid: 's', type_of: 'Reversal', external_id: 'r-1', ...f } as unknown as Session);
const fiscal = (number: number, sign: string, drive?: string) => ({ fiscal_document_number: number, fiscal_sign: sign, ...(drive ? { fiscal_drive_number: drive } : {}) });

function lifePos(deals: Record<string, Session[]>) {
  const asked = { deals: [] as unknown[], sessions: [] as { deal: string; opts: unknown }[] };
  const client: LifePosHistory = {
    deals: async function* (query) {
      asked.deals.push(query);
      for (const guid of Object.keys(deals)) yield { guid } as unknown as Deal;
    },
    sessions: async function* (deal, opts) {
      asked.sessions.push({ deal, opts });
      yield* deals[deal] ?? [];
    },
  };
  return { client, asked };
}

describe('findInLifePos guards', () => {
  it('asks nothing for no receipts', async () => {
    const { client, asked } = lifePos({ d1: [session({ receipt: fiscal(5, '111') })] });
    expect(await findInLifePos(client, [], 45)).toEqual([]);
    expect(asked.deals).toEqual([]);
  });

  it('searches deals from lookbackDays before the OLDEST receipt, with archived sessions', async () => {
    const { client, asked } = lifePos({ d1: [session({ receipt: fiscal(5, '111') })] });
    await findInLifePos(client, [receipt(7, '222', '2026-03-10T12:00'), receipt(5, '111', '2026-03-01T12:00')], 10);
    expect(asked.deals).toEqual([{ createdFrom: new Date(new Date('2026-03-01T12:00').getTime() - 10 * 86_400_000).toISOString() }]);
    expect(asked.sessions).toEqual([{ deal: 'd1', opts: { selection: 'all' } }]);
  });

  it('names a refund only from a reversal session with our external_id, the same number, sign and ФН', async () => {
    const lost = [receipt(5, '111', '2026-03-01T12:00')];
    const decoys = {
      sale: [session({ type_of: 'Sale', external_id: 'x-sale', receipt: fiscal(5, '111') })],
      noReceipt: [session({ external_id: 'x-none', receipt: null })],
      noExternalId: [session({ external_id: null, receipt: fiscal(5, '111') })],
      otherSign: [session({ external_id: 'x-sign', receipt: fiscal(5, '999') })],
      otherFn: [session({ external_id: 'x-fn', receipt: fiscal(5, '111', '9999078900000001') })],
    };
    const { client } = lifePos(decoys);
    expect(await findInLifePos(client, lost, 45)).toEqual([]);
    const { client: withOurs } = lifePos({ ...decoys, ours: [session({ external_id: 'r-1', receipt: fiscal(5, '111', FN) })] });
    expect(await findInLifePos(withOurs, lost, 45)).toEqual([{ receipt: lost[0], refundId: 'r-1', dealGuid: 'ours' }]);
  });

  it('finds each receipt once, keeps looking until all are found, then stops', async () => {
    const lost = [receipt(5, '111', '2026-03-01T12:00'), receipt(6, '222', '2026-03-01T12:05')];
    const { client, asked } = lifePos({
      d1: [session({ external_id: 'r-5', receipt: fiscal(5, '111') })],
      d2: [session({ external_id: 'r-5-again', receipt: fiscal(5, '111') }), session({ external_id: 'r-6', receipt: fiscal(6, '222') })],
      d3: [session({ external_id: 'r-late', receipt: fiscal(6, '222') })],
    });
    expect((await findInLifePos(client, lost, 45)).map((f) => [f.receipt.number, f.refundId, f.dealGuid])).toEqual([[5, 'r-5', 'd1'], [6, 'r-6', 'd2']]);
    expect(asked.sessions.map((s) => s.deal)).toEqual(['d1', 'd2']);
  });
});
