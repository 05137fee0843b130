import { z } from 'zod';
import { defineJobKind, type JobKind } from '../queue/jobKind';
import type { LifePosClient } from '../backends/lifepos/lifePosClient';
import { DealPaymentStatus, NewReversalSession, ReceiptData } from '../backends/lifepos/schemas';
import type { OverlapCheck } from './overlap/lifePosOverlapCheck';

/**
 * The three LIFE POS calls a refund makes, as outbox jobs (seed 000): create the reversal session, add
 * the fiscal receipt to it, then change the deal's payment status. Each waits for the one before it.
 */
export const LIFEPOS_JOB = {
  create: 'lifepos.reversal.create',
  receipt: 'lifepos.reversal.receipt',
  status: 'lifepos.deal.status',
} as const;

export const jobKey = (refundId: string, step: keyof typeof LIFEPOS_JOB) => `refund:${refundId}:${LIFEPOS_JOB[step]}`;

/** The refund a job key belongs to, for the sync panel. */
export function refundIdOfJobKey(key: string): string | undefined {
  return /^refund:([^:]+):/.exec(key)?.[1];
}

const CreatePayload = z.object({ dealGuid: z.string().min(1), body: NewReversalSession });
const ReceiptPayload = z.object({ dealGuid: z.string().min(1), receipt: ReceiptData });
const StatusPayload = z.object({ dealGuid: z.string().min(1), refundId: z.string().min(1), paymentStatus: DealPaymentStatus });
const CreateResult = z.object({ sessionGuid: z.string().min(1) });

export type CreatePayload = z.infer<typeof CreatePayload>;
export type ReceiptPayload = z.infer<typeof ReceiptPayload>;
export type StatusPayload = z.infer<typeof StatusPayload>;

/**
 * `afterCreate`: once the reversal session is on LIFE POS, the sale is read again to see whether another
 * till refunded the same goods meanwhile (main/refunds/overlap, issue 22); a failed read retries the job,
 * which then finds its session by external_id instead of creating another.
 * `dealStatusNow`: the deal's status as the till counts it when the status job runs. Refunds of one deal
 * reach LIFE POS in any order (a dead job retried by hand after a later refund went through), so a status
 * counted when an earlier, partial refund was printed must not take a deal back from Refunded (the
 * refund chaos over ATOL caught one: its PartiallyRefunded arrived after the last refund's Refunded).
 */
export function lifePosJobKinds(
  client: () => LifePosClient,
  onSynced: (refundId: string) => void,
  afterCreate?: OverlapCheck,
  dealStatusNow?: (dealGuid: string) => z.infer<typeof DealPaymentStatus> | undefined,
): JobKind[] {
  return [
    defineJobKind({
      kind: LIFEPOS_JOB.create,
      backend: 'lifepos',
      payload: CreatePayload,
      durableMark: true,
      run: async (p, ctx) => {
        // Nothing was ever sent: nothing to find. Once anything may have been (a lost answer, a crash,
        // and still after the cashier's manual retry of the dead job), look for the session carrying
        // our external_id, on every page, before creating another.
        const session = ctx.maybeSent
          ? (await client().ensureReversalSession(p.dealGuid, p.body, { signal: ctx.signal })).session
          : await client().createReversalSession(p.dealGuid, p.body, { signal: ctx.signal });
        await afterCreate?.(p.dealGuid, p.body.external_id, ctx.signal);
        return { sessionGuid: session.guid };
      },
    }),
    defineJobKind({
      kind: LIFEPOS_JOB.receipt,
      backend: 'lifepos',
      payload: ReceiptPayload,
      run: async (p, ctx) => {
        const { sessionGuid } = CreateResult.parse(ctx.dependency?.result);
        await client().patchReversalSession(p.dealGuid, sessionGuid, p.receipt, { signal: ctx.signal });
        return { sessionGuid };
      },
    }),
    defineJobKind({
      kind: LIFEPOS_JOB.status,
      backend: 'lifepos',
      payload: StatusPayload,
      run: async (p, ctx) => {
        const paymentStatus = dealStatusNow?.(p.dealGuid) === 'Refunded' ? 'Refunded' : p.paymentStatus;
        await client().changeDealStatus(p.dealGuid, { payment_status: paymentStatus }, { signal: ctx.signal });
        onSynced(p.refundId);
        return { paymentStatus };
      },
    }),
  ];
}
