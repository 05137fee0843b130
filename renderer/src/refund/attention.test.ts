import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/catalogue';
import { attentionCount, failedStep, stuckRefunds, supportDetail, type DeadJob } from './attention';

const job = (id: number, kind: string, refundId?: string): DeadJob => ({ id, kind, attempts: 9, reason: `причина ${id}`, ...(refundId ? { refundId } : {}) });

describe('refunds that need help', () => {
  it('groups a refund’s undelivered jobs into one entry and keeps jobs of no refund', () => {
    const stuck = stuckRefunds([job(1, 'lifepos.deal.status', 'r1'), job(2, 'lifepos.reversal.create', 'r1'), job(3, 'other')]);
    expect(stuck.map((s) => [s.refundId, s.jobs.map((j) => j.id)])).toEqual([['r1', [1, 2]], [null, [3]]]);
  });

  it('names the earliest failed step in the cashier’s words, and an unknown kind generally', () => {
    const [r1, loose] = stuckRefunds([job(1, 'lifepos.deal.status', 'r1'), job(2, 'lifepos.reversal.create', 'r1'), job(3, 'other')]);
    expect(r1 && failedStep(r1)).toBe('attention.failedCreate');
    expect(loose && failedStep(loose)).toBe('attention.failedOther');
    expect(failedStep({ refundId: 'x', jobs: [job(4, 'lifepos.reversal.receipt', 'x')] })).toBe('attention.failedReceipt');
  });

  it('keeps the technical detail for support, and counts refunds, not jobs', () => {
    const jobs = [job(1, 'lifepos.deal.status', 'r1'), job(2, 'lifepos.reversal.create', 'r1'), job(3, 'other')];
    const [r1] = stuckRefunds(jobs);
    expect(r1 && supportDetail(r1, translator('ru'), 'ru')).toContain('задание 2 · lifepos.reversal.create · попыток 9 · причина 2');
    expect(r1 && supportDetail(r1, translator('ru'), 'ru')).toContain('возврат r1');
    expect(attentionCount(jobs, [{ id: 'r1' }, { id: 'r9' }])).toBe(3);
    expect(attentionCount([], [])).toBe(0);
  });

  it('in Uzbek: a reason main sent as a code is said in Uzbek with the error\'s code for IT; one without a code stays Russian', () => {
    const coded: DeadJob = {
      id: 4, kind: 'lifepos.reversal.create', attempts: 10, refundId: 'r4', reason: 'Не удалось выполнить за 10 попыток. Последняя ошибка: Нет связи с LIFE POS',
      reasonText: { code: 'outbox.gaveUp', params: { attempts: 10, error: { code: 'lifepos.unreachable', message: 'Нет связи с LIFE POS' } } },
    };
    const [stuck] = stuckRefunds([coded]);
    expect(stuck && supportDetail(stuck, translator('uz'), 'uz')).toBe('vazifa 4 · lifepos.reversal.create · urinishlar 10 · '
      + '10 ta urinishda bajarib boʻlmadi. Oxirgi xato: Server bilan aloqa yoʻq. Internetni tekshiring va qaytadan urining. [lifepos.unreachable] · qaytarish r4');
    expect(stuck && supportDetail(stuck, translator('ru'), 'ru')).toBe('задание 4 · lifepos.reversal.create · попыток 10 · '
      + 'Не удалось выполнить за 10 попыток. Последняя ошибка: Нет связи с LIFE POS [lifepos.unreachable] · возврат r4');
    const [plain] = stuckRefunds([job(5, 'other')]);
    expect(plain && supportDetail(plain, translator('uz'), 'uz')).toBe('vazifa 5 · other · urinishlar 9 · причина 5');
  });
});
