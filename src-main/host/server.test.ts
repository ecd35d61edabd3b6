import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiSession } from '../services/api-session';
import { defaultDeps } from '../services/default-deps';
import { PortInUseError, startHost, type RunningHost } from './server';
import { CONTENT_SECURITY_POLICY } from './security';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP GET with exactly the headers given (Host and Origin included), like a hostile page could send. */
function get(port: number, path: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with the socket, or with the HTTP status the server refused with. */
function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
    });
    ws.once('error', () => resolve({}));
  });
}

function rpc(
  ws: WebSocket,
  id: number,
  method: string,
  arg: unknown,
): Promise<{ id: number; result?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) {
        ws.off('message', onMsg);
        resolve(msg);
      }
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ id, method, arg }));
  });
}

let host: RunningHost;
let sessions = 0;
const token = 'a'.repeat(43);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'npd-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Netpol Doctor</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'npd-secret.txt'), 'secret');
  host = await startHost({
    rendererDir: dir,
    token,
    log: () => {},
    createSession: () => {
      sessions++;
      return new ApiSession({
        transport: 'websocket',
        initial: { kind: 'demo' },
        deps: defaultDeps(),
        nativeFiles: false,
      });
    },
  });
});
afterAll(async () => {
  await host?.close();
});

describe('browser-mode host: HTTP', () => {
  it('is bound to 127.0.0.1 and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${token}`);
  });

  it('serves index.html with the token, with a strict CSP, and sets a port-scoped HttpOnly cookie', async () => {
    const r = await get(host.port, `/?token=${token}`, { Host: `127.0.0.1:${host.port}` });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Netpol Doctor</title>');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(String(r.headers['content-security-policy'])).toContain("connect-src 'self'");
    expect(r.headers['x-frame-options']).toBe('DENY');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`netpol_doctor_${host.port}=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('accepts the cookie instead of the query (page reloads, assets)', async () => {
    const r = await get(host.port, '/assets/app.js', {
      Host: `localhost:${host.port}`,
      Cookie: `netpol_doctor_${host.port}=${token}`,
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/javascript/);
  });

  it('refuses a missing token with 401 and a wrong token with 403', async () => {
    const missing = await get(host.port, '/', { Host: `127.0.0.1:${host.port}` });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatch(/open the URL printed at startup/);
    expect(missing.body).not.toContain(token);
    const wrong = await get(host.port, '/?token=nope', { Host: `127.0.0.1:${host.port}` });
    expect(wrong.status).toBe(403);
    const wrongCookie = await get(host.port, '/', {
      Host: `127.0.0.1:${host.port}`,
      Cookie: `netpol_doctor_${host.port}=${'b'.repeat(43)}`,
    });
    expect(wrongCookie.status).toBe(403);
  });

  it('refuses a rebinding Host header with 403, even with the right token', async () => {
    for (const h of ['evil.example:' + host.port, `127.0.0.1:${host.port + 1}`, 'attacker.com', '']) {
      const r = await get(host.port, `/?token=${token}`, { Host: h });
      expect(r.status, `Host: ${h}`).toBe(403);
      expect(r.body).toMatch(/Host/);
    }
  });

  it('refuses a foreign Origin with 403, even with the right token', async () => {
    const r = await get(host.port, `/?token=${token}`, {
      Host: `127.0.0.1:${host.port}`,
      Origin: 'https://evil.example',
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/Origin/);
    const ok = await get(host.port, `/?token=${token}`, {
      Host: `127.0.0.1:${host.port}`,
      Origin: `http://127.0.0.1:${host.port}`,
    });
    expect(ok.status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of [
      '/../npd-secret.txt',
      '/%2e%2e/npd-secret.txt',
      '/assets/..%2f..%2fnpd-secret.txt',
      '/%00',
    ]) {
      const r = await get(host.port, `${p}?token=${token}`, { Host: `127.0.0.1:${host.port}` });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('secret');
    }
  });
});

describe('browser-mode host: WebSocket API', () => {
  const base = () => `ws://127.0.0.1:${host.port}/api`;
  const origin = () => ({ Origin: `http://127.0.0.1:${host.port}` });

  it('answers API calls with the token', async () => {
    const { ws } = await connect(`${base()}?token=${token}`, origin());
    expect(ws).toBeDefined();
    const info = await rpc(ws!, 1, 'app.info', {});
    expect(info.result).toMatchObject({
      name: 'Netpol Doctor',
      transport: 'websocket',
      initial: { kind: 'demo' },
      nativeFiles: false,
    });
    ws!.close();
  });

  it('refuses the upgrade without a token (401), with a wrong token (403), from a foreign Origin or Host (403)', async () => {
    const before = sessions;
    expect((await connect(base(), origin())).status).toBe(401);
    expect((await connect(`${base()}?token=wrong`, origin())).status).toBe(403);
    expect((await connect(`${base()}?token=${token}`, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await connect(`${base()}?token=${token}`, { Origin: 'null' })).status).toBe(403);
    expect(
      (await connect(`${base()}?token=${token}`, { ...origin(), Host: 'rebind.example:80' })).status,
    ).toBe(403);
    expect(sessions).toBe(before);
  });

  it('validates arguments: bad input comes back as bad-input with the schema issue', async () => {
    const { ws } = await connect(`${base()}?token=${token}`, origin());
    const r = await rpc(ws!, 2, 'engine.trace', {
      snapshotId: 'x',
      question: { from: '', to: 'b/c', port: 99999 },
    });
    expect(r.error?.code).toBe('bad-input');
    expect(r.error?.message).toMatch(/question\./);
    const unknown = await rpc(ws!, 3, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown.error).toMatchObject({ code: 'bad-input', message: 'unknown API method "fs.readFile"' });
    const notOpen = await rpc(ws!, 4, 'snapshot.get', { snapshotId: 'nope' });
    expect(notOpen.error?.code).toBe('not-found');
    ws!.close();
  });

  it('keeps serving after malformed frames', async () => {
    const { ws } = await connect(`${base()}?token=${token}`, origin());
    const bad = new Promise<{ id: number; error: { code: string } }>((resolve) =>
      ws!.once('message', (d) => resolve(JSON.parse(String(d)))),
    );
    ws!.send('{not json');
    expect((await bad).error.code).toBe('bad-input');
    const info = await rpc(ws!, 5, 'app.info', {});
    expect(info.result).toBeDefined();
    ws!.close();
  });

  it('in browser mode refuses to open arbitrary file paths', async () => {
    const { ws } = await connect(`${base()}?token=${token}`, origin());
    const r = await rpc(ws!, 6, 'snapshot.openFiles', { paths: ['/etc/passwd'] });
    expect(r.error?.code).toBe('forbidden');
    expect(r.error?.message).toMatch(/upload/);
    ws!.close();
  });
});

describe('browser-mode host: port in use', () => {
  it('reports a taken port as PortInUseError with the port number', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const err = await startHost({
      rendererDir: tmpdir(),
      port,
      log: () => {},
      createSession: () =>
        new ApiSession({
          transport: 'websocket',
          initial: { kind: 'none' },
          deps: defaultDeps(),
          nativeFiles: false,
        }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toBe(`port ${port} is already in use on 127.0.0.1`);
    blocker.close();
  });
});
