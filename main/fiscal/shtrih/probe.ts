import type { FiscalPort } from '../port';
import { answersInProtocol, lentPort } from '../probing';
import { decodeAnswer, requestPayload, shortStatus } from './commands';
import { ShtrihTransport } from './transport';

/**
 * Does a Shtrih-M device answer on this port? One ENQ (05) first: only a device speaking this link answers
 * it (NAK 15 or ACK 06; PROTOCOL.md §Link); a frame is sent only after that, and it is 0x10 «короткий
 * запрос состояния», a request that changes nothing. The port stays open.
 */
export function probeShtrih(port: FiscalPort, timeoutMs: number, password = 30): Promise<boolean> {
  const transport = new ShtrihTransport(lentPort(port), {
    timeouts: { enqMs: timeoutMs, ackMs: timeoutMs, answerMs: timeoutMs, interByteMs: Math.min(timeoutMs, 100), settleMs: timeoutMs },
    maxEnqAttempts: 1,
    maxFrameSends: 1,
  });
  const spec = shortStatus(password);
  return answersInProtocol(async () => decodeAnswer(spec, await transport.exchange(requestPayload(spec), { answerMs: timeoutMs })), () => transport.close());
}
