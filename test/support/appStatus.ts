import type { Services } from '../../main/services';
import { events, type AppStatus } from '../../preload/contract';

/** Resolves on the first app.status `ok` accepts (or at once when the current one does). */
export async function statusWhere(s: Services, ok: (st: AppStatus) => boolean): Promise<AppStatus> {
  const now = await s.handlers['app.status']({});
  if (ok(now)) return now;
  return new Promise((resolve) => {
    const off = s.bus.onAny((name, payload) => {
      if (name !== 'app.status') return;
      const st = events['app.status'].parse(payload);
      if (!ok(st)) return;
      off();
      resolve(st);
    });
  });
}
