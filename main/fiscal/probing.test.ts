import { describe, expect, it } from 'vitest';
import { createPipe } from '../../emulators/memoryPipe';
import type { FiscalPort } from './port';
import { lentPort } from './probing';

describe('a port lent to a protocol probe', () => {
  it('closing the borrower drops the listeners it added and leaves the port open for the next protocol', async () => {
    const [host, device] = createPipe();
    let listening = 0;
    const counted: FiscalPort = {
      ...host,
      get isOpen() {
        return host.isOpen;
      },
      onData: (l) => {
        listening++;
        const off = host.onData(l);
        return () => {
          listening--;
          off();
        };
      },
    };
    const heard: Buffer[] = [];
    const lent = lentPort(counted);
    lent.onData((b) => heard.push(b));
    lent.onData(() => undefined);
    expect(listening).toBe(2);
    await lent.close();
    expect(listening).toBe(0);
    expect(host.isOpen).toBe(true);
    await device.write(Buffer.from([0x15]));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(heard).toEqual([]);
  });
});
