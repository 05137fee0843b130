import { z } from 'zod';
import {
  calls, ErrorPayload, events,
  type CallInput, type CallName, type CallResult, type CashierBridge, type EventName, type EventPayload,
} from '../../../preload/contract';
import { asRawBridge, createHttpBridge, readPageToken, type RawBridge } from './httpBridge';

declare global {
  interface Window {
    /** Exposed by preload/index.ts inside Electron; absent in a browser. */
    cashier?: CashierBridge;
  }
}

/**
 * The renderer's only way to the main process. Inside Electron it wraps `window.cashier`; in a browser
 * it speaks HTTP to the bridge server. Either way every answer and every event is parsed with the
 * contract's schema before the UI sees it, and the last value of each event is kept so a screen that
 * mounts late still sees the current printer or connectivity state.
 */
export function createCashierClient(): CashierBridge {
  if (typeof window !== 'undefined' && window.cashier) return validatingClient(asRawBridge(window.cashier));
  const token = readPageToken(document);
  if (!token) return validatingClient(missingToken());
  return validatingClient(createHttpBridge(token));
}

const Envelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorPayload }),
]);

export function parseCallAnswer<K extends CallName>(name: K, answer: unknown): CallResult<K> {
  const envelope = Envelope.safeParse(answer);
  if (!envelope.success) return badAnswer(name, envelope.error);
  if (!envelope.data.ok) return { ok: false, error: envelope.data.error };
  const value = calls[name].output.safeParse(envelope.data.value);
  if (!value.success) return badAnswer(name, value.error);
  return { ok: true, value: value.data } as CallResult<K>;
}

function badAnswer(name: string, error: z.ZodError): { ok: false; error: ErrorPayload } {
  return {
    ok: false,
    error: { code: 'contract.bad_answer', message: 'Программа кассы прислала неверный ответ. Сообщите в IT.', detail: `${name}: ${z.prettifyError(error)}` },
  };
}

export function validatingClient(raw: RawBridge): CashierBridge {
  const last = new Map<EventName, unknown>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  function subscribeRaw(name: EventName): void {
    raw.on(name, (payload) => {
      const parsed = events[name].safeParse(payload);
      if (!parsed.success) {
        console.error(`Событие ${name} не по контракту`, z.prettifyError(parsed.error));
        return;
      }
      last.set(name, parsed.data);
      for (const listener of listeners.get(name) ?? []) listener(parsed.data);
    });
  }

  return {
    async call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<K>> {
      let answer: unknown;
      try {
        answer = await raw.call(name, input);
      } catch (e) {
        // The Electron bridge rejects when IPC itself fails (window closing, handler missing).
        return { ok: false, error: { code: 'bridge.failed', message: 'Нет связи с программой кассы. Перезапустите её.', detail: e instanceof Error ? e.message : String(e) } };
      }
      return parseCallAnswer(name, answer);
    },
    on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
      let set = listeners.get(name);
      if (!set) {
        listeners.set(name, (set = new Set()));
        subscribeRaw(name);
      }
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      if (last.has(name)) untyped(last.get(name));
      return () => set.delete(untyped);
    },
  };
}

function missingToken(): RawBridge {
  return {
    call: async () => ({
      ok: false,
      error: { code: 'bridge.no_token', message: 'Страница открыта не с сервера кассы: нет ключа моста. Откройте адрес, который печатает npm run serve.' },
    }),
    on: () => () => {},
  };
}
