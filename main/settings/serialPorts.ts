import { SerialPort } from 'serialport';
import { z } from 'zod';
import type { SerialPortInfo } from '../../preload/contract';
import { AppError } from '../appError';
import { listSysfsSerialPorts, type SysfsRoots } from './sysfsSerialPorts';

/**
 * The ports a fiscal printer can be on, as the settings screen lists them: COM ports on Windows;
 * built-in (/dev/ttyS*), USB-UART (/dev/ttyUSB*) and USB CDC ACM (/dev/ttyACM*) on Linux — USB ones
 * first, since today's printers connect by USB. Other device nodes (Bluetooth rfcomm, consoles) are noise.
 */
const ListedPort = z.object({
  path: z.string().min(1),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
  product: z.string().optional(),
});
const DETAILS = ['manufacturer', 'serialNumber', 'vendorId', 'productId', 'product'] as const;
export type ListedPort = z.input<typeof ListedPort>;

/** Normally /dev/ttyACM0; any absolute folder, so a test can list a device tree of its own. */
const LINUX_PORT = /^\/(?:[^/]+\/)*tty(ACM|USB|S)(\d+)$/;
const LINUX_ORDER: Record<string, number> = { ACM: 0, USB: 1, S: 2 };
const WINDOWS_PORT = /^COM(\d+)$/i;

export function selectSerialPorts(listed: readonly unknown[], platform: NodeJS.Platform): SerialPortInfo[] {
  const byPath = new Map<string, { info: SerialPortInfo; key: [number, number] }>();
  for (const raw of listed) {
    const parsed = ListedPort.safeParse(raw);
    if (!parsed.success) continue;
    const key = sortKey(parsed.data.path, platform);
    if (!key || byPath.has(parsed.data.path)) continue;
    const info: SerialPortInfo = { path: parsed.data.path };
    for (const detail of DETAILS) {
      const value = parsed.data[detail];
      if (value) info[detail] = value;
    }
    byPath.set(info.path, { info, key });
  }
  return [...byPath.values()].sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]).map((p) => p.info);
}

function sortKey(path: string, platform: NodeJS.Platform): [number, number] | null {
  if (platform === 'win32') {
    const m = WINDOWS_PORT.exec(path);
    return m ? [0, Number(m[1])] : null;
  }
  if (platform === 'linux') {
    const m = LINUX_PORT.exec(path);
    return m ? [LINUX_ORDER[m[1] ?? 'S'] ?? 2, Number(m[2])] : null;
  }
  return null;
}

/**
 * On Linux the ports come from /dev and sysfs (./sysfsSerialPorts.ts), so the list works the same with
 * or without udev; elsewhere from serialport's own list (Windows: SetupAPI).
 */
export async function listSerialPorts(platform: NodeJS.Platform = process.platform, roots?: SysfsRoots): Promise<SerialPortInfo[]> {
  let listed: unknown[];
  try {
    listed = platform === 'linux' ? listSysfsSerialPorts(roots) : await SerialPort.list();
  } catch (e) {
    throw new AppError({
      code: 'serial.list_failed',
      message: 'Не удалось получить список последовательных портов. Откройте список ещё раз; если ошибка повторяется, позовите специалиста (подробности в журнале).',
      retry: 'transient',
      detail: e instanceof Error ? e.message : String(e),
      cause: e,
    });
  }
  return selectSerialPorts(listed, platform);
}
