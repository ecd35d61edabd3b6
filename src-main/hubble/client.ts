/**
 * gRPC client of Hubble's observer.Observer service (@grpc/grpc-js + our wire-compatible .proto):
 * ServerStatus, GetNodes and server-streaming GetFlows. Works against Hubble Relay, a Cilium agent's
 * Hubble server, or our simulator.
 */
import * as grpc from '@grpc/grpc-js';
import type { Flow, FlowRequest } from '@shared/flows/types';
import { requestToProto } from './convert';
import { decodeRawFlow, scanFlowsResponse, type RawFlow } from './raw-flow';
import { HubbleError } from './errors';
import { loadObserverProto } from './proto-load';

export interface HubbleTlsOptions {
  /** PEM CA bundle that signed the server certificate (omit to use the system roots) */
  ca?: string | Buffer;
  /** PEM client certificate + key for mutual TLS (Relay's `hubble-relay-client-certs`) */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** TLS server name to verify, e.g. `ui.hubble-relay.cilium.io` */
  serverName?: string;
}

export interface HubbleClientOptions {
  /** host:port */
  address: string;
  tls?: HubbleTlsOptions;
  /** ms to wait for the connection (hubble CLI: 5 s) */
  dialTimeoutMs?: number;
  /** ms for unary calls (hubble CLI: 12 s) */
  requestTimeoutMs?: number;
}

export interface HubbleServerStatus {
  numFlows: number;
  maxFlows: number;
  seenFlows: number;
  uptimeNs: string;
  /** undefined when not applicable (an agent queried directly) */
  numConnectedNodes?: number;
  numUnavailableNodes?: number;
  unavailableNodes: string[];
  version: string;
  flowsRate: number;
}

export interface HubbleNode {
  name: string;
  version?: string;
  address?: string;
  state: string;
  tls?: { enabled?: boolean; server_name?: string };
  numFlows?: number;
  maxFlows?: number;
  seenFlows?: number;
}

export interface NodeStatusEvent {
  state: string;
  nodeNames: string[];
  message?: string;
}

export interface FlowStreamHandlers {
  onFlow(flow: Flow): void;
  /**
   * When given, flows arrive here undecoded (their bytes plus time and verdict) instead of onFlow:
   * a fast stream's consumer decodes only the flows it shows.
   */
  onRawFlow?(flow: RawFlow): void;
  onLost?(count: number): void;
  onNodeStatus?(ev: NodeStatusEvent): void;
  /** the server ended the stream normally (history done, no follow) */
  onEnd(): void;
  onError(err: HubbleError): void;
}

export interface FlowStreamHandle {
  cancel(): void;
}

type Obj = Record<string, unknown>;

let scanningCtor: grpc.ServiceClientConstructor | undefined;

/** The Observer client with GetFlows responses scanned (raw-flow.ts), not decoded, as they arrive. */
function observerClientCtor(): grpc.ServiceClientConstructor {
  if (scanningCtor) return scanningCtor;
  const { observerService } = loadObserverProto();
  scanningCtor = grpc.makeGenericClientConstructor(
    {
      ...observerService,
      GetFlows: { ...observerService.GetFlows, responseDeserialize: scanFlowsResponse },
    },
    'Observer',
  );
  return scanningCtor;
}

/** Maps a gRPC failure to a HubbleError with a message a user can act on. */
export function toHubbleError(
  err: unknown,
  address: string,
  usingTls: boolean,
  afterConnect = false,
): HubbleError {
  const e = err as Partial<grpc.ServiceError> & { message?: string };
  const text = `${e.details ?? ''} ${e.message ?? ''}`;
  if (e.code === grpc.status.CANCELLED) return new HubbleError('cancelled', 'cancelled');
  if (afterConnect && e.code === grpc.status.UNAVAILABLE)
    return new HubbleError(
      'unavailable',
      `connection to Hubble at ${address} lost: ${(e.details ?? e.message ?? '').trim()}`,
    );
  if (
    /ssl|tls|certificate|handshake|wrong version number|packet length too long|self.signed|unable to verify/i.test(
      text,
    )
  )
    return new HubbleError(
      'tls',
      usingTls
        ? `TLS to Hubble at ${address} failed (${(e.details ?? e.message ?? '').trim()}): the server may not use TLS, or the CA/client certificate does not match`
        : `Hubble at ${address} rejected a plaintext connection: the server probably requires TLS (give the CA and client certificate)`,
    );
  if (e.code === grpc.status.UNAVAILABLE || e.code === grpc.status.DEADLINE_EXCEEDED) {
    if (/ECONNREFUSED|No connection established|connect/i.test(text))
      return new HubbleError(
        'unreachable',
        `cannot reach Hubble at ${address}: nothing accepts connections there (${(e.details ?? '').trim()})`,
      );
    if (
      /Protocol error|RST_STREAM|connection dropped|http2|Parse Error|Received HTTP/i.test(text) &&
      !usingTls
    )
      return new HubbleError(
        'tls',
        `Hubble at ${address} does not speak plaintext gRPC: it may require TLS, or it is not a Hubble server (${(e.details ?? '').trim()})`,
      );
    return new HubbleError(
      'unreachable',
      `Hubble at ${address} is unavailable: ${(e.details ?? e.message ?? '').trim()}`,
    );
  }
  if (e.code === grpc.status.UNIMPLEMENTED)
    return new HubbleError(
      'unavailable',
      `the server at ${address} is not a Hubble Observer (or lacks this call): ${e.details ?? ''}`,
    );
  if (e.code === grpc.status.INVALID_ARGUMENT || e.code === grpc.status.UNKNOWN)
    return new HubbleError('bad-request', `Hubble rejected the request: ${e.details ?? e.message ?? ''}`);
  return new HubbleError('internal', `Hubble call failed: ${e.details ?? e.message ?? String(err)}`);
}

