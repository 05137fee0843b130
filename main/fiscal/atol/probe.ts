import { isAppError } from '../../appError';
import type { FiscalPort } from '../port';
import { lentPort } from '../lentPort';
import { deviceState } from './commands';
import { AtolTransport } from './transport';

/**
 * Does an ATOL device (link v3) answer on this port? 3F «запрос состояния ККТ», the request AtolDriver.status
 * sends first, as one task with short timeouts: it changes nothing, and only a device speaking link v3
 * answers an FE frame with a frame whose CRC-8 holds (PROTOCOL.md §2, §3). Any answer in the protocol — a
 * task status, a refusal with an error code — is ATOL; silence or noise is not. The port stays open.
 */
export async function probeAtol(port: FiscalPort, timeoutMs: number): Promise<boolean> {
  const transport = new AtolTransport(lentPort(port), { timeouts: { packetMs: timeoutMs, answerMs: timeoutMs, interByteMs: Math.min(timeoutMs, 100) }, maxPacketSends: 1 });
  const cmd = deviceState();
  try {
    cmd.parse(await transport.exchange(cmd.request, { resendable: true, answerMs: timeoutMs }));
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
