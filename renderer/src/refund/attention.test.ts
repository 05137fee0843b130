import { describe, expect, it } from 'vitest';
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
    expect(r1 && supportDetail(r1)).toContain('задание 2 · lifepos.reversal.create · попыток 9 · причина 2');
    expect(r1 && supportDetail(r1)).toContain('возврат r1');
    expect(attentionCount(jobs, [{ id: 'r1' }, { id: 'r9' }])).toBe(3);
    expect(attentionCount([], [])).toBe(0);
  });
});
