/**
 * Reaching Hubble Relay the way `hubble --port-forward` / `cilium hubble port-forward` do: find the
 * hubble-relay Service, resolve it to a ready pod and the container port behind the service port
 * (targetPort by number or by name; client-node's portForwardService does not map it), and forward a free
 * local port through the API server (client-node PortForward: one WebSocket stream per TCP connection).
 * Relay TLS when enabled (CA + client certificate from `hubble-relay-client-certs`, or user files).
 */
import { CoreV1Api, KubeConfig, PortForward, type V1Pod, type V1Service } from '@kubernetes/client-node';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { HubbleClient, type HubbleServerStatus, type HubbleTlsOptions } from './client';
import { HubbleError } from './errors';

export const DEFAULT_RELAY_NAMESPACE = 'kube-system';
export const DEFAULT_RELAY_SERVICE = 'hubble-relay';
/** Relay's server certificate is issued for *.hubble-relay.cilium.io (the CLI's example name). */
export const DEFAULT_RELAY_SERVER_NAME = 'instance.hubble-relay.cilium.io';

export interface RelayTarget {
  namespace: string;
  service: string;
  servicePort: number;
  pod: string;
  podPort: number;
  /** Relay serves TLS (from hubble-relay-config, else guessed from service port 443) */
  tls: boolean;
}

/** A live connection to a Hubble server: the gRPC client plus whatever carries it (a port-forward). */
export interface HubbleConnection {
  client: HubbleClient;
  /** where the gRPC client dials (127.0.0.1:port for a port-forward) */
  address: string;
  /** for messages: "Relay kube-system/hubble-relay-… via port-forward 127.0.0.1:41234" */
  description: string;
  target?: RelayTarget;
  /** ServerStatus read when connecting (proves the connection speaks Hubble) */
  status: HubbleServerStatus;
  close(): Promise<void>;
}

export type RelayTlsChoice = 'auto' | 'off' | HubbleTlsOptions;

export interface ConnectRelayOptions {
  kubeConfig: KubeConfig;
  namespace?: string;
  service?: string;
  /** 'auto' (default): follow the cluster's Relay TLS setting and read the client certs secret */
  tls?: RelayTlsChoice;
  dialTimeoutMs?: number;
}

function statusCode(err: unknown): number | undefined {
  const e = err as { code?: number; statusCode?: number; response?: { statusCode?: number }; body?: unknown };
  return e.code ?? e.statusCode ?? e.response?.statusCode;
}

function clusterError(err: unknown, what: string): HubbleError {
  const code = statusCode(err);
  if (code === 403)
    return new HubbleError('forbidden', `not allowed to ${what}: ${(err as Error).message.split('\n')[0]}`);
  if (typeof code === 'number' && code >= 400)
    return new HubbleError('internal', `cannot ${what}: HTTP ${code}`);
  return new HubbleError(
    'unreachable',
    `cannot ${what}: the cluster is unreachable (${(err as Error).message.split('\n')[0]})`,
  );
}

function isPodReady(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== 'Running') return false;
  return !!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

function whyNotReady(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  if (waiting?.reason) return waiting.reason;
  return pod.status?.phase ?? 'unknown phase';
}

