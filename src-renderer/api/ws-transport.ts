import type { Transport } from '@shared/api/client';
import {
  ApiError,
  type ApiErrorPayload,
  type ApiEvent,
  type ApiEvents,
  type ApiMethod,
  type ApiRequest,
  type ApiResults,
} from '@shared/api/contract';

/**
 * The renderer side of the browser-mode transport (the server side is src-main/host).
 *
 * PROTOCOL (one WebSocket per page, JSON text frames):
 *
 *   URL      ws(s)://<location.host>/api?token=<token>
 *            The token comes from the page URL (`?token=...`) on first load. The renderer keeps it in
 *            sessionStorage (key `netpol-doctor.token`) and strips it from the address bar with
 *            history.replaceState, so it is neither bookmarked nor shown. The server refuses a wrong or
 *            missing token, a foreign Origin and a foreign Host with HTTP 403 before the upgrade.
 *
 *   request  client → server   {"id": 7, "method": "snapshot.openDemo", "arg": {}}
 *            `id` is a positive integer unique per connection, `method` a key of requestSchemas
 *            (shared/api/contract.ts), `arg` the single argument object (validated by the server).
 *   reply    server → client   {"id": 7, "result": <ApiResults[method]>}
 *                          or  {"id": 7, "error": {"code": "not-found", "message": "...", "details": [...]}}
 *            (`error` is an ApiErrorPayload; never a stack trace.) Exactly one reply per request.
 *   event    server → client   {"event": "flows.view", "payload": <ApiEvents[event]>}
 *            The server pushes every event (apiEventNames) to every connected page; the client
 *            dispatches them to its local listeners. No subscribe message is needed.
 *
 * Reconnect: when the socket closes, requests in flight are rejected with code `unavailable`
 * (the server may or may not have run them); new requests wait for the next connection. The client
 * reconnects with exponential backoff (250 ms doubling to 5 s, with jitter), forever; the state is
 * observable with `onConnectionState` so the UI can show "reconnecting".
 */

export type ConnectionStateName = 'connecting' | 'open' | 'reconnecting' | 'closed';
export interface ConnectionState {
  state: ConnectionStateName;
  /** failed attempts since the last open connection */
  attempts: number;
  message?: string;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

type ServerMessage =
  | { id: number; result: unknown }
  | { id: number; error: ApiErrorPayload }
  | { event: ApiEvent; payload: unknown };

const TOKEN_KEY = 'netpol-doctor.token';

/** Reads `?token=` from the page URL (removing it from the address bar) or from sessionStorage. */
export function takeToken(loc: Location = location, storage: Storage = sessionStorage): string | undefined {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

export function apiUrl(loc: { protocol: string; host: string }, token: string | undefined): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export interface WsTransportOptions {
  url: string;
  /** WebSocket constructor (tests pass Node's) */
  WebSocketImpl?: typeof WebSocket;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface WsTransport extends Transport {
  onConnectionState(listener: (s: ConnectionState) => void): () => void;
  connectionState(): ConnectionState;
  close(): void;
}

export function createWsTransport(opts: WsTransportOptions): WsTransport {
  const WS = opts.WebSocketImpl ?? WebSocket;
  const minDelay = opts.minDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5000;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const eventListeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let state: ConnectionState = { state: 'connecting', attempts: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  const connect = () => {
    if (closed) return;
    const ws = new WS(opts.url);
    socket = ws;
    ws.onopen = () => {
      setState({ state: 'open', attempts: 0 });
      while (queue.length > 0 && ws.readyState === WS.OPEN) ws.send(queue.shift()!);
    };
    ws.onmessage = (ev: MessageEvent) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if ('event' in msg) {
        const set = eventListeners.get(msg.event);
        if (set) for (const l of [...set]) (l as (p: unknown) => void)(msg.payload);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if ('error' in msg) {
        const e = msg.error ?? { code: 'internal', message: 'unknown error' };
        p.reject(new ApiError(e.code, e.message, e.details));
      } else p.resolve(msg.result);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (socket !== ws) return;
      socket = undefined;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(
          new ApiError(
            'unavailable',
            'The connection to the Netpol Doctor host was lost before it answered.',
          ),
        );
      }
      if (closed) {
        setState({ state: 'closed', attempts: state.attempts });
        return;
      }
      const attempts = state.attempts + 1;
      const delay = Math.min(maxDelay, minDelay * 2 ** Math.min(attempts - 1, 10));
      const jitter = delay * 0.2 * Math.random();
      setState({
        state: 'reconnecting',
        attempts,
        message:
          ev.code === 1006 && attempts > 3
            ? 'The host does not answer. Is `npm start` still running, and was the page opened with its token?'
            : ev.reason || undefined,
      });
      timer = setTimeout(connect, delay + jitter);
    };
    ws.onerror = () => {
      /* onclose follows and schedules the reconnect */
    };
  };

  connect();

  return {
    invoke<M extends ApiMethod>(method: M, arg: ApiRequest<M>): Promise<ApiResults[M]> {
      if (closed) return Promise.reject(new ApiError('unavailable', 'The transport is closed.'));
      const id = nextId++;
      const text = JSON.stringify({ id, method, arg });
      return new Promise<ApiResults[M]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        if (socket && socket.readyState === WS.OPEN) socket.send(text);
        else queue.push(text);
      });
    },
    subscribe<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      const l = listener as (payload: never) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    onConnectionState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    connectionState: () => state,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
      if (!socket) setState({ state: 'closed', attempts: state.attempts });
    },
  };
}
