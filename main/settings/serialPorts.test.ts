import { describe, expect, it } from 'vitest';
import { listSerialPorts, selectSerialPorts } from './serialPorts';

describe('selectSerialPorts', () => {
  it('Linux: ttyACM, ttyUSB, ttyS in that order, numeric within, noise dropped', () => {
    const listed = [
      { path: '/dev/ttyS10' }, { path: '/dev/ttyS2' }, { path: '/dev/ttyUSB1', manufacturer: 'FTDI', serialNumber: 'A1' },
      { path: '/dev/ttyACM0', manufacturer: 'SHTRIH-M', serialNumber: undefined }, { path: '/dev/rfcomm0' }, { path: '/dev/tty0' },
      { path: '/dev/ttyUSB0' }, { path: '/dev/ttyUSBx' }, { path: '/dev/pts/3' }, { nope: true }, { path: '/dev/ttyS2' },
    ];
    expect(selectSerialPorts(listed, 'linux')).toEqual([
      { path: '/dev/ttyACM0', manufacturer: 'SHTRIH-M' },
      { path: '/dev/ttyUSB0' },
      { path: '/dev/ttyUSB1', manufacturer: 'FTDI', serialNumber: 'A1' },
      { path: '/dev/ttyS2' },
      { path: '/dev/ttyS10' },
    ]);
  });

  it('Windows: COM ports sorted by number (COM2 before COM10), anything else dropped', () => {
    const listed = [{ path: 'COM10' }, { path: 'COM2' }, { path: 'com3' }, { path: '\\\\.\\COM4x' }, { path: '/dev/ttyS0' }];
    expect(selectSerialPorts(listed, 'win32').map((p) => p.path)).toEqual(['COM2', 'com3', 'COM10']);
  });

  it('a Windows name on Linux and the other way round is not a port', () => {
    expect(selectSerialPorts([{ path: 'COM1' }], 'linux')).toEqual([]);
    expect(selectSerialPorts([{ path: '/dev/ttyUSB0' }], 'win32')).toEqual([]);
  });

  it('lists the real ports of this machine without throwing', async () => {
    const ports = await listSerialPorts();
    for (const p of ports) expect(p.path).toMatch(process.platform === 'win32' ? /^COM\d+$/i : /^\/dev\/tty(ACM|USB|S)\d+$/);
  });
});
