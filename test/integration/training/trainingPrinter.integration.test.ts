import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../../main/services';
import { isAppError } from '../../../main/appError';

/** Training mode's built-in printer behaves like a real one that was switched off and on again. */
let dir = '';
let services: Services | null = null;

afterEach(async () => {
  await services?.close();
  services = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('training printer', () => {
  it('goes offline when silenced and answers again after it comes back, without a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'training-printer-'));
    services = await createServices({ dataDir: dir, version: 'test', forceTraining: true });
    const h = services.handlers;
    expect((await h['shift.status']({})).state).toBe('closed');

    await h['training.simulate']({ target: 'printer', fault: 'offline' });
    const failure = await h['shift.status']({}).then(() => null, (e: unknown) => e);
    expect(isAppError(failure)).toBe(true);
    expect((await h['printer.status']({})).state).toBe('offline');

    await h['training.simulate']({ target: 'printer', fault: 'online' });
    expect((await h['shift.status']({})).state).toBe('closed');
    expect((await h['printer.status']({})).state).toBe('ready');
  });
});
