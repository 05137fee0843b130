import { randomUUID } from 'node:crypto';
import { AppError } from '../appError';
import type { Logger } from '../log/logger';
import type {
  ApprovalAction, ApprovalGrant, PeopleRules, PeopleView, PersonRole, SignedIn, SignInInput,
} from '../../preload/contract/people';
import { innProblem } from './inn';
import { hashPin, pinMatches } from './pinHash';
import type { PeopleStore } from './peopleStore';

/** Three wrong PINs in a row lock PIN entry for a minute (issue 14 point 2). */
export const WRONG_PINS_BEFORE_LOCK = 3;
export const LOCK_MS = 60_000;
/** A grant is spent by the call it was asked for; one not used soon is gone (the manager has walked away). */
export const GRANT_MS = 120_000;

/** What each approval is for, in the words the cashier reads. */
export const APPROVAL_TITLE: Record<ApprovalAction, string> = {
  refundWithoutReceipt: 'возврат без чека',
  refundAboveLimit: 'возврат на крупную сумму',
  trainingMode: 'переключение учебного режима',
  backendSettings: 'изменение адресов и ключей серверов',
  people: 'изменение списка кассиров',
  rules: 'изменение правил подтверждения',
};

export function approvalRequired(action: ApprovalAction, why = ''): AppError {
  return new AppError({
    code: 'APPROVAL_REQUIRED',
    message: `Нужно подтверждение управляющего: ${APPROVAL_TITLE[action]}${why}. Позовите управляющего, он вводит свой PIN.`,
    retry: 'permanent',
    detail: `approval:${action}`,
  });
}

export interface Spent {
  approvalRowId: number;
  managerName: string;
}

interface Grant extends Spent {
  action: ApprovalAction;
  expiresAt: number;
}

export interface PeopleDeps {
  store: PeopleStore;
  log: Logger;
  /** The settings' cashier name: who prints when nobody has signed in (a till without a list). */
  fallbackName: () => string;
  /** Someone signed in or out: the header follows. */
  changed: () => void;
  now?: () => number;
}

/**
 * Who is at the till and who may approve. Sign-in lives in memory: after a restart the next person signs
 * in again (a till left signed in across a crash would print the wrong name). Approvals are one-time
 * grants: a manager's PIN gives one id, the gated call spends it, and the log keeps who approved what.
 */
export class PeopleService {
  private signedIn: SignedIn | null = null;
  private wrongPins = 0;
  private lockedUntil = 0;
  private readonly grants = new Map<string, Grant>();
  private readonly now: () => number;

  constructor(private readonly d: PeopleDeps) {
    this.now = d.now ?? Date.now;
  }

  view(): PeopleView {
    return {
      people: this.d.store.people().map(({ pin: _pin, ...p }) => p),
      signedIn: this.signedIn,
      rules: this.d.store.rules(),
      approvalLockedSeconds: Math.max(0, Math.ceil((this.lockedUntil - this.now()) / 1000)),
    };
  }

  /** Name and INN on every document printed now (tags 1021, 1203). */
  cashier(): { name: string; inn: string | undefined } {
    return this.signedIn ? { name: this.signedIn.name, inn: this.signedIn.inn } : { name: this.d.fallbackName(), inn: undefined };
  }

  current(): SignedIn | null {
    return this.signedIn;
  }

  async signIn(input: SignInInput): Promise<SignedIn> {
    let next: SignedIn;
    if ('personId' in input) {
      const p = this.d.store.person(input.personId);
      if (!p) throw new AppError({ code: 'people.not_found', message: 'Такого кассира нет в списке. Выберите себя в списке или войдите по имени и ИНН.' });
      if (p.pin) await this.checkPin(p.pin, input.pin);
      next = { name: p.name, role: p.role, personId: p.id, since: new Date(this.now()).toISOString(), ...(p.inn ? { inn: p.inn } : {}) };
    } else {
      if (input.inn) this.refuseInn(input.inn);
      next = { name: input.name, role: 'cashier', since: new Date(this.now()).toISOString(), ...(input.inn ? { inn: input.inn } : {}) };
    }
    this.signedIn = next;
    this.d.log.info('cashier signed in', { name: next.name, listed: next.personId !== undefined });
    this.d.changed();
    return next;
  }

  signOut(): void {
    if (this.signedIn) this.d.log.info('cashier signed out', { name: this.signedIn.name });
    this.signedIn = null;
    this.d.changed();
  }