/** Finds the Relay Service, a ready pod behind it and the container port behind the service port. */
export async function resolveRelayTarget(
  kc: KubeConfig,
  namespace = DEFAULT_RELAY_NAMESPACE,
  service = DEFAULT_RELAY_SERVICE,
): Promise<RelayTarget> {
  const core = kc.makeApiClient(CoreV1Api);
  let svc: V1Service;
  try {
    svc = await core.readNamespacedService({ name: service, namespace });
  } catch (err) {
    if (statusCode(err) === 404)
      throw new HubbleError(
        'not-found',
        `Hubble Relay is not enabled: there is no Service ${namespace}/${service}. Enable it with "cilium hubble enable --relay" (or helm upgrade cilium cilium/cilium --reuse-values --set hubble.relay.enabled=true), or connect to a Relay you forwarded yourself with --server HOST:PORT.`,
      );
    throw clusterError(err, `read Service ${namespace}/${service}`);
  }
  const ports = svc.spec?.ports ?? [];
  const sp = ports.find((p) => p.name === 'grpc') ?? ports[0];
  if (!sp) throw new HubbleError('not-found', `Service ${namespace}/${service} has no ports`);
  const selector = svc.spec?.selector ?? {};
  if (!Object.keys(selector).length)
    throw new HubbleError(
      'not-found',
      `Service ${namespace}/${service} has no selector, so no Relay pod can be found`,
    );
  let pods: V1Pod[];
  try {
    const list = await core.listNamespacedPod({
      namespace,
      labelSelector: Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    });
    pods = list.items;
  } catch (err) {
    throw clusterError(err, `list pods of ${namespace}/${service}`);
  }
  if (!pods.length)
    throw new HubbleError(
      'not-ready',
      `Hubble Relay has no pods: Service ${namespace}/${service} selects none (is the hubble-relay Deployment scaled to 0?)`,
    );
  const ready = pods.filter(isPodReady).sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  if (!ready.length)
    throw new HubbleError(
      'not-ready',
      `Hubble Relay is not ready: ${pods.map((p) => `${p.metadata?.name} (${whyNotReady(p)})`).join(', ')}. Check "kubectl -n ${namespace} describe pod -l ${Object.entries(
        selector,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}".`,
    );
  const pod = ready[0];
  const target = sp.targetPort ?? sp.port;
  let podPort: number | undefined;
  if (typeof target === 'number') podPort = target;
  else if (/^\d+$/.test(String(target))) podPort = Number(target);
  else {
    for (const c of pod.spec?.containers ?? []) {
      const hit = c.ports?.find((p) => p.name === target);
      if (hit) {
        podPort = hit.containerPort;
        break;
      }
    }
    if (podPort === undefined)
      throw new HubbleError(
        'not-found',
        `Service ${namespace}/${service} targets port "${target}", which pod ${pod.metadata?.name} does not declare`,
      );
  }
  let tls = sp.port === 443;
  try {
    const cm = await core.readNamespacedConfigMap({ name: 'hubble-relay-config', namespace });
    const cfg = parseYaml(cm.data?.['config.yaml'] ?? '') as Record<string, unknown> | null;
    if (cfg && typeof cfg === 'object') {
      if (cfg['disable-server-tls'] === true || cfg['disable-server-tls'] === 'true') tls = false;
      else if (cfg['tls-relay-server-cert-file']) tls = true;
    }
  } catch {
    // not readable: keep the guess from the service port
  }
  return { namespace, service, servicePort: sp.port, pod: pod.metadata!.name!, podPort, tls };
}

/** Reads the CA and client certificate Relay clients use (secret hubble-relay-client-certs). Never logged. */
export async function readRelayClientTls(kc: KubeConfig, namespace: string): Promise<HubbleTlsOptions> {
  const core = kc.makeApiClient(CoreV1Api);
  let data: Record<string, string> | undefined;
  try {
    data = (await core.readNamespacedSecret({ name: 'hubble-relay-client-certs', namespace })).data;
  } catch (err) {
    if (statusCode(err) === 404)
      throw new HubbleError(
        'tls',
        `Hubble Relay uses TLS but the secret ${namespace}/hubble-relay-client-certs does not exist: give the CA and client certificate files instead`,
      );
    throw clusterError(err, `read secret ${namespace}/hubble-relay-client-certs (Relay uses TLS)`);
  }
  const b64 = (k: string) => (data?.[k] ? Buffer.from(data[k], 'base64') : undefined);
  const ca = b64('ca.crt');
  if (!ca) throw new HubbleError('tls', `secret ${namespace}/hubble-relay-client-certs has no ca.crt`);
  return { ca, cert: b64('tls.crt'), key: b64('tls.key'), serverName: DEFAULT_RELAY_SERVER_NAME };
}

