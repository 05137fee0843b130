import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/appError';
import { useTrainingServices } from '../../support/trainingServices';

/** Training mode's built-in printer behaves like a real one that was switched off and on again. */
const app = useTrainingServices('training-printer-');

describe('training printer', () => {
  it('goes offline when silenced and answers again after it comes back, without a restart', async () => {
    const h = (await app.start()).handlers;
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
