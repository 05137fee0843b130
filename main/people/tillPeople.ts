import { join } from 'node:path';
import { AppError, isAppError } from '../appError';
import { minorText } from '../decimalText';
import type { Logger } from '../log/logger';
import type { Database } from '../queue/database';
import type { PrinterConnection } from '../fiscal/printerConnection';
import { InstalmentStore } from '../instalments/instalmentStore';
import { RefundJournal } from '../journal/refundJournal';
import { CashDesk } from '../cash/cashDesk';
import type { RefundStore } from '../refunds/refundStore';
import { localDayOf } from '../refunds/localDay';
import { isWithoutReceipt } from '../refunds/withoutReceipt';
import type { SettingsStore } from '../settings/settingsStore';
import type { CallInput, Handlers, RefundPreview, SaleRef, RefundLineRequest } from '../../preload/contract';
import { PeopleStore } from './peopleStore';
import { PeopleService } from './peopleService';

/** The calls of issue 14 this module answers; services.ts spreads them into its handlers. */
type PeopleCalls = 'people.view' | 'people.signIn' | 'people.signOut' | 'people.add' | 'people.remove' | 'people.setRules' | 'people.approve'
  | 'people.approvals' | 'journal.list' | 'journal.get' | 'journal.exportDay' | 'cash.drawer' | 'cash.operation' | 'cash.refundTotals';

export interface TillPeopleDeps {
  db: Database;
  dataDir: string;
  printer: PrinterConnection;
  refunds: RefundStore;
  settings: SettingsStore;
  log: Logger;
  /** The header follows a sign-in or sign-out. */
  changed: () => void;
  preview: (sale: SaleRef, lines: RefundLineRequest[]) => Promise<RefundPreview>;
  /** The ФН already holds this refund's receipt (a lost database): the saga refuses it with that reason, not these checks. */
  printedBeforeLoss: (refundId: string) => boolean;
}

/**
 * The store's people at this till, wired once (issue 14): who signs documents, manager approval, the
 * refund journal and the cash drawer, plus the two checks services.ts runs before a refund and a
 * settings save.
 */
export function createTillPeople(d: TillPeopleDeps) {
  const store = new PeopleStore(d.db);
  const people = new PeopleService({ store, log: d.log, fallbackName: () => d.settings.current().cashierName, changed: d.changed });
  const journal = new RefundJournal({ db: d.db, refunds: d.refunds, instalments: new InstalmentStore(d.db), people: store, exportDir: join(d.dataDir, 'exports') });
  const cash = new CashDesk({ db: d.db, printer: d.printer, people: store, refunds: d.refunds });

  /**
   * Before a new refund is recorded: a manager's grant above the store's limit, the drawer's cash for a cash
   * part (a REGOS refund's money is VCR's business, not this register's), then who makes it. A refund
   * resumed ("Повторить") was checked when it was first confirmed.
   */
  const beforeRefund = async (input: CallInput<'refunds.confirm'>): Promise<void> => {
    if (d.refunds.get(input.refundId) || d.printedBeforeLoss(input.refundId)) return;
    const preview = await d.preview(input.sale, input.lines);
    // The drawer first: a manager is not called for a refund the till cannot pay out.
    if (input.sale.source !== 'regos') await cash.assertCovers(preview.tenders.filter((t) => t.kind === 'cash').reduce((s, t) => s + t.amountMinor, 0));
    const who = people.cashier();
    if (isWithoutReceipt(input.sale)) {
      // The reason first: a manager's grant is not spent on a refund refused for want of a reason.
      if (!input.reason) throw new AppError({ code: 'refund.reason_required', retry: 'permanent', message: 'Укажите причину возврата без чека: без неё возврат не оформляется.' });
      const granted = people.spend(input.approvalId, 'refundWithoutReceipt', ` (${minorText(preview.totalMinor)})`);
      store.recordRefund({ refundId: input.refundId, cashierName: who.name, cashierInn: who.inn, withoutReceipt: { reason: input.reason, approvalRowId: granted.approvalRowId } });
      return;
    }
    if (people.needsApproval('refundAboveLimit', preview.totalMinor)) {
      people.spend(input.approvalId, 'refundAboveLimit', ` (${minorText(preview.totalMinor)} больше ${minorText(store.rules().approvalAboveMinor)})`);
    }
    store.recordRefund({ refundId: input.refundId, cashierName: who.name, cashierInn: who.inn });
  };

  /** Training mode and back-end addresses or keys change only with a manager's grant, once the till has a manager. */
  const beforeSettingsSave = (input: CallInput<'settings.save'>): void => {
    const now = d.settings.current();
    const training = now.trainingMode !== input.trainingMode;
    const backends =
      JSON.stringify([now.lifepos.enabled, now.lifepos.baseUrl, now.lifepos.orgGuid, now.lifepos.clientId, now.lifepay.enabled, now.lifepay.baseUrl, now.lifepay.login, now.regos.enabled, now.regos.url, now.regos.login]) !==
        JSON.stringify([input.lifepos.enabled, input.lifepos.baseUrl, input.lifepos.orgGuid, input.lifepos.clientId, input.lifepay.enabled, input.lifepay.baseUrl, input.lifepay.login, input.regos.enabled, input.regos.url, input.regos.login]) ||
      input.lifepos.token !== undefined || input.lifepay.apiKey !== undefined || input.regos.password !== undefined;
    const action = training ? 'trainingMode' : backends ? 'backendSettings' : null;
    if (action && people.needsApproval(action)) people.spend(input.approvalId, action);
  };

  const cashierName = () => people.cashier().name;
  const handlers: Pick<Handlers, PeopleCalls> = {
    'people.view': async () => people.view(),
    'people.signIn': (input) => people.signIn(input),
    'people.signOut': async () => {
      people.signOut();
      return { ok: true };
    },
    'people.add': async (input) => {
      await people.add(input);
      return people.view();
    },
    'people.remove': async ({ id, approvalId }) => {
      people.remove(id, approvalId);
      return people.view();
    },
    'people.setRules': async ({ rules, approvalId }) => {
      people.setRules(rules, approvalId);
      return people.view();
    },
    'people.approve': (input) => people.approve(input),
    'people.approvals': async ({ limit }) => store.approvals(limit ?? 100),
    'journal.list': async (filter) => journal.list(filter),
    'journal.get': async ({ kind, id }) => journal.detail(kind, id),
    'journal.exportDay': async ({ date }) => journal.exportDay(date),
    'cash.drawer': async () => {
      await cash.openDrawer(cashierName());
      return { ok: true };
    },
    'cash.operation': ({ kind, amountMinor }) => cash.operation(kind, amountMinor, cashierName()),
    'cash.refundTotals': async ({ date }) => {
      const totals = cash.refundTotals(date ?? localDayOf(new Date().toISOString()), d.settings.current().currency);
      // The totals come from this till's own records; the drawer's cash is added when the printer answers.
      const inDrawerMinor = await cash.inDrawer().catch((e: unknown) => {
        if (isAppError(e)) return undefined;
        throw e;
      });
      return { ...totals, ...(inDrawerMinor === undefined ? {} : { inDrawerMinor }) };
    },
  };

  return { people, store, journal, cash, handlers, beforeRefund, beforeSettingsSave };
}
