import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type {
  CallInput, CallName, CallOutput, CallResult, CashierBridge, ErrorPayload, EventName, EventPayload,
} from '../../../preload/contract';

const CashierContext = createContext<CashierBridge | null>(null);

export function CashierProvider({ client, children }: { client: CashierBridge; children: ReactNode }) {
  return <CashierContext.Provider value={client}>{children}</CashierContext.Provider>;
}

export function useCashier(): CashierBridge {
  const client = useContext(CashierContext);
  if (!client) throw new Error('CashierProvider is missing');
  return client;
}

/** Calls `listener` for every payload of an event, without re-rendering on its own. */
export function useEventListener<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): void {
  const client = useCashier();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => client.on(name, (payload) => latest.current(payload)), [client, name]);
}

export interface CallState<K extends CallName> {
  pending: boolean;
  value: CallOutput<K> | undefined;
  error: ErrorPayload | undefined;
  run(input: CallInput<K>): Promise<CallResult<K>>;
}

/**
 * One contract call with its pending/value/error state. Only the newest request's answer is kept, so a
 * slow answer to an old query never overwrites a newer one.
 */
export function useCall<K extends CallName>(name: K): CallState<K> {
  const client = useCashier();
  const [state, setState] = useState<{ pending: boolean; value?: CallOutput<K>; error?: ErrorPayload }>({ pending: false });
  const generation = useRef(0);
  const run = useCallback(
    async (input: CallInput<K>) => {
      const mine = ++generation.current;
      setState((s) => ({ ...s, pending: true, error: undefined }));
      const result = await client.call(name, input);
      if (mine === generation.current) {
        setState(result.ok ? { pending: false, value: result.value } : { pending: false, error: result.error });
      }
      return result;
    },
    [client, name],
  );
  return { pending: state.pending, value: state.value, error: state.error, run };
}
