import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { rejectionOf } from '../../test/support/caughtAppError';
import { AppError } from '../appError';
import { createLogger } from '../log/logger';
import { openDatabase, type Database } from '../queue/database';
import { PeopleStore } from './peopleStore';
import { LOCK_MS, PeopleService } from './peopleService';

/** Cashiers, sign-in and manager approval against a real SQLite file (migration 009). */
let tmp: ReturnType<typeof tempDir>;
let db: Database;
let clock: number;
let changes: number;
let people: PeopleService;
let store: PeopleStore;

beforeEach(() => {
  tmp = tempDir('people-');
  db = openDatabase(tmp.file('cashier.db'));
  clock = Date.parse('2026-12-01T10:00:00Z');
  changes = 0;
  store = new PeopleStore(db, () => clock);
  people = new PeopleService({ store, log: createLogger({ dir: tmp.file('logs'), console: false }), fallbackName: () => 'Кассир', changed: () => (changes += 1), now: () => clock });
});
afterEach(() => {
  db.close();
  tmp.remove();
});

const rejected = (p: Promise<unknown>) => rejectionOf(p, AppError);
const addManager = () => people.add({ name: 'Смирнова Е.', inn: '164807134931', role: 'manager', pin: '2468' });

describe('cashier sign-in', () => {
  it('prints as the settings name until someone signs in; sign-in by name + INN and sign-out need no restart', async () => {
    expect(people.cashier()).toEqual({ name: 'Кассир', inn: undefined });
    await people.signIn({ name: 'Иванова А.', inn: '500100732259' });
    expect(people.cashier()).toEqual({ name: 'Иванова А.', inn: '500100732259' });
    people.signOut();
    expect(people.cashier().name).toBe('Кассир');
    expect(changes).toBe(2);
  });

  it('refuses an INN with a wrong check digit, and keeps whoever was signed in', async () => {
    await people.signIn({ name: 'Иванова А.' });
    const e = await rejected(people.signIn({ name: 'Петров Б.', inn: '500100732258' }));
    expect([e.code, e.message]).toEqual(['people.bad_inn', expect.stringMatching(/контрольное число/)]);
    expect(people.cashier().name).toBe('Иванова А.');
  });

  it('a listed cashier with a PIN signs in with it; the PIN is stored only as a salted scrypt hash', async () => {
    const id = await people.add({ name: 'Петров Б.', role: 'cashier', pin: '1357' });
    await people.add({ name: 'Орлов В.', role: 'cashier', pin: '1357' });
    expect((await rejected(people.signIn({ personId: id, pin: '0000' }))).code).toBe('people.wrong_pin');
    expect((await people.signIn({ personId: id, pin: '1357' })).name).toBe('Петров Б.');
    const raw = new BetterSqlite3(tmp.file('cashier.db'), { readonly: true });
    const rows = raw.prepare('SELECT pin_hash, pin_salt FROM cashiers').all() as { pin_hash: string; pin_salt: string }[];
    raw.close();
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.pin_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.pin_hash).not.toBe(rows[1]?.pin_hash); // same PIN, different salts
    expect(JSON.stringify(rows)).not.toContain('1357');
  });
});

describe('manager approval', () => {
  it('a grant is spent once by the action it was given for, and the log says who approved what for whom', async () => {
    const managerId = await addManager();
    await people.signIn({ name: 'Иванова А.' });
    const grant = await people.approve({ managerId, pin: '2468', action: 'trainingMode', detail: 'учебный режим: выключить' });
    expect(() => people.spend(grant.approvalId, 'backendSettings')).toThrow(/подтверждение управляющего/);
    expect(people.spend(grant.approvalId, 'trainingMode').managerName).toBe('Смирнова Е.');
    expect(() => people.spend(grant.approvalId, 'trainingMode')).toThrow(/подтверждение управляющего/);
    expect(store.approvals(10)).toEqual([{ at: '2026-12-01T10:00:00.000Z', managerName: 'Смирнова Е.', action: 'trainingMode', detail: 'учебный режим: выключить', cashierName: 'Иванова А.' }]);
  });

  it('an unused grant expires', async () => {
    const managerId = await addManager();
    const grant = await people.approve({ managerId, pin: '2468', action: 'people', detail: 'добавить кассира' });
    clock += 121_000;
    expect(() => people.spend(grant.approvalId, 'people')).toThrow(/подтверждение управляющего/);
  });

  it('three wrong PINs lock PIN entry for a minute, even the right PIN; then it works again', async () => {
    const managerId = await addManager();
    const ask = (pin: string) => people.approve({ managerId, pin, action: 'rules', detail: 'порог' });
    expect((await rejected(ask('1111'))).message).toMatch(/Осталось попыток: 2/);
    expect((await rejected(ask('1111'))).message).toMatch(/Осталось попыток: 1/);
    expect((await rejected(ask('1111'))).code).toBe('people.locked');
    expect((await rejected(ask('2468'))).message).toMatch(/подождите 60 с/);
    expect(people.view().approvalLockedSeconds).toBe(60);
    clock += LOCK_MS + 1;
    expect((await ask('2468')).managerName).toBe('Смирнова Е.');
    expect(store.approvals(10)).toHaveLength(1);
  });

  it('only a listed manager approves; a cashier\'s PIN does not', async () => {
    await addManager();
    const cashierId = await people.add({ name: 'Петров Б.', role: 'cashier', pin: '1357', approvalId: (await people.approve({ managerId: store.people()[0]?.id ?? '', pin: '2468', action: 'people', detail: 'добавить' })).approvalId });
    expect((await rejected(people.approve({ managerId: cashierId, pin: '1357', action: 'rules', detail: 'x' }))).code).toBe('people.not_manager');
  });

  it('once a manager exists, the list, the rules, training mode and back-end settings need one; refunds without a receipt always do', async () => {
    expect(people.needsApproval('trainingMode')).toBe(false);
    expect(people.needsApproval('refundWithoutReceipt')).toBe(true);
    await addManager();
    expect(people.needsApproval('trainingMode')).toBe(true);
    expect(people.needsApproval('backendSettings')).toBe(true);
    expect((await rejected(people.add({ name: 'Петров Б.', role: 'cashier' }))).code).toBe('APPROVAL_REQUIRED');
    expect(() => people.setRules({ approvalAboveMinor: 500_000, checkDrawerForCash: true }, undefined)).toThrow(/правил подтверждения/);
  });

  it('a refund above the store\'s limit needs approval; at the limit or with no limit it does not', async () => {
    expect(people.needsApproval('refundAboveLimit', 10_000_000)).toBe(false);
    people.setRules({ approvalAboveMinor: 500_000, checkDrawerForCash: true }, undefined);
    expect(people.needsApproval('refundAboveLimit', 500_000)).toBe(false);
    expect(people.needsApproval('refundAboveLimit', 500_001)).toBe(true);
  });

  it('a manager needs a PIN; a removed person is off the list and signed out', async () => {
    expect((await rejected(people.add({ name: 'Без PIN', role: 'manager' }))).code).toBe('people.pin_required');
    const id = await people.add({ name: 'Петров Б.', role: 'cashier' });
    await people.signIn({ personId: id });
    people.remove(id, undefined);
    expect(people.view().people).toEqual([]);
    expect(people.current()).toBeNull();
  });
});