export class HubbleClient {
  private readonly client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;
  private readonly usingTls: boolean;
  readonly address: string;
  private readonly requestTimeoutMs: number;
  private readonly dialTimeoutMs: number;

  constructor(opts: HubbleClientOptions) {
    const ctor = observerClientCtor();
    this.address = opts.address;
    this.usingTls = !!opts.tls;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 12_000;
    this.dialTimeoutMs = opts.dialTimeoutMs ?? 5_000;
    const buf = (v: string | Buffer | undefined) =>
      v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v);
    const creds = opts.tls
      ? grpc.credentials.createSsl(buf(opts.tls.ca), buf(opts.tls.key), buf(opts.tls.cert))
      : grpc.credentials.createInsecure();
    const channelOptions: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2000,
      // a large HTTP/2 window: flows are small and many; the 64 KiB default stalls the stream on every window update
      'grpc-node.flow_control_window': 8 * 1024 * 1024,
    };
    if (opts.tls?.serverName) channelOptions['grpc.ssl_target_name_override'] = opts.tls.serverName;
    this.client = new ctor(opts.address, creds, channelOptions) as unknown as grpc.Client &
      Record<string, (...args: unknown[]) => unknown>;
  }

  /** Resolves when the channel is connected; rejects with a HubbleError (unreachable/tls) after the dial timeout. */
  waitReady(timeoutMs = this.dialTimeoutMs): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.waitForReady(Date.now() + timeoutMs, (err) => {
        if (!err) return resolve();
        reject(
          new HubbleError(
            'unreachable',
            `cannot connect to Hubble at ${this.address} within ${Math.round(timeoutMs / 1000)} s${this.usingTls ? ' (TLS: check that the server uses TLS and the CA matches)' : ''}`,
          ),
        );
      });
    });
  }

  private unary<T>(method: string, req: Obj): Promise<T> {
    return new Promise((resolve, reject) => {
      const fn = this.client[method] as (
        req: Obj,
        md: grpc.Metadata,
        opts: grpc.CallOptions,
        cb: (err: grpc.ServiceError | null, res: T) => void,
      ) => void;
      fn.call(
        this.client,
        req,
        new grpc.Metadata(),
        { deadline: Date.now() + this.requestTimeoutMs },
        (err, res) => {
          if (err) reject(toHubbleError(err, this.address, this.usingTls));
          else resolve(res);
        },
      );
    });
  }

  async serverStatus(): Promise<HubbleServerStatus> {
    const r = await this.unary<Obj>('ServerStatus', {});
    const wrapped = (v: unknown) =>
      v && typeof v === 'object' ? Number((v as { value?: number }).value ?? 0) : undefined;
    return {
      numFlows: Number(r.num_flows ?? 0),
      maxFlows: Number(r.max_flows ?? 0),
      seenFlows: Number(r.seen_flows ?? 0),
      uptimeNs: String(r.uptime_ns ?? '0'),
      numConnectedNodes: wrapped(r.num_connected_nodes),
      numUnavailableNodes: wrapped(r.num_unavailable_nodes),
      unavailableNodes: (r.unavailable_nodes as string[] | undefined) ?? [],
      version: String(r.version ?? ''),
      flowsRate: Number(r.flows_rate ?? 0),
    };
  }

  async getNodes(): Promise<HubbleNode[]> {
    const r = await this.unary<{ nodes?: Obj[] }>('GetNodes', {});
    return (r.nodes ?? []).map((n) => ({
      name: String(n.name ?? ''),
      version: n.version as string | undefined,
      address: n.address as string | undefined,
      state: String(n.state ?? 'UNKNOWN_NODE_STATE'),
      tls: n.tls as HubbleNode['tls'],
      numFlows: n.num_flows !== undefined ? Number(n.num_flows) : undefined,
      maxFlows: n.max_flows !== undefined ? Number(n.max_flows) : undefined,
      seenFlows: n.seen_flows !== undefined ? Number(n.seen_flows) : undefined,
    }));
  }

  /** Opens a GetFlows stream. Exactly one of onEnd/onError is called, unless cancel() was called first. */
  getFlows(req: FlowRequest, h: FlowStreamHandlers): FlowStreamHandle {
    const call = (this.client.GetFlows as (req: Obj) => grpc.ClientReadableStream<Obj>).call(
      this.client,
      requestToProto(req),
    );
    let cancelled = false;
    let finished = false;
    call.on('data', (scanned: ReturnType<typeof scanFlowsResponse>) => {
      if (cancelled) return;
      if ('flow' in scanned) {
        if (h.onRawFlow) h.onRawFlow(scanned.flow);
        else h.onFlow(decodeRawFlow(scanned.flow));
        return;
      }
      const res = scanned.other;
      if (res.lost_events) {
        h.onLost?.(Number((res.lost_events as Obj).num_events_lost ?? 0));
      } else if (res.node_status) {
        const ns = res.node_status as Obj;
        h.onNodeStatus?.({
          state: String(ns.state_change ?? 'UNKNOWN_NODE_STATE'),
          nodeNames: (ns.node_names as string[] | undefined) ?? [],
          message: ns.message as string | undefined,
        });
      }
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (finished || cancelled) return;
      finished = true;
      h.onError(toHubbleError(err, this.address, this.usingTls, true));
    });
    call.on('end', () => {
      if (finished || cancelled) return;
      finished = true;
      h.onEnd();
    });
    return {
      cancel: () => {
        if (cancelled || finished) return;
        cancelled = true;
        call.cancel();
      },
    };
  }

  close(): void {
    this.client.close();
  }
}
