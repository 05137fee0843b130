import type { Refund, SyncStatus, UiLanguage } from '../../../preload/contract';
import type { MessageKey, Translate } from '../i18n/catalogue';
import { mainText } from '../i18n/mainTexts';

export type DeadJob = SyncStatus['dead'][number];

/**
 * The F4 panel speaks about refunds, not outbox jobs (issue 19 point 4): the jobs one refund left
 * undelivered are one entry, named by its sale and amount, with what failed in the cashier's words.
 */
export interface StuckRefund {
  /** null: a job that belongs to no refund (kept, so nothing that failed is hidden). */
  refundId: string | null;
  jobs: DeadJob[];
}

export function stuckRefunds(dead: readonly DeadJob[]): StuckRefund[] {
  const byRefund = new Map<string, DeadJob[]>();
  const loose: StuckRefund[] = [];
  for (const job of dead) {
    if (!job.refundId) {
      loose.push({ refundId: null, jobs: [job] });
      continue;
    }
    const jobs = byRefund.get(job.refundId) ?? [];
    jobs.push(job);
    byRefund.set(job.refundId, jobs);
  }
  return [...[...byRefund].map(([refundId, jobs]) => ({ refundId, jobs })), ...loose];
}

/** The outbox's job kinds (main/refunds/lifePosJobs.ts LIFEPOS_JOB), in the order a refund goes through them. */
const FAILED_STEP: Readonly<Record<string, MessageKey>> = {
  'lifepos.reversal.create': 'attention.failedCreate',
  'lifepos.reversal.receipt': 'attention.failedReceipt',
  'lifepos.deal.status': 'attention.failedStatus',
};

/** What failed, said once for the refund: its earliest undelivered step. */
export function failedStep(stuck: StuckRefund): MessageKey {
  const known = Object.keys(FAILED_STEP);
  const first = [...stuck.jobs].sort((a, b) => rank(known, a.kind) - rank(known, b.kind))[0];
  return (first && FAILED_STEP[first.kind]) ?? 'attention.failedOther';
}

const rank = (known: string[], kind: string) => (known.includes(kind) ? known.indexOf(kind) : known.length);

/**
 * The line for whoever the cashier calls: every job's id, kind, attempts and why it stopped, in the UI's
 * language when main sent the reason as a code (an error without an Uzbek text stays Russian), with the
 * error's code for IT.
 */
export function supportDetail(stuck: StuckRefund, t: Translate, language: UiLanguage): string {
  const jobs = stuck.jobs.map((j) => t('attention.job', { id: j.id, kind: j.kind, attempts: j.attempts, reason: jobReason(j, language) })).join('; ');
  return stuck.refundId ? `${jobs} · ${t('attention.ofRefund', { id: stuck.refundId })}` : jobs;
}

function jobReason(job: DeadJob, language: UiLanguage): string {
  const said = mainText(job.reason, language, job.reasonText);
  const error = job.reasonText && 'error' in job.reasonText.params ? job.reasonText.params.error : undefined;
  return error ? `${said} [${error.code}]` : said;
}

/** Refunds that need a person now: undelivered to the server, or waiting for a check against the printer. */
export function attentionCount(dead: readonly DeadJob[], review: readonly Pick<Refund, 'id'>[]): number {
  const ids = new Set(stuckRefunds(dead).map((s, i) => s.refundId ?? `job-${i}`));
  for (const r of review) ids.add(r.id);
  return ids.size;
}