  /** Adding and removing people needs a manager once the till has one (the first manager adds themselves). */
  async add(input: { name: string; inn?: string | undefined; role: PersonRole; pin?: string | undefined; approvalId?: string | undefined }): Promise<string> {
    if (this.d.store.hasManager()) this.spend(input.approvalId, 'people');
    if (input.inn) this.refuseInn(input.inn);
    if (input.role === 'manager' && !input.pin) {
      throw new AppError({ code: 'people.pin_required', message: 'Управляющему нужен PIN: им он подтверждает операции.' });
    }
    const id = this.d.store.add({ name: input.name, inn: input.inn, role: input.role, pin: input.pin ? await hashPin(input.pin) : null });
    this.d.log.info('person added to the till', { role: input.role });
    return id;
  }

  remove(id: string, approvalId: string | undefined): void {
    if (this.d.store.hasManager()) this.spend(approvalId, 'people');
    if (!this.d.store.remove(id)) throw new AppError({ code: 'people.not_found', message: 'Такого кассира уже нет в списке.' });
    if (this.signedIn?.personId === id) this.signOut();
  }

  setRules(rules: PeopleRules, approvalId: string | undefined): PeopleRules {
    if (this.d.store.hasManager()) this.spend(approvalId, 'rules');
    this.d.store.setRules(rules);
    return this.d.store.rules();
  }

  /** A manager's PIN for one action: a grant to spend, logged with who approved what for whom. */
  async approve(req: { managerId: string; pin: string; action: ApprovalAction; detail: string }): Promise<ApprovalGrant> {
    const manager = this.d.store.person(req.managerId);
    if (!manager || manager.role !== 'manager' || !manager.pin) {
      throw new AppError({ code: 'people.not_manager', message: 'Подтверждать может только управляющий из списка кассы.' });
    }
    await this.checkPin(manager.pin, req.pin);
    const approvalRowId = this.d.store.logApproval({ managerId: manager.id, managerName: manager.name, action: req.action, detail: req.detail, cashierName: this.signedIn?.name });
    const approvalId = randomUUID();
    const expiresAt = this.now() + GRANT_MS;
    this.grants.set(approvalId, { action: req.action, managerName: manager.name, approvalRowId, expiresAt });
    this.d.log.info('manager approval', { action: req.action, manager: manager.name, detail: req.detail });
    return { approvalId, managerName: manager.name, action: req.action, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Does this action need a manager now? Refunds without a receipt always do. */
  needsApproval(action: ApprovalAction, amountMinor = 0): boolean {
    if (action === 'refundWithoutReceipt') return true;
    if (action === 'refundAboveLimit') {
      const limit = this.d.store.rules().approvalAboveMinor;
      return limit > 0 && amountMinor > limit;
    }
    return this.d.store.hasManager();
  }

  /** Spends a grant given for `action`, or refuses with APPROVAL_REQUIRED (the UI then asks for a PIN). */
  spend(approvalId: string | undefined, action: ApprovalAction, why = ''): Spent {
    const grant = approvalId ? this.grants.get(approvalId) : undefined;
    if (!grant || grant.action !== action || grant.expiresAt < this.now()) throw approvalRequired(action, why);
    this.grants.delete(approvalId ?? '');
    return { approvalRowId: grant.approvalRowId, managerName: grant.managerName };
  }

  private refuseInn(inn: string): void {
    const problem = innProblem(inn);
    if (problem) throw new AppError({ code: 'people.bad_inn', message: problem });
  }

  private async checkPin(stored: { hashHex: string; saltHex: string }, pin: string | undefined): Promise<void> {
    const wait = Math.ceil((this.lockedUntil - this.now()) / 1000);
    if (wait > 0) {
      throw new AppError({ code: 'people.locked', message: `Три раза введён неверный PIN: ввод PIN заблокирован, подождите ${wait} с.`, retry: 'transient' });
    }
    if (pin !== undefined && (await pinMatches(pin, stored))) {
      this.wrongPins = 0;
      return;
    }
    this.wrongPins += 1;
    if (this.wrongPins >= WRONG_PINS_BEFORE_LOCK) {
      this.wrongPins = 0;
      this.lockedUntil = this.now() + LOCK_MS;
      this.d.log.warn('PIN entry locked after three wrong PINs');
      throw new AppError({ code: 'people.locked', message: 'Три раза введён неверный PIN: ввод PIN заблокирован на минуту.', retry: 'transient' });
    }
    throw new AppError({ code: 'people.wrong_pin', message: `Неверный PIN. Осталось попыток: ${WRONG_PINS_BEFORE_LOCK - this.wrongPins}.` });
  }
}
