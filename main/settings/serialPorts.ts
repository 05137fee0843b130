import { SerialPort } from 'serialport';
import { z } from 'zod';
import type { SerialPortInfo } from '../../preload/contract';
import { AppError } from '../appError';

/**
 * The ports a fiscal printer can be on, as the settings screen lists them: COM ports on Windows;
 * built-in (/dev/ttyS*), USB-UART (/dev/ttyUSB*) and USB CDC ACM (/dev/ttyACM*) on Linux — USB ones
 * first, since today's printers connect by USB. Other device nodes (Bluetooth rfcomm, consoles) are noise.
 */
const ListedPort = z.object({
  path: z.string().min(1),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
});
export type ListedPort = z.input<typeof ListedPort>;

const LINUX_PORT = /^\/dev\/tty(ACM|USB|S)(\d+)$/;
const LINUX_ORDER: Record<string, number> = { ACM: 0, USB: 1, S: 2 };
const WINDOWS_PORT = /^COM(\d+)$/i;

export function selectSerialPorts(listed: readonly unknown[], platform: NodeJS.Platform): SerialPortInfo[] {
  const byPath = new Map<string, { info: SerialPortInfo; key: [number, number] }>();
  for (const raw of listed) {
    const parsed = ListedPort.safeParse(raw);
    if (!parsed.success) continue;
    const key = sortKey(parsed.data.path, platform);
    if (!key || byPath.has(parsed.data.path)) continue;
    const { path, manufacturer, serialNumber } = parsed.data;
    byPath.set(path, { info: { path, ...(manufacturer ? { manufacturer } : {}), ...(serialNumber ? { serialNumber } : {}) }, key });
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

export async function listSerialPorts(platform: NodeJS.Platform = process.platform): Promise<SerialPortInfo[]> {
  let listed: unknown[];
  try {
    listed = await SerialPort.list();
  } catch (e) {
    throw new AppError({
      code: 'serial.list_failed',
      message: 'Не удалось получить список последовательных портов',
      retry: 'transient',
      detail: e instanceof Error ? e.message : String(e),
      cause: e,
    });
  }
  return selectSerialPorts(listed, platform);
}
