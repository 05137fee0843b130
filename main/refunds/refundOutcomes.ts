import type { Logger } from '../log/logger';
import { refundLog } from '../log/logger';
import type { RecoveredHow, RecoveredRefund, Refund, RefundState } from '../../preload/contract';
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
  progress: (refundId: string, state: RefundState, message: string) => void;
  recovered: (refund: RecoveredRefund) => void;
}

export const REVIEW_REASON = 'Нужна проверка: не удалось однозначно определить, напечатан ли чек. Сверьте с отчётом принтера, не пробивайте повторно.';

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

  /** After the commit: the progress line, and the recovery notice when recovery just settled it. */
  announce(id: string, message: string, by: Trigger | null): void {
    const r = this.d.store.require(id);
    this.d.progress(id, r.state, message);
    if (by === 'recovery' && r.recovered && !r.recoveredSeen) this.d.recovered({ ...publicRefund(r), recovered: r.recovered });
  }

  /** Proven that nothing was registered: the lines are refundable again. */
  fail(id: string, reason: string, by: Trigger): void {
    this.d.store.setState(id, 'failed', { reason, ...this.recoveryPatch(id, by) });
    refundLog(this.d.log, id).warn('refund failed', { reason, by });
    this.announce(id, reason, by);
  }

  /** A person must look: an automatic step could print twice. */
  review(id: string, detail: string, by: Trigger, reason: string = REVIEW_REASON): void {
    this.d.store.setState(id, 'review', { reason, ...this.recoveryPatch(id, by) });
    refundLog(this.d.log, id).error('refund needs review', { detail, by });
    this.announce(id, reason, by);
  }

  /** Pending: the reason tells the cashier what happened and what to do; the refund resumes by itself. */
  wait(id: string, state: 'confirmed' | 'fiscalizing', reason: string): void {
    this.d.store.setState(id, state, { reason });
    refundLog(this.d.log, id).warn('refund waits', { state, reason });
    this.d.progress(id, state, reason);
  }
}
