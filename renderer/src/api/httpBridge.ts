import { eventNames, type CallName, type CashierBridge, type EventName } from '../../../preload/contract';

/**
 * The bridge over the local HTTP server (`npm run serve`), for a browser kiosk: calls are
 * `POST /api/call/<name>` with the per-install token, events arrive as Server-Sent Events.
 * It answers raw JSON; createCashierClient validates everything against the contract.
 */
export interface RawBridge {
  call(name: CallName, input: unknown): Promise<unknown>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
}

export const TOKEN_META = 'cashier-token';
const TOKEN_PLACEHOLDER = '__CASHIER_TOKEN__';

export function readPageToken(doc: Document): string | null {
  const token = doc.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content ?? '';
  return token === '' || token === TOKEN_PLACEHOLDER ? null : token;
}

export function createHttpBridge(token: string, base = '/api'): RawBridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  function connect(): void {
    if (source) return;
    source = new EventSource(`${base}/events?token=${encodeURIComponent(token)}`);
    for (const name of eventNames) {
      source.addEventListener(name, (message: MessageEvent<string>) => {
        let payload: unknown;
        try {
          payload = JSON.parse(message.data);
        } catch {
          console.error(`Событие ${name}: не JSON`, message.data);
          return;
        }
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  }

  return {
    async call(name, input) {
      let response: Response;
      try {
        response = await fetch(`${base}/call/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-cashier-token': token },
          body: JSON.stringify(input),
        });
      } catch (e) {
        return bridgeError('bridge.unreachable', 'Нет связи с программой кассы. Проверьте, что она запущена.', e);
      }
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        return bridgeError('bridge.bad_answer', `Программа кассы ответила не JSON (HTTP ${response.status})`, e);
      }
    },
    on(name, listener) {
      connect();
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

function bridgeError(code: string, message: string, cause: unknown) {
  return { ok: false, error: { code, message, detail: cause instanceof Error ? cause.message : String(cause) } };
}

export const asRawBridge = (bridge: CashierBridge): RawBridge => ({
  call: (name, input) => bridge.call(name, input as never),
  on: (name, listener) => bridge.on(name, listener),
});
