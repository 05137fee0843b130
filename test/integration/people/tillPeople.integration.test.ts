import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/appError';
import type { Services } from '../../../main/services';
import { EmulatorState } from '../../../emulators/shtrih/state';
import { rejectionOf } from '../../support/caughtAppError';
import { useTrainingServices } from '../../support/trainingServices';

/**
 * Issue 14 through the app's real services in training mode (the ФН emulator, the LIFE POS emulator):
 * who signs the documents, the journal, manager approval, the drawer's cash before a cash refund.
 */
const app = useTrainingServices('till-people-');
const CASH_SALE = 'А-1005'; // LIFE POS demo seed: apples and a bag, 171,89 ₽ cash, no marked goods
const INN = '500100732259';

type H = Services['handlers'];
const rejected = (p: Promise<unknown>) => rejectionOf(p, AppError);
const ФН = (): EmulatorState => EmulatorState.parse(JSON.parse(readFileSync(join(app.dataDir(), 'training', 'fiscal.json'), 'utf8')));

async function wholeSale(h: H, query: string) {
  const found = await h['sales.search']({ query });
  if (found.kind !== 'sale') throw new Error(`${query} is not one sale`);
  return { sale: found.sale.ref, lines: found.sale.lines.filter((l) => l.refundableMilli > 0).map((l) => ({ lineId: l.lineId, quantityMilli: l.refundableMilli })) };
}
const confirm = async (h: H, query: string, approvalId?: string) =>
  h['refunds.confirm']({ refundId: randomUUID(), ...(await wholeSale(h, query)), cardRrns: {}, ...(approvalId ? { approvalId } : {}) });

describe('cashier sign-in and the journal', () => {
  it('the signed-in cashier and INN are on the shift document and the refund receipt; the journal, its CSV and the totals name them', async () => {
    const h = (await app.start()).handlers;
    expect((await h['app.status']({})).cashier).toEqual({ name: 'Кассир', signedIn: false });
    await h['people.signIn']({ name: 'Иванова А.', inn: INN });
    expect((await h['app.status']({})).cashier).toEqual({ name: 'Иванова А.', signedIn: true });
    await h['shift.open']({});
    const refund = await confirm(h, CASH_SALE);
    expect(refund.state).toMatch(/fiscalized|synced/);

    const docs = ФН().documents;
    expect(docs.map((d) => [d.type, d.cashier, d.cashierInn])).toEqual([[2, 'Иванова А.', INN], [3, 'Иванова А.', INN]]);

    const [entry] = await h['journal.list']({ cashier: 'иванова' });
    expect(entry).toMatchObject({ kind: 'refund', id: refund.id, saleNumber: CASH_SALE, cashierName: 'Иванова А.', totalMinor: 17_189, withoutReceipt: false });
    expect(await h['journal.list']({ cashier: 'Петров' })).toEqual([]);
    expect(await h['journal.list']({ sale: 'А-1005', state: 'failed' })).toEqual([]);
    const detail = await h['journal.get']({ kind: 'refund', id: refund.id });
    if (detail.kind !== 'refund') throw new Error('refund expected');
    expect(detail.refund.lines.length).toBeGreaterThan(0);
    expect(detail.refund.tenders).toEqual([expect.objectContaining({ kind: 'cash', amountMinor: 17_189 })]);
    expect(detail.cashierInn).toBe(INN);
    expect(detail.sync.map((j) => j.kind)).toContain('lifepos.reversal.create');
    expect(detail.copyLines[0]).toBe('КОПИЯ ЧЕКА ВОЗВРАТА ПРИХОДА');
    expect(detail.copyLines).toContain(`ФД № ${docs[1]?.number ?? '?'}  ФП ${docs[1]?.fiscalSign ?? '?'}`);

    const today = entry?.createdAt ? new Date(entry.createdAt).toLocaleDateString('sv-SE') : '';
    const csv = await h['journal.exportDay']({ date: today });
    expect(csv.rows).toBe(1);
    expect(readFileSync(csv.path, 'utf8')).toBe(csv.csv);
    expect(csv.csv.split('\r\n')[1]).toContain(';возврат;');
    expect(csv.csv).toContain(';Иванова А.;171,89;171,89;');

    const totals = await h['cash.refundTotals']({ date: today });
    expect(totals).toMatchObject({ refunds: 1, totalMinor: 17_189, byTender: [{ kind: 'cash', amountMinor: 17_189, count: 1 }], inDrawerMinor: 1_000_000 - 17_189 });

    await h['people.signOut']({});
    expect((await h['app.status']({})).cashier).toEqual({ name: 'Кассир', signedIn: false });
  });
});

