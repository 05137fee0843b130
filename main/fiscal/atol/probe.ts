import type { FiscalPort } from '../port';
import { answersInProtocol, lentPort } from '../probing';
import { deviceState } from './commands';
import { AtolTransport } from './transport';

/**
 * Does an ATOL device (link v3) answer on this port? 3F «запрос состояния ККТ», the request AtolDriver.status
 * sends first, as one task with short timeouts: it changes nothing, and only a device speaking link v3
 * answers an FE frame with a frame whose CRC-8 holds (PROTOCOL.md §2, §3). The port stays open.
 */
export function probeAtol(port: FiscalPort, timeoutMs: number): Promise<boolean> {
  const transport = new AtolTransport(lentPort(port), { timeouts: { packetMs: timeoutMs, answerMs: timeoutMs, interByteMs: Math.min(timeoutMs, 100) }, maxPacketSends: 1 });
  const cmd = deviceState();
  return answersInProtocol(async () => cmd.parse(await transport.exchange(cmd.request, { resendable: true, answerMs: timeoutMs })), () => transport.close());
}
