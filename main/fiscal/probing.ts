import { isAppError } from '../appError';
import type { FiscalPort } from './port';

/**
 * The same port lent for a while: a borrower's close() drops only the listeners it added (its transport
 * does that itself) and leaves the port open for whoever comes next — protocols.ts probes one protocol
 * after another on one open port.
 */
export function lentPort(port: FiscalPort): FiscalPort {
  const added: Array<() => void> = [];
  const keep = (unsubscribe: () => void): (() => void) => {
    added.push(unsubscribe);
    return unsubscribe;
  };
  return {
    description: port.description,
    get isOpen() {
      return port.isOpen;
    },
    write: (bytes) => port.write(bytes),
    onData: (l) => keep(port.onData(l)),
    onClose: (l) => keep(port.onClose(l)),
    close: async () => {
      for (const unsubscribe of added.splice(0)) unsubscribe();
    },
  };
}

/**
 * Did the device answer a protocol's status request in that protocol? Any answer its transport accepted
 * counts, a refusal with the device's own error code too; silence, noise or another protocol's bytes do
 * not. A port that closed is the caller's to hear of. `done` closes the borrowing transport either way.
 */
export async function answersInProtocol(request: () => Promise<unknown>, done: () => Promise<void>): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (e) {
    if (isAppError(e) && e.deviceCode !== undefined) return true;
    if (isAppError(e) && e.code !== 'FISCAL_PORT_CLOSED') return false;
    throw e;
  } finally {
    await done();
  }
}
