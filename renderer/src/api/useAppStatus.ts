import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppStatus, ErrorPayload } from '../../../preload/contract';
import { useCashier } from './hooks';

/**
 * The header's view of the world: one `app.status` call at start (and on demand), then live updates
 * from the `app.status`, `connectivity` and `printer.status` events.
 *
 * An answer is dropped when an `app.status` event arrived while it was on its way. The answer and the
 * events travel separately (HTTP vs SSE, invoke vs IPC), so an answer read before a change can land after
 * the event announcing it: after a refund, "refresh" read the shift as closed while the printer was still
 * being asked, the event said open, and the late answer turned the header back to "closed" for good —
 * the main process publishes the shift only when it changes. Every change of the status is published as
 * an event (main/services.ts, publishStatus), so an event that came since asking is at least as new.
 */
export function useAppStatus(): { status: AppStatus | undefined; error: ErrorPayload | undefined; refresh(): void } {
  const client = useCashier();
  const [status, setStatus] = useState<AppStatus>();
  const [error, setError] = useState<ErrorPayload>();
  const eventsHeard = useRef(0);

  const refresh = useCallback(() => {
    const heardWhenAsked = eventsHeard.current;
    void client.call('app.status', {}).then((r) => {
      if (r.ok) {
        if (eventsHeard.current === heardWhenAsked) setStatus(r.value);
        setError(undefined);
      } else {
        setError(r.error);
      }
    });
  }, [client]);

  useEffect(() => {
    refresh();
    const offs = [
      client.on('app.status', (next) => {
        eventsHeard.current += 1;
        setStatus(next);
      }),
      client.on('connectivity', ({ backend, state }) =>
        setStatus((s) => (s ? { ...s, backends: { ...s.backends, [backend]: state } } : s))),
      client.on('printer.status', (printer) => setStatus((s) => (s ? { ...s, printer } : s))),
    ];
    return () => offs.forEach((off) => off());
  }, [client, refresh]);

  return { status, error, refresh };
}
