import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../queue/database';
import { ApprovalAction, PersonRole, type ApprovalLogEntry, type PeopleRules, type Person } from '../../preload/contract/people';
import type { PinHash } from './pinHash';

/** The people tables of migration 009. Every read parses its rows: a row that does not fit is a loud error. */
const PersonRow = z.object({
  id: z.string(), name: z.string(), inn: z.string().nullable(), role: PersonRole,
  pin_hash: z.string().nullable(), pin_salt: z.string().nullable(),
});
const ApprovalRow = z.object({ at: z.number().int(), manager_name: z.string(), action: ApprovalAction, detail: z.string(), cashier_name: z.string().nullable() });
const RulesRow = z.object({ approval_above_minor: z.number().int(), check_drawer_for_cash: z.number().int() });
const RefundPeopleRow = z.object({
  refund_id: z.string(), cashier_name: z.string(), cashier_inn: z.string().nullable(), without_receipt: z.number().int(),
  reason: z.string().nullable(), manager_name: z.string().nullable(),
});

export interface StoredPerson extends Person {
  pin: PinHash | null;
}

export interface RefundPeople {
  refundId: string;
  cashierName: string;
  cashierInn: string | undefined;
  withoutReceipt: boolean;
  reason: string | undefined;
  approvedBy: string | undefined;
}

const toPerson = (r: z.infer<typeof PersonRow>): StoredPerson => ({
  id: r.id, name: r.name, role: r.role, ...(r.inn ? { inn: r.inn } : {}),
  hasPin: r.pin_hash !== null,
  pin: r.pin_hash && r.pin_salt ? { hashHex: r.pin_hash, saltHex: r.pin_salt } : null,
});

export class PeopleStore {
  private readonly q;

  constructor(db: Database, private readonly now: () => number = Date.now) {
    this.q = {
      people: db.prepare(`SELECT id, name, inn, role, pin_hash, pin_salt FROM cashiers WHERE removed_at IS NULL ORDER BY role DESC, name`),
      person: db.prepare(`SELECT id, name, inn, role, pin_hash, pin_salt FROM cashiers WHERE id = ? AND removed_at IS NULL`),
      add: db.prepare(`INSERT INTO cashiers (id, name, inn, role, pin_hash, pin_salt, created_at) VALUES (@id, @name, @inn, @role, @hash, @salt, @now)`),
      remove: db.prepare(`UPDATE cashiers SET removed_at = ? WHERE id = ? AND removed_at IS NULL`),
      managers: db.prepare(`SELECT COUNT(*) FROM cashiers WHERE role = 'manager' AND removed_at IS NULL`).pluck(),
      approve: db.prepare(`INSERT INTO approvals (at, manager_id, manager_name, action, detail, cashier_name) VALUES (?, ?, ?, ?, ?, ?)`),
      approvals: db.prepare(`SELECT at, manager_name, action, detail, cashier_name FROM approvals ORDER BY id DESC LIMIT ?`),
      rules: db.prepare(`SELECT approval_above_minor, check_drawer_for_cash FROM people_rules WHERE id = 1`),
      setRules: db.prepare(`UPDATE people_rules SET approval_above_minor = ?, check_drawer_for_cash = ? WHERE id = 1`),
      refundPeople: db.prepare(`INSERT OR IGNORE INTO refund_people (refund_id, cashier_name, cashier_inn, without_receipt, reason, approval_id) VALUES (?, ?, ?, ?, ?, ?)`),
      ofRefund: db.prepare(`SELECT p.refund_id, p.cashier_name, p.cashier_inn, p.without_receipt, p.reason, a.manager_name
                            FROM refund_people p LEFT JOIN approvals a ON a.id = p.approval_id WHERE p.refund_id = ?`),
    };
  }

  people(): StoredPerson[] {
    return this.q.people.all().map((r) => toPerson(PersonRow.parse(r)));
  }

  person(id: string): StoredPerson | null {
    const row = this.q.person.get(id);
    return row ? toPerson(PersonRow.parse(row)) : null;
  }

  add(p: { name: string; inn: string | undefined; role: PersonRole; pin: PinHash | null }): string {
    const id = randomUUID();
    this.q.add.run({ id, name: p.name, inn: p.inn ?? null, role: p.role, hash: p.pin?.hashHex ?? null, salt: p.pin?.saltHex ?? null, now: this.now() });
    return id;
  }

  remove(id: string): boolean {
    return this.q.remove.run(this.now(), id).changes === 1;
  }

  hasManager(): boolean {
    return Number(this.q.managers.get()) > 0;
  }

  /** Appends an approval to the log; its row id ties a refund without a receipt to it. */
  logApproval(a: { managerId: string; managerName: string; action: ApprovalAction; detail: string; cashierName: string | undefined }): number {
    return Number(this.q.approve.run(this.now(), a.managerId, a.managerName, a.action, a.detail, a.cashierName ?? null).lastInsertRowid);
  }

  approvals(limit: number): ApprovalLogEntry[] {
    return this.q.approvals.all(limit).map((raw) => {
      const r = ApprovalRow.parse(raw);
      return { at: new Date(r.at).toISOString(), managerName: r.manager_name, action: r.action, detail: r.detail, ...(r.cashier_name ? { cashierName: r.cashier_name } : {}) };
    });
  }

  rules(): PeopleRules {
    const r = RulesRow.parse(this.q.rules.get());
    return { approvalAboveMinor: r.approval_above_minor, checkDrawerForCash: r.check_drawer_for_cash === 1 };
  }

  setRules(r: PeopleRules): void {
    this.q.setRules.run(r.approvalAboveMinor, r.checkDrawerForCash ? 1 : 0);
  }

  /** Who made a refund; the first record wins (a resumed refund keeps the cashier who started it). */
  recordRefund(p: { refundId: string; cashierName: string; cashierInn: string | undefined; withoutReceipt?: { reason: string; approvalRowId: number } }): void {
    this.q.refundPeople.run(p.refundId, p.cashierName, p.cashierInn ?? null, p.withoutReceipt ? 1 : 0, p.withoutReceipt?.reason ?? null, p.withoutReceipt?.approvalRowId ?? null);
  }

  ofRefund(refundId: string): RefundPeople | null {
    const raw = this.q.ofRefund.get(refundId);
    if (!raw) return null;
    const r = RefundPeopleRow.parse(raw);
    return {
      refundId: r.refund_id, cashierName: r.cashier_name, cashierInn: r.cashier_inn ?? undefined,
      withoutReceipt: r.without_receipt === 1, reason: r.reason ?? undefined, approvedBy: r.manager_name ?? undefined,
    };
  }
}
