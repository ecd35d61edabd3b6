import type { WebSocket } from 'ws';
import { apiEventNames, type ApiErrorPayload } from '@shared/api/contract';
import type { ApiSession } from '../services/api-session';
import { toApiErrorPayload } from '../services/errors';

/** Serves one ApiSession over one WebSocket (protocol: src-renderer/api/ws-transport.ts). */
export function bindSessionToSocket(ws: WebSocket, session: ApiSession, log: (line: string) => void): void {
  const send = (msg: unknown) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(msg));
  };
  const knownEvents = new Set<string>(apiEventNames);
  const off = session.events.on((event, payload) => {
    if (knownEvents.has(event)) send({ event, payload });
  });

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send({
        id: 0,
        error: {
          code: 'bad-input',
          message: 'binary frames are not part of the protocol',
        } satisfies ApiErrorPayload,
      });
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      send({
        id: 0,
        error: { code: 'bad-input', message: 'a request must be a JSON object {id, method, arg}' },
      });
      return;
    }
    const m = msg as { id?: unknown; method?: unknown; arg?: unknown };
    const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) ? m.id : 0;
    if (typeof msg !== 'object' || msg === null || id <= 0 || typeof m.method !== 'string') {
      send({
        id,
        error: {
          code: 'bad-input',
          message: 'a request must be {id: positive integer, method: string, arg: object}',
        },
      });
      return;
    }
    const method = m.method;
    session.call(method, m.arg).then(
      (result) => send({ id, result }),
      (err: unknown) => {
        const payload = toApiErrorPayload(err);
        if (payload.code === 'internal')
          log(`API ${method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        send({ id, error: payload });
      },
    );
  });

  ws.on('close', () => {
    off();
    session.dispose();
  });
  ws.on('error', (err) => log(`websocket error: ${err.message}`));
}