export interface LocalForward {
  /** 127.0.0.1:port */
  address: string;
  port: number;
  /** the last error the API server or kubelet reported for a stream */
  lastError(): string | undefined;
  activeStreams(): number;
  /** port-forward streams that reached the pod so far */
  streamsOpened(): number;
  /** cuts every open stream (the listener stays) */
  dropStreams(): void;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:0; every accepted connection opens its own port-forward stream to pod:port through
 * the API server (like kubectl port-forward), so gRPC reconnects get a fresh stream.
 */
export async function startPortForward(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  port: number,
): Promise<LocalForward> {
  const forwarder = new PortForward(kc, true);
  const sockets = new Set<net.Socket>();
  let lastError: string | undefined;
  let opened = 0;
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.pause();
    const errStream = new PassThrough();
    errStream.on('data', (d: Buffer) => {
      const text = d.toString('utf8').trim();
      if (text) {
        lastError = text;
        sock.destroy();
      }
    });
    let ws: { close(): void; on(ev: string, fn: () => void): void } | undefined;
    sock.on('close', () => {
      sockets.delete(sock);
      try {
        ws?.close();
      } catch {
        // already closed
      }
    });
    sock.on('error', () => sock.destroy());
    forwarder
      .portForward(namespace, pod, [port], sock, errStream, sock)
      .then((res) => {
        const socket = typeof res === 'function' ? res() : res;
        if (!socket) {
          sock.destroy();
          return;
        }
        opened++;
        ws = socket as unknown as typeof ws;
        ws!.on('close', () => sock.destroy());
        ws!.on('error', () => sock.destroy());
        if (sock.destroyed) ws!.close();
        else sock.resume();
      })
      .catch((err: unknown) => {
        lastError = (err as Error).message ?? String(err);
        sock.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const localPort = (server.address() as net.AddressInfo).port;
  return {
    address: `127.0.0.1:${localPort}`,
    port: localPort,
    lastError: () => lastError,
    activeStreams: () => sockets.size,
    streamsOpened: () => opened,
    dropStreams: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** True when something accepts TCP connections at host:port (tells "nothing there" from "wrong protocol"). */
function tcpAccepts(addr: string, timeoutMs = 1000): Promise<boolean> {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(addr.slice(i + 1));
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Connects straight to a Hubble server address (`--server HOST:PORT`, e.g. an existing cilium hubble port-forward). */
export async function connectServer(
  address: string,
  tls?: HubbleTlsOptions,
  dialTimeoutMs?: number,
): Promise<HubbleConnection> {
  let addr = address.trim();
  let useTls = tls;
  if (addr.startsWith('tls://')) {
    addr = addr.slice(6);
    useTls ??= {};
  }
  if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(addr))
    throw new HubbleError(
      'bad-request',
      `invalid server address "${address}": use HOST:PORT, e.g. 127.0.0.1:4245`,
    );
  const client = new HubbleClient({
    address: addr,
    tls: useTls,
    dialTimeoutMs,
    requestTimeoutMs: dialTimeoutMs,
  });
  let status: HubbleServerStatus;
  try {
    status = await client.serverStatus();
  } catch (err) {
    client.close();
    if (err instanceof HubbleError && err.code === 'unreachable' && (await tcpAccepts(addr)))
      throw new HubbleError(
        'tls',
        useTls
          ? `${addr} accepts connections but the TLS handshake failed: the server may not use TLS, or the CA / server name does not match`
          : `${addr} accepts connections but does not answer plaintext gRPC: it probably requires TLS: give its CA certificate (CLI: --tls-ca FILE; app: Connection… → TLS → Certificate files)`,
      );
    throw err;
  }
  return {
    client,
    address: addr,
    status,
    description: `Hubble at ${addr}${useTls ? ' (TLS)' : ''}`,
    close: async () => client.close(),
  };
}

/** Finds Relay, port-forwards to it and connects the gRPC client (TLS as the cluster configures it). */
export async function connectRelay(opts: ConnectRelayOptions): Promise<HubbleConnection> {
  const target = await resolveRelayTarget(opts.kubeConfig, opts.namespace, opts.service);
  let tls: HubbleTlsOptions | undefined;
  if (opts.tls && typeof opts.tls === 'object') tls = opts.tls;
  else if (opts.tls !== 'off' && target.tls)
    tls = await readRelayClientTls(opts.kubeConfig, target.namespace);
  const forward = await startPortForward(opts.kubeConfig, target.namespace, target.pod, target.podPort);
  const client = new HubbleClient({
    address: forward.address,
    tls,
    dialTimeoutMs: opts.dialTimeoutMs,
    requestTimeoutMs: opts.dialTimeoutMs,
  });
  let status: HubbleServerStatus;
  try {
    status = await client.serverStatus();
  } catch (err) {
    client.close();
    await forward.close();
    const pfError = forward.lastError();
    if (pfError)
      throw new HubbleError(
        'unreachable',
        `port-forward to ${target.namespace}/${target.pod}:${target.podPort} failed: ${pfError}`,
      );
    if (err instanceof HubbleError && err.code === 'unreachable' && forward.streamsOpened() > 0)
      // the port-forward reached the pod, but gRPC did not work over it: a TLS mismatch
      throw new HubbleError(
        'tls',
        tls
          ? `the TLS handshake with Hubble Relay ${target.namespace}/${target.pod} failed: Relay may not serve TLS, or the CA / client certificate does not match`
          : `Hubble Relay ${target.namespace}/${target.pod} does not answer plaintext gRPC: it probably serves TLS (hubble.relay.tls.server.enabled); give the CA and client certificate`,
      );
    throw err instanceof HubbleError && tls
      ? new HubbleError('tls', `${err.message}; Relay TLS is on: check the CA and client certificate`)
      : err;
  }
  return {
    client,
    address: forward.address,
    target,
    status,
    description: `Hubble Relay ${target.namespace}/${target.pod}:${target.podPort} via port-forward ${forward.address}${tls ? ' (TLS)' : ''}`,
    close: async () => {
      client.close();
      await forward.close();
    },
  };
}
