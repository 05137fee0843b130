import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';

/**
 * Linux serial ports read straight from /dev and sysfs, without udev. serialport's own Linux list runs
 * `udevadm info -e`, which a fresh Debian or a trimmed store image does not have (issue 17; the same
 * failure on OpenWrt: serialport/node-serialport#678). udev itself takes these attributes from sysfs.
 *
 * Which device nodes count:
 * - /dev/ttyACM* (USB CDC ACM, most current Shtrih-M models) and /dev/ttyUSB* (USB–RS232 adapters):
 *   the kernel makes these nodes only for a bound device, so each one present is listed.
 * - /dev/ttyS*: the 8250 driver registers placeholder ports (4 by default, up to 32) whether or not a
 *   UART is there, and each has a `device` link (to the serial8250 platform device), so a link alone
 *   proves nothing. Their sysfs `type` attribute is the UART type serial_core detected, 0 being
 *   PORT_UNKNOWN (Linux include/uapi/linux/serial_core.h; `setserial -g` shows it as "UART: unknown";
 *   systemd hides the same placeholders from its device units: systemd/systemd#33242, #34800). So a
 *   ttyS is listed when `type` is non-zero, or, for a driver without a `type` attribute, when it has a
 *   `device` link at all.
 *
 * What is told about each: for a USB port, the USB device's idVendor, idProduct, manufacturer, product
 * and serial, found by walking up from /sys/class/tty/<name>/device to the first folder with idVendor
 * (ttyACM's link points at the USB interface, ttyUSB's at a port below the interface).
 */
export interface SysfsRoots {
  /** Folder holding the device nodes, normally /dev. */
  dev: string;
  /** The sysfs mount, normally /sys. */
  sys: string;
}

export interface SysfsPort {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

const PORT_NAME = /^tty(ACM|USB|S)\d+$/;
/** From a USB interface up to its device is one or two levels; five is generous and stays inside sysfs. */
const MAX_WALK_UP = 5;

export function listSysfsSerialPorts(roots: SysfsRoots = { dev: '/dev', sys: '/sys' }): SysfsPort[] {
  const ports: SysfsPort[] = [];
  const sysRoot = realpathSync(roots.sys);
  for (const name of readdirSync(roots.dev).filter((n) => PORT_NAME.test(n)).sort()) {
    const classDir = join(roots.sys, 'class', 'tty', name);
    const device = resolveDevice(classDir);
    if (name.startsWith('ttyS') && !isRealUart(classDir, device)) continue;
    ports.push({ path: join(roots.dev, name), ...(device ? usbAttributes(device, sysRoot) : {}) });
  }
  return ports;
}

function isRealUart(classDir: string, device: string | null): boolean {
  const type = readAttribute(join(classDir, 'type'));
  if (type !== undefined) return Number(type) !== 0;
  return device !== null;
}

function resolveDevice(classDir: string): string | null {
  try {
    return realpathSync(join(classDir, 'device'));
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

function usbAttributes(device: string, sysRoot: string): Omit<SysfsPort, 'path'> {
  let dir = device;
  for (let i = 0; i <= MAX_WALK_UP && isInside(sysRoot, dir); i++) {
    const vendorId = readAttribute(join(dir, 'idVendor'));
    if (vendorId !== undefined) {
      const attributes: Omit<SysfsPort, 'path'> = { vendorId };
      for (const [key, file] of [['productId', 'idProduct'], ['manufacturer', 'manufacturer'], ['product', 'product'], ['serialNumber', 'serial']] as const) {
        const value = readAttribute(join(dir, file));
        if (value) attributes[key] = value;
      }
      return attributes;
    }
    dir = dirname(dir);
  }
  return {};
}

function isInside(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** A sysfs attribute's text without the kernel's trailing newline, or undefined when the file is absent. */
function readAttribute(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
