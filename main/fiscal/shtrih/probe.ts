import { isAppError } from '../../appError';
import type { FiscalPort } from '../port';
import { lentPort } from '../lentPort';
import { decodeAnswer, requestPayload, shortStatus } from './commands';
import { ShtrihTransport } from './transport';

/**
 * Does a Shtrih-M device answer on this port? One ENQ (05) first: only a device speaking this link answers
 * it (NAK 15 or ACK 06; PROTOCOL.md §Link); a frame is sent only after that, and it is 0x10 «короткий
 * запрос состояния», a request that changes nothing. A well-formed answer — even a refusal with an error
 * code — is Shtrih-M. Silence or bytes that are no Shtrih-M frame are not. The port stays open.
 */
export async function probeShtrih(port: FiscalPort, timeoutMs: number, password = 30): Promise<boolean> {
  const transport = new ShtrihTransport(lentPort(port), {
    timeouts: { enqMs: timeoutMs, ackMs: timeoutMs, answerMs: timeoutMs, interByteMs: Math.min(timeoutMs, 100), settleMs: timeoutMs },
    maxEnqAttempts: 1,
    maxFrameSends: 1,
  });
  const spec = shortStatus(password);
  try {
    decodeAnswer(spec, await transport.exchange(requestPayload(spec), { answerMs: timeoutMs }));
    return true;
  } catch (e) {
    if (isAppError(e) && e.deviceCode !== undefined) return true;
    // Silence, noise, a frame of another protocol: not this one. A port that closed is the caller's.
    if (isAppError(e) && e.code !== 'FISCAL_PORT_CLOSED') return false;
    throw e;
  } finally {
    await transport.close();
  }
}
