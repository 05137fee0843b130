import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, isCallName, isEventName,
  type CashierBridge, type CallName, type EventName,
} from './contract';

/**
 * The only thing the page gets: `window.cashier`, two functions generated from the contract.
 * Raw ipcRenderer never crosses the context bridge; a name outside the contract never reaches IPC.
 */
const bridge: CashierBridge = {
  call(name, input) {
    if (!isCallName(name)) return Promise.reject(new Error(`unknown call ${String(name)}`));
    return ipcRenderer.invoke(IPC_CALL_PREFIX + (name as CallName), input);
  },
  on(name, listener) {
    if (!isEventName(name)) throw new Error(`unknown event ${String(name)}`);
    const wrapped = (_e: IpcRendererEvent, eventName: EventName, payload: unknown) => {
      if (eventName === name) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('cashier', bridge);
