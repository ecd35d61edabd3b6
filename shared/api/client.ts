import type { ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResults } from './contract';

/** What a transport must provide. Both transports (IPC, WebSocket) implement exactly this. */
export interface Transport {
  invoke<M extends ApiMethod>(method: M, arg: ApiRequest<M>): Promise<ApiResults[M]>;
  subscribe<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

function call<M extends ApiMethod>(t: Transport, m: M) {
  return (arg: ApiRequest<M>): Promise<ApiResults[M]> => t.invoke(m, arg);
}
function on<E extends ApiEvent>(t: Transport, e: E) {
  return (listener: (payload: ApiEvents[E]) => void): (() => void) => t.subscribe(e, listener);
}

/** The narrow, domain-shaped client the renderer uses. The renderer never sees a transport. */
export function createApi(t: Transport) {
  return {
    app: { info: () => t.invoke('app.info', {}), openExternal: call(t, 'app.openExternal') },
    contexts: { list: () => t.invoke('contexts.list', {}), onChanged: on(t, 'contexts.changed') },
    snapshot: {
      openDemo: () => t.invoke('snapshot.openDemo', {}),
      openFiles: call(t, 'snapshot.openFiles'),
      openText: call(t, 'snapshot.openText'),
      connect: call(t, 'snapshot.connect'),
      cancel: call(t, 'snapshot.cancel'),
      get: call(t, 'snapshot.get'),
      close: call(t, 'snapshot.close'),
      export: call(t, 'snapshot.export'),
      onProgress: on(t, 'snapshot.progress'),
      onUpdated: on(t, 'snapshot.updated'),
    },
    engine: { trace: call(t, 'engine.trace'), lint: call(t, 'engine.lint') },
    diagnose: { run: call(t, 'diagnose.run') },
    report: { export: call(t, 'report.export') },
    check: { run: call(t, 'check.run') },
    flows: {
      start: call(t, 'flows.start'),
      stop: call(t, 'flows.stop'),
      close: call(t, 'flows.close'),
      importText: call(t, 'flows.importText'),
      view: call(t, 'flows.view'),
      rows: call(t, 'flows.rows'),
      flow: call(t, 'flows.flow'),
      exportText: call(t, 'flows.exportText'),
      onView: on(t, 'flows.view'),
      onState: on(t, 'flows.state'),
    },
  };
}

export type NetpolApi = ReturnType<typeof createApi>;
