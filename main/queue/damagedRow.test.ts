import { describe, expect, it } from 'vitest';
import { queueJob, useQueueFixture } from '../../test/queue/queueFixture';
import { caughtAppError } from '../../test/support/caughtAppError';
import { parseClaimedRow } from './jobRow';

/**
 * A row damaged in the file (a disk fault, a hand edit) must stop the queue with a clear, permanent error —
 * never be read as some other job state or attempt count (issue 11 point 7: StrykerJS jobRow.ts 78, 84, 120–126).
 * The table is STRICT with CHECKs, so the damage is made the way a hand edit in a tool that skips CHECK
 * constraints makes it (PRAGMA ignore_check_constraints).
 */
const q = useQueueFixture();

function damageState(key: string): void {
  q.db.pragma('ignore_check_constraints = ON');
  q.db.prepare(`UPDATE outbox_jobs SET state = 'потерян' WHERE idempotency_key = ?`).run(key);
  q.db.pragma('ignore_check_constraints = OFF');
}

describe('a damaged outbox row', () => {
  it('reading the job refuses it as unreadable, permanent, in Russian, with the column for support', () => {
    q.outbox.enqueue(queueJob('a'));
    damageState('a');
    const error = caughtAppError(() => q.outbox.get('a'));
    expect(error).toMatchObject({ code: 'QUEUE_ROW_UNREADABLE', retry: 'permanent' });
    expect(error.message).toBe('Запись в очереди отправки повреждена и не может быть прочитана. Обратитесь в поддержку.');
    expect(error.detail).toMatch(/^outbox_jobs row: .*state/s);
  });

  it('a claimed row without a column the claim reads (a file of another build) is refused the same way, naming the claim', () => {
    const error = caughtAppError(() => parseClaimedRow({ id: 1, kind: 'pos.call', idempotency_key: 'a', payload: '{}', depends_on: null, attempts: 1, max_attempts: null }));
    expect(error).toMatchObject({ code: 'QUEUE_ROW_UNREADABLE', retry: 'permanent' });
    expect(error.detail).toMatch(/^outbox_jobs claimed row: .*sent_attempts/s);
  });

  it('a result text that is not JSON reads as absent, and the job is still listed', () => {
    q.outbox.enqueue(queueJob('a'));
    q.db.prepare(`UPDATE outbox_jobs SET state = 'done', result = '{не json' WHERE idempotency_key = 'a'`).run();
    const [job] = q.outbox.list();
    expect(job).toMatchObject({ idempotencyKey: 'a', state: 'done' });
    expect(job?.result).toBeUndefined();
  });
});
