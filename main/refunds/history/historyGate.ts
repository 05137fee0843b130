import { AppError, isAppError } from '../../appError';
import { immediateTransaction } from '../../queue/database';
import type { Logger } from '../../log/logger';
import type { FnReader } from './fnHistoryScan';
import { FnHistoryScan } from './fnHistoryScan';
import type { HistoryStore, RecoveredReceipt } from './historyStore';
import { findInLifePos, type LifePosHistory } from './lifePosAttribution';

export type HistoryState =
  /** The ФН has not been compared with the database yet in this run. */
  | { state: 'unchecked' }
  | { state: 'checking' }
  /** Every refund receipt in the ФН is explained by the database (or was rebuilt into it). */
  | { state: 'ok'; fnNumber: string; recovered: number }
  /** Refunds wait: the history is being rebuilt, or cannot be yet. `message` is for the cashier. */
  | { state: 'blocked'; message: string };

export interface HistoryGateDeps {
  store: HistoryStore;
  /** Runs fn with the fiscal driver, one operation at a time (PrinterConnection.use). */
  printer: { use<T>(fn: (reader: FnReader) => Promise<T>): Promise<T> };
  /** LIFE POS when the store uses it, else null (nothing to look up there). */
  lifePos: () => LifePosHistory | null;
  log: Logger;
  /** Documents read per turn on the printer. */
  perStep?: number;
  /** How far before the oldest recovered receipt a sale may have been made (LIFE POS search window). */
  lookbackDays?: number;
  /** A blocked check tries again after this long (printer off, LIFE POS unreachable). */
  retryMs?: number;
  onChange?: (state: HistoryState) => void;
}


const LIFEPOS_SILENT = 'refund.history_lifepos';

/**
 * Refunds printed on this till wait until the database is known to hold the till's whole refund history
 * (issue 11 point 4). A deleted, emptied or older copy of the database is noticed from the ФН itself —
 * its number and the refund receipts it holds that no refund row explains — not from a marker file a
 * clean-up would remove with the database. Such receipts are read back (number, fiscal sign, time and
 * total from 0xFF0A; positions and tenders from the document's TLV, 0xFF3A/0xFF3B) and looked up in LIFE
 * POS reversal sessions, whose external_id names the refund and whose deal names the sale; only then are
 * refunds allowed again. One no sale is known for counts against every sale its lines match
 * (recoveredRefunds.ts). A check runs at start-up and each time the printer connects (a ФН may be swapped).
 */
