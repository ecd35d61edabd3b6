import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiSession } from '../services/api-session';
import { bindSessionToSocket } from './ws-api';
import {
  SECURITY_HEADERS,
  checkToken,
  isAllowedHost,
  isAllowedOrigin,
  newToken,
  tokenCookieName,
} from './security';
import { contentType, readStatic, resolveStatic } from './static-files';

export interface HostOptions {
  /** folder with the built renderer (out/renderer) */
  rendererDir: string;
  /** 0 or undefined: a free port */
  port?: number;
  /** tests may fix it; otherwise a fresh random token */
  token?: string;
  /** a new API session for each WebSocket connection */
  createSession(): ApiSession;
  log?: (line: string) => void;
}

export interface RunningHost {
  port: number;
  token: string;
  /** base URL without the token */
  origin: string;
  /** the URL to open: origin + `/?token=...` (print it once, never log it elsewhere) */
  url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is already in use on 127.0.0.1`);
    this.name = 'PortInUseError';
  }
}

const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message + '\n');
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason =
    status === 401
      ? 'Unauthorized'
      : status === 403
        ? 'Forbidden'
        : status === 404
          ? 'Not Found'
          : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message) + 1}\r\n\r\n${message}\n`,
  );
}

/**
 * The browser-mode host: serves the built renderer and the API over a WebSocket at /api, bound
 * to 127.0.0.1 only. Every request needs a valid Host (DNS rebinding), no foreign Origin, and the
 * per-run token (query on first load, then an HttpOnly same-site cookie for this port).
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? newToken();
  const log = opts.log ?? ((line: string) => process.stderr.write(`netpol-doctor: ${line}\n`));
  let port = 0;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const guard = (
    req: IncomingMessage,
  ): { ok: true; url: URL; setCookie: boolean } | { ok: false; status: number; message: string } => {
    if (!isAllowedHost(req.headers.host, port))
      return { ok: false, status: 403, message: 'forbidden: unexpected Host header' };
    const origin = req.headers.origin;
    if (!isAllowedOrigin(typeof origin === 'string' ? origin : undefined, port))
      return { ok: false, status: 403, message: 'forbidden: foreign Origin' };
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const t = checkToken(req, url, token, port);
    if (!t.ok) {
      const hint = t.status === 401 ? ': open the URL printed at startup (it carries the access token)' : '';
      return {
        ok: false,
        status: t.status,
        message: `${t.status === 401 ? 'unauthorized' : 'forbidden'}: ${t.reason}${hint}`,
      };
    }
    return { ok: true, url, setCookie: t.via === 'query' };
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
      const g = guard(req);
      if (!g.ok) return refuse(res, g.status, g.message);
      if (g.url.pathname === '/api') return refuse(res, 426, 'the API needs a WebSocket upgrade');
      const file = await resolveStatic(opts.rendererDir, g.url.pathname);
      if (!file) {
        if (g.url.pathname === '/' || g.url.pathname === '/index.html')
          return refuse(
            res,
            500,
            `the renderer is not built (${opts.rendererDir} has no index.html): run "npm run build"`,
          );
        return refuse(res, 404, 'not found');
      }
      const body = await readStatic(file);
      const headers: Record<string, string> = {
        ...SECURITY_HEADERS,
        'Content-Type': contentType(file),
        'Content-Length': String(body.length),
      };
      if (g.setCookie)
        headers['Set-Cookie'] = `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((err: unknown) => {
      log(`request failed: ${(err as Error).message}`);
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    const g = guard(req);
    if (!g.ok) return refuseUpgrade(socket, g.status, g.message);
    if (g.url.pathname !== '/api') return refuseUpgrade(socket, 404, 'not found');
    wss.handleUpgrade(req, socket, head, (ws) => {
      let session: ApiSession;
      try {
        session = opts.createSession();
      } catch (err) {
        log(`cannot start an API session: ${(err as Error).message}`);
        ws.close(1011, 'internal error');
        return;
      }
      bindSessionToSocket(ws, session, log);
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(opts.port ?? 0) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (err) => log(`server error: ${err.message}`));

  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    token,
    origin,
    url: `${origin}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
