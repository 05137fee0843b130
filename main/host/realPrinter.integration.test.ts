import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startSocatPair, type SocatPair } from '../../emulators/socat';
import { spawnEmulatorProcess, type EmulatorProcess } from '../../emulators/shtrih/process';
import { startLifePosEmulator, type LifePosEmulator } from '../../emulators/lifepos/server';
import { tempDir } from '../../test/integration/refunds/fixtures';
import { configureRealDevicesTill } from '../../test/support/realDevicesTill';
import { AppError } from '../appError';
import { startServicesInWorker, type ServicesHost } from './servicesHost';

/**
 * The services worker against a real serial port: the printer emulator in its own process behind a
 * socat pty. node-serialport cannot poll from a worker thread (its binding uses the main loop), so
 * this is the path that proves the port is opened on the main thread and only bytes cross.
 */
const BAUD = 115_200;
const tmp = tempDir('host-printer-');
let pair: SocatPair;
let device: EmulatorProcess;
let lifepos: LifePosEmulator;

beforeAll(async () => {
  pair = await startSocatPair();
  device = await spawnEmulatorProcess({ devicePath: pair.devicePath, stateFile: tmp.file('fn.json'), baudRate: BAUD });
  lifepos = await startLifePosEmulator({});
});
afterAll(async () => {
  await device.kill('SIGTERM');
  await pair.close();
  await lifepos.close();
  tmp.remove();
});

async function startTill(dataDir: string): Promise<ServicesHost> {
  return startServicesInWorker({ dataDir, version: 'test' });
}

describe('services worker with the printer on a serial port', () => {
  it('prints a refund over the pty, then releases the port on close and after a crash', async () => {
    const dataDir = join(tmp.dir, 'till');
    configureRealDevicesTill(dataDir, { printerPath: pair.hostPath, baudRate: BAUD, lifeposUrl: lifepos.url });
    const host = await startTill(dataDir);
    expect(host.trainingMode).toBe(false);
    const shiftBefore = await host.handlers['shift.status']({});
    expect(['open', 'closed']).toContain(shiftBefore.state);
    // A cash refund needs the cash in the drawer (issue 14): the day's float goes in first, as at a till.
    if (shiftBefore.state === 'closed') await host.handlers['shift.open']({});
    expect((await host.handlers['cash.operation']({ kind: 'in', amountMinor: 10_000 })).inDrawerMinor).toBeGreaterThanOrEqual(10_000);
    const sale = await host.handlers['sales.get']({ ref: { source: 'lifepos', id: '6f1c2a10-0001-4a8e-9d01-000000000001' } });
    const refund = await host.handlers['refunds.confirm']({
      refundId: randomUUID(), sale: sale.ref, cardRrns: {}, lines: [{ lineId: 'p-1001-2', quantityMilli: 1000 }],
    });
    expect(refund.state).toMatch(/fiscalized|synced/);
    expect(refund.fiscal?.number).toBeGreaterThan(0);
    expect((await host.handlers['printer.status']({})).state).toBe('ready');
    await host.close();

    // Closed cleanly: a new worker opens the same port and the device answers.
    const second = await startTill(dataDir);
    expect((await second.handlers['shift.status']({})).state).toBe('open');
    await second.kill();
    await second.close();

    // Killed with the port open: the main thread closed it, and the next worker gets the device again.
    const third = await startTill(dataDir);
    expect((await third.handlers['shift.status']({})).state).toBe('open');
    expect((await third.handlers['refunds.get']({ id: refund.id })).fiscal?.number).toBe(refund.fiscal?.number);
    await third.close();
  });

  it('a cable pulled mid-run (the pty gone) reaches the worker as a closed port: the printer goes offline', async () => {
    const own = await startSocatPair();
    const ownDevice = await spawnEmulatorProcess({ devicePath: own.devicePath, stateFile: tmp.file('fn-unplug.json'), baudRate: BAUD });
    const dataDir = join(tmp.dir, 'unplug');
    configureRealDevicesTill(dataDir, { printerPath: own.hostPath, baudRate: BAUD, lifeposUrl: lifepos.url });
    const host = await startTill(dataDir);
    try {
      expect((await host.handlers['shift.status']({})).state).toBe('closed');
      const offline = new Promise<void>((resolve) => {
        const off = host.bus.onAny((name, payload) => {
          if (name === 'printer.status' && (payload as { state: string }).state === 'offline') {
            off();
            resolve();
          }
        });
      });
      await own.close();
      await offline;
      await expect(host.handlers['shift.status']({})).rejects.toBeInstanceOf(AppError);
    } finally {
      await host.close();
      // Its pty is gone: a polite SIGTERM can wait on a write that never drains.
      await ownDevice.kill();
    }
  });

  it('a port that cannot be opened reaches the worker as the driver\'s AppError, and the printer shows offline', async () => {
    const dataDir = join(tmp.dir, 'no-port');
    configureRealDevicesTill(dataDir, { printerPath: join(tmp.dir, 'no-such-tty'), baudRate: BAUD, lifeposUrl: lifepos.url });
    const host = await startTill(dataDir);
    try {
      await expect(host.handlers['shift.status']({})).rejects.toMatchObject({ code: 'FISCAL_PORT_OPEN', retry: 'transient' });
      expect((await host.handlers['printer.status']({})).state).toBe('offline');
    } finally {
      await host.close();
    }
  });
});
