/// <reference types="node" />
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { ApiError } from '@shared/api/contract';
import { apiUrl, createWsTransport, type WsTransport } from './ws-transport';

/** A real WebSocket server on loopback speaking the protocol documented in ws-transport.ts. */
async function startServer(
  handler: (msg: { id: number; method: string; arg: unknown }, ws: ServerSocket) => void,
) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const sockets: ServerSocket[] = [];
  const urls: string[] = [];
  wss.on('connection', (ws, req) => {
    sockets.push(ws);
    urls.push(req.url ?? '');
    ws.on('message', (data) => handler(JSON.parse(String(data)), ws));
  });
  const port = (wss.address() as AddressInfo).port;
  return { wss, port, sockets, urls, close: () => new Promise<void>((r) => wss.close(() => r())) };
}

const transports: WsTransport[] = [];
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  for (const s of servers.splice(0)) await s.close();
});

describe('websocket transport', () => {
  it('builds the api URL with the token and the page scheme', () => {
    expect(apiUrl({ protocol: 'http:', host: '127.0.0.1:4000' }, 'a b')).toBe(
      'ws://127.0.0.1:4000/api?token=a%20b',
    );
    expect(apiUrl({ protocol: 'https:', host: 'h:1' }, undefined)).toBe('wss://h:1/api');
  });

  it('sends requests, resolves results and rejects API errors with their code', async () => {
    const server = await startServer((msg, ws) => {
      if (msg.method === 'app.info')
        ws.send(JSON.stringify({ id: msg.id, result: { name: 'x', arg: msg.arg } }));
      else ws.send(JSON.stringify({ id: msg.id, error: { code: 'not-found', message: 'no such snapshot' } }));
    });
    servers.push(server);
    const t = createWsTransport({
      url: apiUrl({ protocol: 'http:', host: `127.0.0.1:${server.port}` }, 'tok'),
    });
    transports.push(t);
    // sent before the socket is open: queued, then delivered
    const info = await t.invoke('app.info', {});
    expect(info).toEqual({ name: 'x', arg: {} });
    expect(server.urls[0]).toBe('/api?token=tok');
    const err = await t.invoke('snapshot.get', { snapshotId: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not-found');
    expect((err as ApiError).message).toBe('no such snapshot');
  });

  it('dispatches pushed events to subscribers until they unsubscribe', async () => {
    const server = await startServer(() => {});
    servers.push(server);
    const t = createWsTransport({ url: `ws://127.0.0.1:${server.port}/api` });
    transports.push(t);
    await new Promise<void>((r) => t.onConnectionState((s) => s.state === 'open' && r()));
    const got: number[] = [];
    const off = t.subscribe('flows.view', (v) => got.push(v.held));
    const push = (held: number) =>
      server.sockets[0].send(JSON.stringify({ event: 'flows.view', payload: { streamId: 's', held } }));
    push(1);
    await expect.poll(() => got).toEqual([1]);
    off();
    push(2);
    push(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([1]);
  });

  it('rejects requests in flight when the connection drops, then reconnects and serves new ones', async () => {
    let answer = false;
    const server = await startServer((msg, ws) => {
      if (answer) ws.send(JSON.stringify({ id: msg.id, result: { ok: true } }));
      else ws.terminate();
    });
    servers.push(server);
    const states: string[] = [];
    const t = createWsTransport({ url: `ws://127.0.0.1:${server.port}/api`, minDelayMs: 10, maxDelayMs: 20 });
    transports.push(t);
    t.onConnectionState((s) => states.push(s.state));
    const lost = await t.invoke('contexts.list', {}).catch((e: unknown) => e);
    expect((lost as ApiError).code).toBe('unavailable');
    answer = true;
    const ok = await t.invoke('contexts.list', {});
    expect(ok).toEqual({ ok: true });
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('open');
    expect(server.sockets.length).toBe(2);
  });
});