export class HistoryGate {
  private current: HistoryState = { state: 'unchecked' };
  private running: Promise<HistoryState> | null = null;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly d: HistoryGateDeps) {}

  state(): HistoryState {
    return this.current;
  }

  /** Receipts read back from the ФN that no refund row explains, with what LIFE POS said of them. */
  recovered(): RecoveredReceipt[] {
    return this.d.store.recovered();
  }

  /**
   * For the saga's confirm, before a receipt is printed: resolves when the history is whole, else throws
   * a Russian AppError saying why refunds wait and what the cashier does. Runs the check first when none
   * has finished in this run (a short one at a healthy till).
   */
  async assertRefundsAllowed(): Promise<void> {
    if (this.current.state === 'ok') return;
    // A long read-back already under way is reported as it stands, not waited for at the counter.
    const s = this.running && this.current.state === 'blocked' ? this.current : await this.check();
    if (s.state === 'ok') return;
    throw new AppError({
      code: 'refund.history_incomplete',
      message: s.state === 'blocked' ? s.message : 'Идёт сверка истории возвратов с фискальным накопителем. Повторите через минуту.',
      retry: 'transient',
      detail: `history gate: ${s.state}`,
    });
  }

  /** Compares the ФН with the database and rebuilds what is missing; concurrent callers share one pass. */
  check(): Promise<HistoryState> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
  }

  private async pass(): Promise<HistoryState> {
    clearTimeout(this.retry);
    if (this.current.state !== 'blocked') this.set({ state: 'checking' });
    let state: HistoryState;
    try {
      state = await this.scanAndRebuild();
    } catch (e) {
      if (!isAppError(e)) throw e;
      this.d.log.warn('refund history check postponed', { code: e.code, detail: e.detail });
      state = {
        state: 'blocked',
        message: e.code === LIFEPOS_SILENT
          ? e.message
          : `Программа не может сверить историю возвратов с фискальным накопителем: ${e.message} ` +
            'Возвраты с печатью чека станут доступны после сверки; она повторяется каждую минуту и при подключении принтера.',
      };
    }
    this.set(state);
    if (state.state === 'blocked' && !this.closed) {
      this.retry = setTimeout(() => {
        this.check().catch((e: unknown) => this.d.log.error('refund history check failed', { error: e instanceof Error ? e.message : String(e) }));
      }, this.d.retryMs ?? 60_000);
      this.retry.unref();
    }
    return state;
  }

  private async scanAndRebuild(): Promise<HistoryState> {
    const scan = new FnHistoryScan(this.d.store, this.d.perStep ?? 50);
    for (;;) {
      const step = await this.d.printer.use((reader) => scan.step(reader));
      if (step.kind === 'foreign') {
        this.d.log.error('database accounts for more ФН documents than the ФН holds', { ...step });
        return {
          state: 'blocked',
          message:
            `База данных кассы не совпадает с фискальным накопителем № ${step.fnNumber}: в базе записано ${step.lastKnown} документов, ` +
            `а в накопителе только ${step.lastOnFn}. Возможно, база перенесена с другой кассы. Возвраты остановлены: обратитесь в поддержку, не удаляйте файл базы.`,
        };
      }
      const lost = this.d.store.recovered().filter((r) => r.fnNumber === step.fnNumber && !r.lifePosChecked);
      if (step.done) {
        await this.readMissingPositions(step.fnNumber);
        return this.rebuild(step.fnNumber, lost);
      }
      // A long read-back (an empty database on a ФН with years of documents) tells the cashier where it is.
      this.set({
        state: 'blocked',
        message:
          `Программа сверяет историю возвратов с фискальным накопителем № ${step.fnNumber}: прочитано ${step.scannedTo} из ${step.lastOnFn} документов` +
          (lost.length > 0 ? `, найдено чеков возврата, которых нет в базе: ${lost.length}` : '') +
          '. Возвраты станут доступны, когда сверка закончится.',
      });
    }
  }

  /** Receipts recovered before positions were kept (database version 9 and older) are read back now. */
  private async readMissingPositions(fnNumber: string): Promise<void> {
    const unread = this.d.store.recovered().filter((r) => r.fnNumber === fnNumber && !r.positionsRead);
    for (const r of unread) {
      const receipt = await this.d.printer.use((reader) => reader.readReceipt(r.number));
      immediateTransaction(this.d.store.db, () => this.d.store.recordPositions(r, receipt));
    }
  }

  /** Looks each receipt the database lost up in LIFE POS; every one is marked asked, found or not. */
  private async rebuild(fnNumber: string, lost: RecoveredReceipt[]): Promise<HistoryState> {
    if (lost.length > 0) {
      this.d.log.warn('refund receipts in the ФН that the database does not know', { fnNumber, documents: lost.map((r) => r.number) });
      this.set({
        state: 'blocked',
        message:
          `База возвратов этой кассы неполная: в фискальном накопителе № ${fnNumber} есть чеки возврата, которых нет в базе ` +
          `(ФД № ${lost.map((r) => r.number).join(', ')}). Программа восстанавливает историю из ФН и LIFE POS; возвраты станут ` +
          'доступны, когда она закончит. Не пробивайте возвраты вручную.',
      });
      const client = this.d.lifePos();
      const found = client ? await findInLifePos(client, lost, this.d.lookbackDays ?? 45).catch((e: unknown) => {
        throw isAppError(e)
          ? new AppError({
              code: LIFEPOS_SILENT,
              message:
                `В фискальном накопителе найдены чеки возврата, которых нет в базе кассы (ФД № ${lost.map((r) => r.number).join(', ')}), ` +
                'а LIFE POS сейчас недоступен, и программа не может проверить, по каким продажам они пробиты. Возвраты станут доступны, ' +
                'когда связь с LIFE POS восстановится (программа проверяет её каждую минуту).',
              retry: 'transient',
              detail: e.detail ?? e.message,
              cause: e,
            })
          : e;
      }) : [];
      immediateTransaction(this.d.store.db, () => {
        for (const f of found) this.d.store.attribute(f.receipt, f.refundId, { source: 'lifepos', id: f.dealGuid });
        for (const r of lost) this.d.store.markLifePosChecked(r);
      });
      this.d.log.info('refund history rebuilt from the ФН', {
        fnNumber, recovered: lost.length, foundInLifePos: found.map((f) => ({ document: f.receipt.number, refundId: f.refundId, deal: f.dealGuid })),
      });
    }
    return { state: 'ok', fnNumber, recovered: this.d.store.recovered().length };
  }

  private set(state: HistoryState): void {
    this.current = state;
    this.d.onChange?.(state);
  }
}
