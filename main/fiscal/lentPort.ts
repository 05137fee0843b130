import type { FiscalPort } from './port';

/**
 * The same port lent for a while: a borrower's close() drops only the listeners it added (its transport
 * does that itself) and leaves the port open for whoever comes next — protocols.ts probes one protocol
 * after another on one open port.
 */
export function lentPort(port: FiscalPort): FiscalPort {
  return {
    description: port.description,
    get isOpen() {
      return port.isOpen;
    },
    write: (bytes) => port.write(bytes),
    onData: (l) => port.onData(l),
    onClose: (l) => port.onClose(l),
    close: () => Promise.resolve(),
  };
}