describe('manager approval and the cash drawer', () => {
  it('a refund above the store limit waits for a manager\'s PIN; the grant lets it print and the log keeps who approved it', async () => {
    const h = (await app.start()).handlers;
    const managerId = (await h['people.add']({ name: 'Смирнова Е.', role: 'manager', pin: '2468' })).people[0]?.id ?? '';
    const rulesGrant = await h['people.approve']({ managerId, pin: '2468', action: 'rules', detail: 'порог 100,00' });
    await h['people.setRules']({ rules: { approvalAboveMinor: 10_000, checkDrawerForCash: true }, approvalId: rulesGrant.approvalId });
    await h['shift.open']({});

    const refused = await rejected(confirm(h, CASH_SALE));
    expect([refused.code, refused.detail]).toEqual(['APPROVAL_REQUIRED', 'approval:refundAboveLimit']);
    expect(refused.message).toMatch(/171,89 больше 100,00/);
    expect(ФН().documents.filter((d) => d.type === 3)).toHaveLength(0);

    const grant = await h['people.approve']({ managerId, pin: '2468', action: 'refundAboveLimit', detail: 'возврат А-1005' });
    expect((await confirm(h, CASH_SALE, grant.approvalId)).state).toMatch(/fiscalized|synced/);
    expect((await h['people.approvals']({})).map((a) => [a.managerName, a.action])).toEqual([['Смирнова Е.', 'refundAboveLimit'], ['Смирнова Е.', 'rules']]);

    const settings = await h['settings.get']({});
    const { secretStorage: _s, lifepos, lifepay, regos, fiscal, ...rest } = settings;
    const plain = { ...rest, fiscal: { ...fiscal, operatorPassword: undefined }, lifepos: { ...lifepos, token: undefined }, lifepay: { ...lifepay, apiKey: undefined }, regos: { ...regos, password: undefined } };
    const noTraining = await rejected(h['settings.save']({ ...plain, trainingMode: false }));
    expect(noTraining.detail).toBe('approval:trainingMode');
  });

  it('a cash refund the drawer cannot cover is refused in Russian before anything prints; внесение makes it possible', async () => {
    const h = (await app.start()).handlers;
    await h['shift.open']({});
    const out = await h['cash.operation']({ kind: 'out', amountMinor: 1_000_000 - 10_000 });
    expect(out.inDrawerMinor).toBe(10_000);
    const refused = await rejected(confirm(h, CASH_SALE));
    expect([refused.code, refused.message]).toEqual(['CASH_NOT_ENOUGH', expect.stringMatching(/^В кассе 100,00 наличными, а возврат наличными — 171,89/)]);
    expect(ФН().documents.filter((d) => d.type === 3)).toHaveLength(0);
    expect((await rejected(h['cash.operation']({ kind: 'out', amountMinor: 10_001 }))).code).toBe('CASH_NOT_ENOUGH');

    await h['cash.operation']({ kind: 'in', amountMinor: 50_000 });
    await h['cash.drawer']({});
    expect((await confirm(h, CASH_SALE)).state).toMatch(/fiscalized|synced/);
    expect(ФН().cash.inDrawerMinor).toBe(60_000 - 17_189);
  });
});
