import { useCallback, useEffect, useState } from 'react';
import type { Refund, SyncStatus } from '../../../preload/contract';
import { attentionCount } from '../refund/attention';
import { useCashier, useEventListener } from './hooks';

/**
 * How many refunds need a person (issue 19 point 4): undelivered to the server for good, or in review.
 * For the header's marker, which stays while any does; current from the sync.status and refund.progress events.
 */
export function useAttention(): number {
  const client = useCashier();
  const [sync, setSync] = useState<SyncStatus>();
  const [review, setReview] = useState<readonly Refund[]>([]);

  const loadReview = useCallback(() => {
    void client.call('refunds.list', { states: ['review'], limit: 50 }).then((r) => r.ok && setReview(r.value));
  }, [client]);
  useEffect(() => {
    void client.call('sync.status', {}).then((r) => r.ok && setSync(r.value));
    loadReview();
  }, [client, loadReview]);
  useEventListener('sync.status', setSync);
  useEventListener('refund.progress', loadReview);

  return attentionCount(sync?.dead ?? [], review);
}
