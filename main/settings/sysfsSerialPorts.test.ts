import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { rejectionOf } from '../../test/support/caughtAppError';
import { AppError } from '../appError';
import { listSerialPorts } from './serialPorts';
import { listSysfsSerialPorts, type SysfsRoots } from './sysfsSerialPorts';

/**
 * A device tree laid out as the kernel lays out a PC with a USB CDC printer, an FTDI adapter, one real
 * 16550 and 8250 placeholders: /sys/class/tty/<name> links into /sys/devices, whose `device` link points
 * at the bound device (the USB interface for ttyACM, a usb-serial port below the interface for ttyUSB).
 */
let tmp: ReturnType<typeof tempDir>;
let roots: SysfsRoots;
beforeEach(() => {
  tmp = tempDir('sysfs-');
  roots = { dev: tmp.file('dev'), sys: tmp.file('sys') };
  mkdirSync(roots.dev);
  mkdirSync(join(roots.sys, 'class', 'tty'), { recursive: true });
});
afterEach(() => tmp.remove());

function files(dir: string, attributes: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(attributes)) writeFileSync(join(dir, name), `${value}\n`);
}

/** The tty's own sysfs folder under `parent`, its `device` link to `deviceDir`, and the class link. */
function tty(name: string, parent: string, deviceDir: string | null, attributes: Record<string, string> = {}): void {
  const dir = join(parent, 'tty', name);
  files(dir, attributes);
  if (deviceDir) symlinkSync(relative(dir, deviceDir), join(dir, 'device'));
  symlinkSync(relative(join(roots.sys, 'class', 'tty'), dir), join(roots.sys, 'class', 'tty', name));
}

function devNodes(...names: string[]): void {
  for (const name of names) writeFileSync(join(roots.dev, name), '');
}

function pcTree(): void {
  const usb = join(roots.sys, 'devices', 'pci0000:00', '0000:00:14.0', 'usb1');
  const printer = join(usb, '1-1');
  files(printer, { idVendor: '1fc9', idProduct: '0083', manufacturer: 'SHTRIH-M', product: 'ККТ Штрих-М', serial: '0012345678' });
  files(join(printer, '1-1:1.0'), { bInterfaceClass: '02' });
  tty('ttyACM0', join(printer, '1-1:1.0'), join(printer, '1-1:1.0'));

  const adapter = join(usb, '1-2');
  files(adapter, { idVendor: '0403', idProduct: '6001', product: 'FT232R USB UART' });
  const usbSerialPort = join(adapter, '1-2:1.0', 'ttyUSB0');
  files(usbSerialPort, { port_number: '0' });
  tty('ttyUSB0', usbSerialPort, usbSerialPort);

  const pnp = join(roots.sys, 'devices', 'pnp0', '00:01');
  files(pnp, { id: 'PNP0501' });
  tty('ttyS0', pnp, pnp, { type: '4', port: '0x3F8' });
  const placeholders = join(roots.sys, 'devices', 'platform', 'serial8250');
  files(placeholders, {});
  tty('ttyS1', placeholders, placeholders, { type: '0', port: '0x0' });
  const otherDriver = join(roots.sys, 'devices', 'platform', 'soc-uart.2');
  files(otherDriver, {});
  tty('ttyS2', otherDriver, otherDriver);
  tty('ttyS4', join(roots.sys, 'devices', 'virtual'), null);

  devNodes('ttyACM0', 'ttyUSB0', 'ttyUSB1', 'ttyS0', 'ttyS1', 'ttyS2', 'ttyS3', 'ttyS4', 'tty0', 'console', 'ttyprintk');
}

describe('listSysfsSerialPorts (no udev)', () => {
  it('lists USB ports with their descriptor strings and only the ttyS ports sysfs shows as real UARTs', () => {
    pcTree();
    const dev = (name: string) => join(roots.dev, name);
    expect(listSysfsSerialPorts(roots)).toEqual([
      { path: dev('ttyACM0'), vendorId: '1fc9', productId: '0083', manufacturer: 'SHTRIH-M', product: 'ККТ Штрих-М', serialNumber: '0012345678' },
      { path: dev('ttyS0') },
      { path: dev('ttyS2') },
      { path: dev('ttyUSB0'), vendorId: '0403', productId: '6001', product: 'FT232R USB UART' },
      // A node with no sysfs entry (a static /dev): listed, nothing known about it.
      { path: dev('ttyUSB1') },
    ]);
  });

  it('a ttyS placeholder (type 0, linked to serial8250) and a ttyS without any sysfs entry are left out', () => {
    pcTree();
    const paths = listSysfsSerialPorts(roots).map((p) => p.path);
    expect(paths).not.toContain(join(roots.dev, 'ttyS1'));
    expect(paths).not.toContain(join(roots.dev, 'ttyS3'));
    expect(paths).not.toContain(join(roots.dev, 'ttyS4'));
  });

  it('a device whose parents carry no USB ids stops at the sysfs root and lists the port without details', () => {
    const loose = join(roots.sys, 'devices', 'platform', 'cdc-bridge');
    files(loose, { modalias: 'platform:cdc-bridge' });
    tty('ttyACM3', loose, loose);
    devNodes('ttyACM3');
    expect(listSysfsSerialPorts(roots)).toEqual([{ path: join(roots.dev, 'ttyACM3') }]);
  });

  it('no serial device nodes at all: an empty list', () => {
    devNodes('tty0', 'null');
    expect(listSysfsSerialPorts(roots)).toEqual([]);
  });
});

describe('listSerialPorts on Linux', () => {
  it('orders the sysfs list for the settings screen: ACM, USB, then S', async () => {
    pcTree();
    const paths = (await listSerialPorts('linux', roots)).map((p) => relative(roots.dev, p.path));
    expect(paths).toEqual(['ttyACM0', 'ttyUSB0', 'ttyUSB1', 'ttyS0', 'ttyS2']);
  });

  it('an unreadable device folder is a Russian AppError, not a crash', async () => {
    const error = await rejectionOf(listSerialPorts('linux', { dev: tmp.file('no-such-dev'), sys: roots.sys }), AppError);
    expect(error.code).toBe('serial.list_failed');
    expect(error.message).toMatch(/^Не удалось получить список последовательных портов/);
    expect(error.detail).toContain('ENOENT');
  });

  it.runIf(process.platform === 'linux')('this machine: every listed port is a real character device, every real UART ttyS is listed', async () => {
    const ports = await listSerialPorts();
    for (const p of ports) expect(statSync(p.path).isCharacterDevice(), p.path).toBe(true);
    // Cross-check against the kernel's own view of the 8250/serial_core ports, read here independently.
    const uarts = readdirSync('/sys/class/tty')
      .filter((n) => /^ttyS\d+$/.test(n) && existsSync(join('/dev', n)))
      .filter((n) => existsSync(join('/sys/class/tty', n, 'type')) && readFileSync(join('/sys/class/tty', n, 'type'), 'utf8').trim() !== '0');
    for (const n of uarts) expect(ports.map((p) => p.path)).toContain(join('/dev', n));
  });
});
