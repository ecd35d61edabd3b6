// Sandboxed preload, bundled as ONE CommonJS file (out/preload/index.cjs). It exposes exactly one
// object, the domain-shaped API (`window.netpolApi`), never ipcRenderer or a generic invoke.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, type Transport } from '@shared/api/client';
import type { ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResults } from '@shared/api/contract';
import { API_EVENT_CHANNEL, apiChannel, type IpcEventMessage, type IpcReply } from './ipc-protocol';

type Listener = (payload: unknown) => void;
const listeners = new Map<ApiEvent, Set<Listener>>();

ipcRenderer.on(API_EVENT_CHANNEL, (_e: IpcRendererEvent, msg: IpcEventMessage) => {
  const set = listeners.get(msg.event);
  if (!set) return;
  for (const l of [...set]) l(msg.payload);
});

/**
 * Errors cross the context bridge as plain objects {name:'ApiError', code, message, details}
 * (an Error would lose its code on the way to the page).
 */
const ipcTransport: Transport = {
  async invoke<M extends ApiMethod>(method: M, arg: ApiRequest<M>): Promise<ApiResults[M]> {
    const reply = (await ipcRenderer.invoke(apiChannel(method), arg)) as IpcReply;
    if (reply.ok) return reply.result as ApiResults[M];
    throw { name: 'ApiError', ...reply.error };
  },
  subscribe<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l: Listener = (p) => listener(p as ApiEvents[E]);
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
};

contextBridge.exposeInMainWorld('netpolApi', createApi(ipcTransport));
