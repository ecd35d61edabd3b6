/**
 * Port-forward over WebSocket, as the kubelet serves it behind the API server
 * (`pkg/kubelet/cri/streaming/portforward/websocket.go`): subprotocol `v4.channel.k8s.io`
 * (or `v4.base64.channel.k8s.io`), two channels per port (data 2i, error 2i+1), every frame
 * prefixed by its channel byte, and the first frame on each channel carrying the port number as
 * 2 bytes little-endian. The "pod port" is piped to a loopback TCP target set per pod and port.
 */
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { badRequest, type K8sStatus } from './status.js';

const BINARY = 'v4.channel.k8s.io';
const BASE64 = 'v4.base64.channel.k8s.io';

export interface PortForwardRequest {
  namespace: string;
  pod: string;
  ports: number[];
}

function parseTarget(target: string): { host: string; port: number } {
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(target.trim());
  if (!m) throw new Error(`k8s-sim: port-forward target must be a loopback host:port, got "${target}"`);
  return { host: m[1] === '[::1]' ? '::1' : m[1]!, port: Number(m[2]) };
}

export class PortForwarder {
  private readonly targets = new Map<string, string>();
  private readonly active = new Set<{ ws: WebSocket; conns: (net.Socket | undefined)[] }>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => chooseProtocol([...protocols]) ?? false,
  });

  setTarget(namespace: string, pod: string, port: number, target: string): void {
    parseTarget(target);
    this.targets.set(`${namespace}/${pod}:${port}`, target);
  }

  get activeCount(): number {
    return this.active.size;
  }

  dropAll(): void {
    for (const a of [...this.active]) {
      a.conns.forEach((c) => c?.destroy());
      a.ws.terminate();
    }
    this.active.clear();
  }

  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pf: PortForwardRequest,
    reject: (st: K8sStatus) => void,
  ): void {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    if (offered.length > 0 && !chooseProtocol(offered)) {
      return reject(
        badRequest(
          `unable to upgrade connection: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${BINARY} ${BASE64}]`,
        ),
      );
    }
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') {
      return reject(badRequest('k8s-sim: only WebSocket port-forward is supported (no SPDY)'));
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.run(ws, pf));
  }

  private run(ws: WebSocket, pf: PortForwardRequest): void {
    const base64 = ws.protocol === BASE64;
    const entry = { ws, conns: [] as (net.Socket | undefined)[] };
    this.active.add(entry);
    // Backpressure: stop reading the targets while the client lags more than HIGH_WATER bytes behind.
    const HIGH_WATER = 4 * 1024 * 1024;
    let pausedTargets = false;
    const afterSend = (): void => {
      if (pausedTargets && ws.bufferedAmount < HIGH_WATER / 2) {
        pausedTargets = false;
        entry.conns.forEach((c) => c?.resume());
      }
    };
    const send = (channel: number, data: Buffer): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (base64) ws.send(String.fromCharCode(48 + channel) + data.toString('base64'), afterSend);
      else ws.send(Buffer.concat([Buffer.from([channel]), data]), afterSend);
      if (!pausedTargets && ws.bufferedAmount > HIGH_WATER) {
        pausedTargets = true;
        entry.conns.forEach((c) => c?.pause());
      }
    };
    let open = pf.ports.length;
    const oneDone = (): void => {
      open -= 1;
      if (open <= 0 && ws.readyState === WebSocket.OPEN) ws.close(1000);
    };
    pf.ports.forEach((port, i) => {
      const pb = Buffer.alloc(2);
      pb.writeUInt16LE(port);
      send(2 * i, pb);
      send(2 * i + 1, pb);
    });
    pf.ports.forEach((port, i) => {
      const prefix = `error forwarding port ${port} to pod ${pf.namespace}/${pf.pod}, uid : failed to connect to localhost:${port} inside namespace "${pf.namespace}/${pf.pod}"`;
      const target = this.targets.get(`${pf.namespace}/${pf.pod}:${port}`);
      if (!target) {
        send(
          2 * i + 1,
          Buffer.from(`${prefix}, IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused`),
        );
        oneDone();
        return;
      }
      const { host, port: tport } = parseTarget(target);
      const conn = net.connect({ host, port: tport });
      entry.conns[i] = conn;
      conn.on('data', (d: Buffer) => send(2 * i, d));
      conn.on('error', (e: NodeJS.ErrnoException) => {
        const why = e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.message;
        send(2 * i + 1, Buffer.from(`${prefix}, IPv4: dial tcp4 ${target}: ${why}`));
      });
      conn.on('close', () => {
        entry.conns[i] = undefined;
        oneDone();
      });
    });
    ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const buf = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
      if (buf.length === 0) return;
      let channel: number;
      let payload: Buffer;
      if (!isBinary || base64) {
        channel = buf[0]! - 48;
        payload = Buffer.from(buf.subarray(1).toString('utf8'), 'base64');
      } else {
        channel = buf[0]!;
        payload = buf.subarray(1);
      }
      if (channel % 2 !== 0) return; // the client's error channel carries nothing
      const conn = entry.conns[channel / 2];
      if (conn && !conn.destroyed && payload.length > 0 && !conn.write(payload)) {
        // The target is slow: stop reading the WebSocket until it drains.
        ws.pause();
        conn.once('drain', () => ws.resume());
      }
    });
    ws.on('close', () => {
      entry.conns.forEach((c) => c?.destroy());
      this.active.delete(entry);
    });
    ws.on('error', () => ws.terminate());
  }
}

function chooseProtocol(offered: string[]): string | undefined {
  if (offered.includes(BINARY)) return BINARY;
  if (offered.includes(BASE64)) return BASE64;
  return undefined;
}
