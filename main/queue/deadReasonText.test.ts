import { describe, expect, it } from 'vitest';
import type { MainText } from '../../preload/contract';
import { useQueueFixture, scriptedKind, statsWhere, queueJob } from '../../test/queue/queueFixture';
import { AppError } from '../appError';
import { BackendError } from '../backends/backendError';
import { openDatabase } from './database';
import { decideFailure, type FailureContext } from './failurePolicy';
import { Outbox } from './outbox';

/**
 * A dead job's reason as a code with values (issue 15 point 1, migration 13): the F4 panel says it in the
 * UI's language, the Russian text stays for the log. Stored beside the Russian text in a real SQLite file.
 */
const ctx: FailureContext = { attempts: 1, maxAttempts: 3, now: 1_000, schedule: [5_000], jitter: 0, random: () => 0.5 };
const refusal = new BackendError({
  code: 'regos.701003', message: 'REGOS отклонил чек: неверные данные. (Summa noto‘g‘ri)', retry: 'permanent',
  backend: 'regos', failure: 'rejected', serviceCode: 701003, serviceText: 'Summa noto‘g‘ri',
});

describe('decideFailure: the reason as a code', () => {
  it('a permanent refusal: the error by its code, what the back end said quoted', () => {
    expect(decideFailure(refusal, ctx)).toEqual({
      action: 'bury', reason: 'REGOS отклонил чек: неверные данные. (Summa noto‘g‘ri)', lastError: expect.any(String),
      said: { code: 'outbox.refused', params: { error: { code: 'regos.701003', message: 'REGOS отклонил чек: неверные данные. (Summa noto‘g‘ri)', quote: 'Summa noto‘g‘ri' } } },
    });
  });

  it('every attempt failed: the count and the last error; a failure that is not ours has no error to say', () => {
    const timeout = new AppError({ code: 'lifepos.timeout', message: 'LIFE POS не ответил вовремя', retry: 'transient' });
    expect(decideFailure(timeout, { ...ctx, attempts: 3 })).toMatchObject({
      reason: 'Не удалось выполнить за 3 попытки. Последняя ошибка: LIFE POS не ответил вовремя',
      said: { code: 'outbox.gaveUp', params: { attempts: 3, error: { code: 'lifepos.timeout', message: 'LIFE POS не ответил вовремя' } } },
    });
    expect(decideFailure(new TypeError('x is undefined'), { ...ctx, attempts: 3 })).toMatchObject({
      reason: 'Не удалось выполнить за 3 попытки. Последняя ошибка: внутренняя ошибка программы',
      said: { code: 'outbox.gaveUp', params: { attempts: 3 } },
    });
  });
});

const f = useQueueFixture();

const coded: MainText = { code: 'outbox.gaveUp', params: { attempts: 10, error: { code: 'lifepos.unreachable', message: 'Нет связи с LIFE POS' } } };

describe('a dead job\'s coded reason in the database', () => {
  it('the worker stores it; it survives closing and reopening the file and reaches the panel\'s stats', async () => {
    const kind = scriptedKind('pos.call', 'lifepos');
    kind.steps.push(() => Promise.reject(refusal));
    f.outbox.enqueue(queueJob('k1'));
    f.worker({ kinds: [kind.def] }).start();
    await statsWhere(f.outbox, (s) => s.counts.dead === 1);
    await f.stopWorkers();
    f.db.close();

    const db = openDatabase(f.dbFile);
    try {
      const [dead] = new Outbox(db).stats().dead;
      expect(dead?.reason).toBe('REGOS отклонил чек: неверные данные. (Summa noto‘g‘ri)');
      expect(dead?.reasonText).toEqual({ code: 'outbox.refused', params: { error: { code: 'regos.701003', message: 'REGOS отклонил чек: неверные данные. (Summa noto‘g‘ri)', quote: 'Summa noto‘g‘ri' } } });
    } finally {
      db.close();
    }
  });

  it('a manual retry clears it with the Russian reason; a reason without a code, or a damaged one, shows as its text', () => {
    const id = f.outbox.enqueue(queueJob('k2')).id;
    f.outbox.bury(id, 'Не удалось выполнить за 10 попыток. Последняя ошибка: Нет связи с LIFE POS', 'x', f.clock.now, coded);
    expect(f.outbox.stats().dead[0]?.reasonText).toEqual(coded);
    f.outbox.retryDead(id);
    expect(f.db.prepare('SELECT dead_reason, dead_text FROM outbox_jobs WHERE id = ?').get(id)).toEqual({ dead_reason: null, dead_text: null });

    f.outbox.bury(id, 'Программа не знает задание типа «pos.call»', 'no kind', f.clock.now);
    expect(f.outbox.stats().dead[0]).toMatchObject({ reason: 'Программа не знает задание типа «pos.call»' });
    expect(f.outbox.stats().dead[0]).not.toHaveProperty('reasonText');

    for (const damaged of ['{"code":', '{"code":"outbox.renamed","params":{}}']) {
      f.db.prepare('UPDATE outbox_jobs SET dead_text = ? WHERE id = ?').run(damaged, id);
      expect(f.outbox.stats().dead[0], damaged).not.toHaveProperty('reasonText');
    }
  });
});
