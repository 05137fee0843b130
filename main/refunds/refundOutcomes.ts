import type { Logger } from '../log/logger';
import { refundLog } from '../log/logger';
import type { MainText, RecoveredHow, RecoveredRefund, Refund, RefundState } from '../../preload/contract';
import type { RefundStore, StatePatch, StoredRefund } from './refundStore';
import type { Trigger } from './settlementDecisions';

/**
 * Where a refund's state changes are written and announced, for both settlement channels: the progress
 * line the printing screen shows, the log, and — when recovery settled a refund with nobody watching —
 * the notice the cashier is shown once ("после перезапуска…").
 */
export interface RefundOutcomesDeps {
  store: RefundStore;
  log: Logger;
  progress: (refundId: string, state: RefundState, message: string, text?: MainText) => void;
  recovered: (refund: RecoveredRefund) => void;
}

/**
 * A sentence for the cashier composed here: its Russian text (the log, the journal, the stored reason) and
 * the same as a code with values (preload/contract/mainText.ts), which the UI says in its language.
 */
export interface Reason {
  text: string;
  coded: MainText;
}

export { saidError } from '../saidError';

export const REVIEW_REASON = 'Нужна проверка: не удалось однозначно определить, напечатан ли чек. Сверьте с отчётом принтера, не пробивайте повторно.';
const REVIEW: Reason = { text: REVIEW_REASON, coded: { code: 'refund.review', params: {} } };

export const publicRefund = (r: StoredRefund): Refund => {
  const { docNumberBefore: _n0, printAttempts: _attempts, recovered: _how, recoveredSeen: _seen, ...view } = r;
  return view;
};

export class RefundOutcomes {
  /** Refunds a previous run of the app left pending: what recovery settles of them is "после перезапуска". */
  private readonly pendingAtStart: ReadonlySet<string>;

  constructor(private readonly d: RefundOutcomesDeps) {
    this.pendingAtStart = new Set([...d.store.inState('confirmed'), ...d.store.inState('fiscalizing')].map((r) => r.id));
  }

  /** The part of a final state change that marks a recovery notice; written in the caller's transaction. */
  recoveryPatch(id: string, by: Trigger): StatePatch {
    if (by !== 'recovery') return {};
    const how: RecoveredHow = this.pendingAtStart.has(id) ? 'restart' : 'background';
    return { recovered: how };
  }

  /** After the commit: the progress line (a fixed one as text), and the recovery notice when recovery just settled it. */
  announce(id: string, message: string | Reason, by: Trigger | null): void {
    const r = this.d.store.require(id);
    if (typeof message === 'string') this.d.progress(id, r.state, message);
    else this.d.progress(id, r.state, message.text, message.coded);
    if (by === 'recovery' && r.recovered && !r.recoveredSeen) this.d.recovered({ ...publicRefund(r), recovered: r.recovered });
  }

  /** Proven that nothing was registered: the lines are refundable again. */
  fail(id: string, reason: Reason, by: Trigger): void {
    this.d.store.setState(id, 'failed', { reason: reason.text, reasonText: reason.coded, ...this.recoveryPatch(id, by) });
    refundLog(this.d.log, id).warn('refund failed', { reason: reason.text, by });
    this.announce(id, reason, by);
  }

  /** A person must look: an automatic step could print twice. */
  review(id: string, detail: string, by: Trigger, reason: Reason = REVIEW): void {
    this.d.store.setState(id, 'review', { reason: reason.text, reasonText: reason.coded, ...this.recoveryPatch(id, by) });
    refundLog(this.d.log, id).error('refund needs review', { detail, by });
    this.announce(id, reason, by);
  }

  /** Pending: the reason tells the cashier what happened and what to do; the refund resumes by itself. */
  wait(id: string, state: 'confirmed' | 'fiscalizing', reason: Reason): void {
    this.d.store.setState(id, state, { reason: reason.text, reasonText: reason.coded });
    refundLog(this.d.log, id).warn('refund waits', { state, reason: reason.text });
    this.d.progress(id, state, reason.text, reason.coded);
  }
}
