import { useCallback, useEffect, useState } from 'react';
import type { AppStatus, ErrorPayload } from '../../../preload/contract';
import { useCashier } from './hooks';

/**
 * The header's view of the world: one `app.status` call at start (and on demand), then live updates
 * from the `app.status`, `connectivity` and `printer.status` events.
 */
export function useAppStatus(): { status: AppStatus | undefined; error: ErrorPayload | undefined; refresh(): void } {
  const client = useCashier();
  const [status, setStatus] = useState<AppStatus>();
  const [error, setError] = useState<ErrorPayload>();

  const refresh = useCallback(() => {
    void client.call('app.status', {}).then((r) => {
      if (r.ok) {
        setStatus(r.value);
        setError(undefined);
      } else {
        setError(r.error);
      }
    });
  }, [client]);

  useEffect(() => {
    refresh();
    const offs = [
      client.on('app.status', setStatus),
      client.on('connectivity', ({ backend, state }) =>
        setStatus((s) => (s ? { ...s, backends: { ...s.backends, [backend]: state } } : s))),
      client.on('printer.status', (printer) => setStatus((s) => (s ? { ...s, printer } : s))),
    ];
    return () => offs.forEach((off) => off());
  }, [client, refresh]);

  return { status, error, refresh };
}
