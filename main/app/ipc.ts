import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { callNames, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, type Handlers } from '../../preload/contract';
import { dispatch, type DispatchLog } from '../dispatch';
import type { EventBus } from '../eventBus';
import { isTrustedIpcSender } from '../security/appOrigin';

/**
 * IPC handlers generated from the contract: one channel per call, each payload validated by dispatch(),
 * and every message refused unless it comes from our own window's main frame on app:// (Electron
 * security checklist item 17: validate the sender of all IPC messages).
 */
export function registerIpc(handlers: Handlers, bus: EventBus, window: () => BrowserWindow | null, log: DispatchLog): () => void {
  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const win = window();
    const frame = event.senderFrame;
    return isTrustedIpcSender({
      windowContentsId: win && !win.isDestroyed() ? win.webContents.id : null,
      senderContentsId: event.sender.id,
      isMainFrame: frame !== null && win !== null && frame === win.webContents.mainFrame,
      frameUrl: frame?.url ?? null,
    });
  };

  for (const name of callNames) {
    ipcMain.handle(IPC_CALL_PREFIX + name, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        log.error('ipc call from an untrusted frame refused', { call: name, url: event.senderFrame?.url ?? null });
        return { ok: false, error: { code: 'ipc.untrusted_sender', message: 'Запрос отклонён: неизвестный источник' } };
      }
      const outcome = await dispatch(handlers, name, payload, log);
      return outcome.kind === 'result' ? outcome.result : { ok: false, error: outcome.error };
    });
  }

  const forward = bus.onAny((name, payload) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });

  return () => {
    forward();
    for (const name of callNames) ipcMain.removeHandler(IPC_CALL_PREFIX + name);
  };
}
