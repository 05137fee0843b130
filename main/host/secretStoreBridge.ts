import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { AppError } from '../appError';
import type { SecretStore } from '../secrets/secretStore';
import { ErrorData, fromErrorData, toErrorData } from './protocol';

/**
 * The services worker's SecretStore, answered by the store on the main thread. Electron's safeStorage
 * exists only in the main process, and SecretStore is synchronous (the settings store reads keys in
 * plain function calls), so the worker posts a request and blocks on a shared flag until the main
 * thread has answered; then it takes the reply off the port synchronously.
 *
 * Why ask, rather than hand the worker the decrypted keys at start: saving settings must encrypt a new
 * key (safeStorage again), and the store's refusal rules (no OS key store, clear text not allowed) must
 * stay where they are enforced today; with one owner, secrets.json also has one writer. A worker thread
 * shares the process's memory, so neither choice hides a key from code in this process: the values the
 * services use are in the worker either way, and only the ones they actually read cross.
 */
const Request = z.discriminatedUnion('op', [
  z.object({ seq: z.number().int(), op: z.literal('get'), id: z.string() }),
  z.object({ seq: z.number().int(), op: z.literal('set'), id: z.string(), value: z.string() }),
  z.object({ seq: z.number().int(), op: z.literal('delete'), id: z.string() }),
  z.object({ seq: z.number().int(), op: z.literal('backend') }),
  z.object({ seq: z.number().int(), op: z.literal('setPlaintextAllowed'), allowed: z.boolean() }),
]);
type Request = z.infer<typeof Request>;
type RequestBody = Request extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

const Reply = z.object({
  seq: z.number().int(),
  result: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ErrorData })]),
});

const Backend = z.enum(['os', 'plaintext-allowed', 'unavailable']);
const MaybeSecret = z.string().nullable();

/** The flag's states: the worker sets WAITING before it asks, the main thread ANSWERED after it replied. */
const WAITING = 0;
const ANSWERED = 1;
/** A main thread that has not answered in this long is stuck; the worker says so instead of hanging. */
const DEFAULT_TIMEOUT_MS = 10_000;

export interface SecretChannel {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** Main thread: answers the worker's requests from `store`. Hand `channel` to the worker (transfer the port). */
export function serveSecretStore(store: SecretStore): { channel: SecretChannel; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const answer = (req: Request): unknown => {
    switch (req.op) {
      case 'get': return store.get(req.id);
      case 'set': return store.set(req.id, req.value);
      case 'delete': return store.delete(req.id);
      case 'backend': return store.backend();
      case 'setPlaintextAllowed': return store.setPlaintextAllowed(req.allowed);
    }
  };
  port1.on('message', (raw: unknown) => {
    const parsed = Request.safeParse(raw);
    // A request that does not parse has no seq to answer to: the worker's wait then times out and says so.
    if (!parsed.success) return;
    let result: z.infer<typeof Reply>['result'];
    try {
      result = { ok: true, value: answer(parsed.data) ?? null };
    } catch (e) {
      result = { ok: false, error: toErrorData(e) };
    }
    port1.postMessage({ seq: parsed.data.seq, result });
    Atomics.store(flag, 0, ANSWERED);
    Atomics.notify(flag, 0);
  });
  return { channel: { port: port2, signal }, close: () => port1.close() };
}

/** Worker thread: a SecretStore whose every call is answered by serveSecretStore on the main thread. */
export function secretStoreClient(channel: SecretChannel, timeoutMs = DEFAULT_TIMEOUT_MS): SecretStore {
  const flag = new Int32Array(channel.signal);
  let seq = 0;
  const ask = (body: RequestBody): unknown => {
    const request = { ...body, seq: ++seq } as Request;
    Atomics.store(flag, 0, WAITING);
    channel.port.postMessage(request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(flag, 0, WAITING, left) === 'timed-out') throw noAnswer(request.op);
      // Re-arm before reading the port: an answer posted after this point flips the flag again, and
      // one posted before it is already on the port.
      Atomics.store(flag, 0, WAITING);
      // A reply to an earlier request that timed out may come first: skip it, that call already failed.
      for (let received = receiveMessageOnPort(channel.port); received; received = receiveMessageOnPort(channel.port)) {
        const reply = Reply.parse(received.message);
        if (reply.seq !== request.seq) continue;
        if (!reply.result.ok) throw fromErrorData(reply.result.error);
        return reply.result.value;
      }
    }
  };
  return {
    get: (id) => MaybeSecret.parse(ask({ op: 'get', id })),
    set: (id, value) => void ask({ op: 'set', id, value }),
    delete: (id) => void ask({ op: 'delete', id }),
    backend: () => Backend.parse(ask({ op: 'backend' })),
    setPlaintextAllowed: (allowed) => void ask({ op: 'setPlaintextAllowed', allowed }),
  };
}

function noAnswer(op: string): AppError {
  return new AppError({
    code: 'secrets.no_answer',
    message: 'Хранилище ключей не ответило: ключи и пароли сейчас недоступны. Перезапустите программу.',
    retry: 'transient',
    detail: `secret store request "${op}" got no answer from the main thread`,
  });
}
