import { createApi, type NetpolApi } from '@shared/api/client';
import { apiUrl, createWsTransport, takeToken, type ConnectionState } from './ws-transport';

declare global {
  interface Window {
    /** set by the Electron preload (contextBridge); absent in browser mode */
    netpolApi?: NetpolApi;
  }
}

type ConnectionListener = (s: ConnectionState) => void;

function choose(): { api: NetpolApi; onConnection: (l: ConnectionListener) => () => void } {
  if (window.netpolApi) {
    return {
      api: window.netpolApi,
      onConnection: (l) => {
        l({ state: 'open', attempts: 0 });
        return () => {};
      },
    };
  }
  const transport = createWsTransport({ url: apiUrl(location, takeToken()) });
  return {
    api: createApi(transport),
    onConnection: (l) => {
      l(transport.connectionState());
      return transport.onConnectionState(l);
    },
  };
}

const chosen = choose();

/** The one API object of the renderer. No other renderer module knows which transport carries it. */
export const api: NetpolApi = chosen.api;

/** The state of the link to main (always open under Electron IPC). */
export const onConnectionState = chosen.onConnection;
export type { ConnectionState };
